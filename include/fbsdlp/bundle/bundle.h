// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// NAME.lpbundle: the last pipeline stage's output (DESIGN.md 2).  A flat
// ustar archive of
//   manifest.json   what the patch is and which kernel it is for
//   NAME.ko         the patch module
//   report.json     optional: the diff report
//   SHA256          "SHA256 (file) = hex" for each of the above
//   SHA256.sig      optional: signature of SHA256 (signify, 4-line form
//                   with the trusted comment "bundle=... target_build_id=...
//                   created=...")
// The format is described in docs/bundle-format.md.
#pragma once

#include "fbsdlp/bundle/crypto.h"
#include "fbsdlp/bundle/signify.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace fbsdlp::bundle {

constexpr int kFormatVersion = 1;
constexpr const char *kManifestName = "manifest.json";
constexpr const char *kReportName = "report.json";
constexpr const char *kListName = "SHA256";
constexpr const char *kSignatureName = "SHA256.sig";

struct Function {
    std::string name;
    std::string object;
    bool operator==(const Function &) const = default;
};

struct Manifest {
    std::string name;             // module name: [A-Za-z0-9_-], 1..64, the file is NAME.ko
    std::string build_id;         // target kernel's kern.build_id, lower-case hex
    uint32_t freebsd_version = 0; // target's __FreeBSD_version
    std::string kernconf;
    std::vector<Function> functions;
    std::optional<std::string> diff_sha256; // of the source fix, when known
    std::string tool = "fbsd-patchgen";
    std::string tool_version;
    uint64_t created = 0; // Unix time
    std::optional<std::string> advisory;
    std::optional<std::string> description;

    std::string module_file() const { return name + ".ko"; }
    nlohmann::json to_json() const;
    // Canonical text: to_json().dump(2) + "\n", ASCII only.
    std::string text() const;
    // Strict: all required fields, no unknown ones, valid values.
    static Manifest from_json(const nlohmann::json &j, const std::string &where);
    // Throws if a field holds an invalid value.
    void validate(const std::string &where) const;
};

// The contents of a bundle after the structural checks of read(): the
// member set is right, SHA256 lists exactly the other members, and each
// digest matches.  The signature is parsed but not verified.
struct Bundle {
    Manifest manifest;
    std::string manifest_text;
    Bytes module;
    std::optional<Bytes> report;
    std::string sha256_list;
    std::optional<std::string> signature_text;
    std::optional<signify::Signature> signature;
};

struct CreateInput {
    Manifest manifest;
    Bytes module;
    std::optional<Bytes> report;
};

// "bundle=NAME target_build_id=HEX created=TIME".
std::string trusted_comment(const Manifest &m);

// "SHA256 (name) = hex\n" for each member, in the given order.
std::string sha256_list(const std::vector<std::pair<std::string, const Bytes *>> &files);

// Build a bundle; signed when key is given (untrusted comment as given).
Bytes create(const CreateInput &in, const signify::SecretKey *key,
             const std::string &untrusted_comment);

// Structural read with all integrity checks except the signature.
Bundle read(const Bytes &data, const std::string &where);

// The same bundle with its signature added or replaced.
Bytes sign(const Bundle &b, const signify::SecretKey &key, const std::string &untrusted_comment);

// Verify the signature with pub and check that the trusted comment (if
// present) names this bundle and its target.  Throws fbsdlp::Error.
void verify(const Bundle &b, const signify::PublicKey &pub, const std::string &where);

// Serialise a read bundle again (same member order as create()).
Bytes write(const Bundle &b);

bool valid_module_name(const std::string &name);
bool valid_build_id(const std::string &hex);

} // namespace fbsdlp::bundle
