// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/util/hex.h"

namespace fbsdlp {

std::string to_hex(const uint8_t *p, size_t n, bool upper) {
    const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string s;
    s.reserve(2 * n);
    for (size_t i = 0; i < n; i++) {
        s += d[p[i] >> 4];
        s += d[p[i] & 15];
    }
    return s;
}

std::optional<Bytes> from_hex(std::string_view s) {
    if (s.size() % 2)
        return std::nullopt;
    auto nib = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    Bytes out;
    out.reserve(s.size() / 2);
    for (size_t i = 0; i < s.size(); i += 2) {
        int hi = nib(s[i]), lo = nib(s[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out.push_back(uint8_t(hi << 4 | lo));
    }
    return out;
}

std::string hex_number(uint64_t v, bool with_prefix) {
    std::string s;
    do {
        s.insert(s.begin(), "0123456789abcdef"[v & 15]);
        v >>= 4;
    } while (v);
    return with_prefix ? "0x" + s : s;
}

} // namespace fbsdlp
