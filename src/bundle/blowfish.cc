// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "blowfish.h"

#include <cstring>

namespace fbsdlp::bundle::blowfish {

namespace {

uint32_t feistel(const State &st, uint32_t x) {
    return ((st.s[0][x >> 24] + st.s[1][(x >> 16) & 0xff]) ^ st.s[2][(x >> 8) & 0xff]) +
           st.s[3][x & 0xff];
}

// The next 4 bytes of a byte string read as a cycle, big-endian.
uint32_t next_word(const uint8_t *data, size_t len, size_t &pos) {
    uint32_t w = 0;
    for (int i = 0; i < 4; i++) {
        if (pos >= len)
            pos = 0;
        w = w << 8 | data[pos++];
    }
    return w;
}

// Re-derive P and S by chained encryption; with a salt, each block is
// first mixed with the next 8 salt bytes.
void rekey(State &st, const uint8_t *salt, size_t saltlen) {
    uint32_t l = 0, r = 0;
    size_t pos = 0;
    auto step = [&](uint32_t &a, uint32_t &b) {
        if (salt != nullptr) {
            l ^= next_word(salt, saltlen, pos);
            r ^= next_word(salt, saltlen, pos);
        }
        encipher(st, l, r);
        a = l;
        b = r;
    };
    for (int i = 0; i < 18; i += 2)
        step(st.p[i], st.p[i + 1]);
    for (auto &box : st.s)
        for (int i = 0; i < 256; i += 2)
            step(box[i], box[i + 1]);
}

void mix_key(State &st, const uint8_t *key, size_t keylen) {
    size_t pos = 0;
    for (uint32_t &w : st.p)
        w ^= next_word(key, keylen, pos);
}

} // namespace

void init(State &st) {
    std::memcpy(st.p, kInitP, sizeof st.p);
    std::memcpy(st.s, kInitS, sizeof st.s);
}

void encipher(const State &st, uint32_t &l, uint32_t &r) {
    uint32_t a = l, b = r;
    for (int i = 0; i < 16; i += 2) {
        a ^= st.p[i];
        b ^= feistel(st, a);
        b ^= st.p[i + 1];
        a ^= feistel(st, b);
    }
    a ^= st.p[16];
    b ^= st.p[17];
    l = b;
    r = a;
}

void expand(State &st, const uint8_t *salt, size_t saltlen, const uint8_t *key, size_t keylen) {
    mix_key(st, key, keylen);
    rekey(st, salt, saltlen);
}

void expand0(State &st, const uint8_t *key, size_t keylen) {
    mix_key(st, key, keylen);
    rekey(st, nullptr, 0);
}

} // namespace fbsdlp::bundle::blowfish
