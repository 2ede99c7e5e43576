// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace fbsdlp {

// Lower-case hex SHA-256 (OpenSSL libcrypto).
std::string sha256_hex(std::span<const uint8_t> data);
std::string sha256_hex(const std::string &data);
std::string sha256_file(const std::string &path);

} // namespace fbsdlp
