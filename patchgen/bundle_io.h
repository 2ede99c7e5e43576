// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// What the bundle subcommands (bundle, sign, verify, info) share: bounded
// reads of bundles and keys, the one way a bundle is loaded, and the
// one-line summary of its target.
#pragma once

#include "fbsdlp/bundle/bundle.h"
#include "fbsdlp/bundle/signify.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"

#include <string>

namespace fbsdlp::cli {

// Bundles and keys: read whole, bounded.
Bytes read_file(const std::string &path, size_t max = size_t(128) << 20);
std::string read_text(const std::string &path, size_t max = 1u << 20);
void write_file(const std::string &path, const Bytes &b);

std::string base_name(const std::string &path);

// signify's convention: signing with dir/name.sec says "verify with name.pub".
std::string untrusted_comment_for(const std::string &seckey_path,
                                  const bundle::signify::SecretKey &k);

bundle::signify::SecretKey load_secret_key(const std::string &path,
                                           const std::string &passphrase_file);

// A bundle that fails to read is a verification failure (exit 5).
struct VerifyFailure : Error {
    using Error::Error;
};

// Read and parse the bundle at path; a parse error becomes VerifyFailure.
bundle::Bundle load_bundle(const std::string &path);

// "build_id ..., __FreeBSD_version ..., KERNCONF ...".
std::string summary_target(const bundle::Manifest &m);

} // namespace fbsdlp::cli
