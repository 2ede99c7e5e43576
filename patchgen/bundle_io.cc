// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "bundle_io.h"
#include "passphrase.h"

#include <filesystem>

namespace fbsdlp::cli {

Bytes read_file(const std::string &path, size_t max) { return read_bytes(path, max); }

std::string read_text(const std::string &path, size_t max) {
    return to_text(read_bytes(path, max));
}

void write_file(const std::string &path, const Bytes &b) { write_file_atomic(path, b, {0644}); }

std::string base_name(const std::string &path) {
    return std::filesystem::path(path).filename().string();
}

std::string untrusted_comment_for(const std::string &seckey_path,
                                  const bundle::signify::SecretKey &k) {
    std::string b = base_name(seckey_path);
    if (b.size() > 4 && b.compare(b.size() - 4, 4, ".sec") == 0) {
        std::string c = "verify with " + b.substr(0, b.size() - 4) + ".pub";
        if (bundle::signify::valid_comment(c, 256))
            return c;
    }
    return "verify with the public key of key id " + bundle::signify::key_id(k.keynum);
}

bundle::signify::SecretKey load_secret_key(const std::string &path,
                                           const std::string &passphrase_file) {
    return bundle::signify::parse_secret_key(read_text(path, 4096), path,
                                             passphrase_source(passphrase_file, path));
}

bundle::Bundle load_bundle(const std::string &path) {
    Bytes data = read_file(path);
    try {
        return bundle::read(data, path);
    } catch (const Error &e) {
        throw VerifyFailure(e.where(), e.what_text(), e.hint());
    }
}

std::string summary_target(const bundle::Manifest &m) {
    return "build_id " + m.build_id + ", __FreeBSD_version " + std::to_string(m.freebsd_version) +
           ", KERNCONF " + m.kernconf;
}

} // namespace fbsdlp::cli
