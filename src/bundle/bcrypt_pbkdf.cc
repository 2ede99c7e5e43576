// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Written from the algorithm's description (Ted Unangst, 2013): each output
// block is the XOR of `rounds` iterated bcrypt-style hashes, and the blocks
// are interleaved across the output so that the whole key must be derived
// to obtain any part of it.

#include "fbsdlp/bundle/bcrypt_pbkdf.h"

#include "blowfish.h"
#include "fbsdlp/bundle/crypto.h"

#include <algorithm>
#include <openssl/crypto.h>
#include <stdexcept>
#include <vector>

namespace fbsdlp::bundle {

namespace {

constexpr size_t kHashLen = 32;
// The magic plaintext of the bcrypt-style hash.
constexpr char kMagic[] = "OxychromaticBlowfishSwatDynamite";

// One bcrypt-style hash of the two 64-byte digests: an eksblowfish schedule
// keyed by the passphrase digest and salted by the salt digest, then the
// magic text encrypted 64 times; the words come out little-endian.
void bcrypt_hash(const Sha512 &pass, const Sha512 &salt, uint8_t out[kHashLen]) {
    blowfish::State st;
    blowfish::init(st);
    blowfish::expand(st, salt.data(), salt.size(), pass.data(), pass.size());
    for (int i = 0; i < 64; i++) {
        blowfish::expand0(st, salt.data(), salt.size());
        blowfish::expand0(st, pass.data(), pass.size());
    }
    uint32_t c[kHashLen / 4];
    for (size_t i = 0; i < kHashLen / 4; i++) {
        const auto *m = reinterpret_cast<const uint8_t *>(kMagic) + 4 * i;
        c[i] = uint32_t(m[0]) << 24 | uint32_t(m[1]) << 16 | uint32_t(m[2]) << 8 | m[3];
    }
    for (int n = 0; n < 64; n++)
        for (size_t i = 0; i < kHashLen / 4; i += 2)
            blowfish::encipher(st, c[i], c[i + 1]);
    for (size_t i = 0; i < kHashLen / 4; i++)
        for (int b = 0; b < 4; b++)
            out[4 * i + b] = uint8_t(c[i] >> (8 * b));
    OPENSSL_cleanse(&st, sizeof st);
    OPENSSL_cleanse(c, sizeof c);
}

} // namespace

void bcrypt_pbkdf(std::string_view passphrase, const uint8_t *salt, size_t saltlen, uint8_t *key,
                  size_t keylen, unsigned rounds) {
    if (rounds < 1 || keylen == 0 || keylen > kHashLen * kHashLen || saltlen == 0 ||
        saltlen > (1u << 20))
        throw std::invalid_argument("bcrypt_pbkdf: parameters out of range");
    const size_t stride = (keylen + kHashLen - 1) / kHashLen;
    const size_t amount = (keylen + stride - 1) / stride;

    Sha512 pass = sha512(passphrase.data(), passphrase.size());
    std::vector<uint8_t> counted(salt, salt + saltlen);
    counted.resize(saltlen + 4);
    uint8_t block[kHashLen], acc[kHashLen];
    size_t left = keylen;
    for (uint32_t count = 1; left > 0; count++) {
        counted[saltlen + 0] = uint8_t(count >> 24);
        counted[saltlen + 1] = uint8_t(count >> 16);
        counted[saltlen + 2] = uint8_t(count >> 8);
        counted[saltlen + 3] = uint8_t(count);
        Sha512 s = sha512(counted.data(), counted.size());
        bcrypt_hash(pass, s, block);
        std::copy(block, block + kHashLen, acc);
        for (unsigned r = 1; r < rounds; r++) {
            s = sha512(block, kHashLen);
            bcrypt_hash(pass, s, block);
            for (size_t i = 0; i < kHashLen; i++)
                acc[i] ^= block[i];
        }
        // Output byte i of this block goes to position i * stride + count - 1.
        size_t i = 0;
        for (; i < amount; i++) {
            size_t dest = i * stride + (count - 1);
            if (dest >= keylen)
                break;
            key[dest] = acc[i];
        }
        left -= i;
    }
    OPENSSL_cleanse(pass.data(), pass.size());
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(acc, sizeof acc);
}

} // namespace fbsdlp::bundle
