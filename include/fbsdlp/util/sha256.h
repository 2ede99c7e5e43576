// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// SHA-256 (OpenSSL libcrypto), the one digest API of the generator: raw
// digests for the bundle's checksums and signatures, lower-case hex for
// reports, manifests and cache keys.
#pragma once

#include "fbsdlp/util/bytes.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fbsdlp {

using Sha256 = std::array<uint8_t, 32>;

Sha256 sha256(const void *data, size_t len);
inline Sha256 sha256(std::string_view s) { return sha256(s.data(), s.size()); }
inline Sha256 sha256(const Bytes &b) { return sha256(b.data(), b.size()); }

std::string sha256_hex(const void *data, size_t len);
inline std::string sha256_hex(std::string_view s) { return sha256_hex(s.data(), s.size()); }
inline std::string sha256_hex(const Bytes &b) { return sha256_hex(b.data(), b.size()); }
// Throws fbsdlp::Error naming the file.
std::string sha256_file(const std::string &path);

} // namespace fbsdlp
