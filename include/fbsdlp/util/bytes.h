// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The one byte-buffer type of the generator: object files, modules,
// bundles and their members, digests' inputs.  Text stays std::string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fbsdlp {

using Bytes = std::vector<uint8_t>;

inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string to_text(const Bytes &b) { return std::string(b.begin(), b.end()); }

} // namespace fbsdlp
