// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Hexadecimal: byte strings (digests, build-ids, key ids) and numbers in
// messages and reports.
#pragma once

#include "fbsdlp/util/bytes.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fbsdlp {

// Two digits per byte, lower-case unless upper.
std::string to_hex(const uint8_t *p, size_t n, bool upper = false);
inline std::string to_hex(const Bytes &b) { return to_hex(b.data(), b.size()); }
template <size_t N> std::string to_hex(const std::array<uint8_t, N> &a) {
    return to_hex(a.data(), N);
}

// Exactly 2*n lower- or upper-case hex digits, else nullopt.
std::optional<Bytes> from_hex(std::string_view s);

// A number: "0x1f" (with_prefix) or "1f".
std::string hex_number(uint64_t v, bool with_prefix = true);

} // namespace fbsdlp
