// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Blowfish with the "expensive key schedule" of Provos and Mazieres
// (eksblowfish), the block cipher inside bcrypt_pbkdf.  Internal to
// src/bundle: nothing else should encrypt with Blowfish.

#pragma once

#include <cstddef>
#include <cstdint>

namespace fbsdlp::bundle::blowfish {

extern const uint32_t kInitP[18];
extern const uint32_t kInitS[4][256];

struct State {
    uint32_t p[18];
    uint32_t s[4][256];
};

// The state every schedule starts from: the digits of pi.
void init(State &st);

// Encrypt one 64-bit block held as two big-endian halves.
void encipher(const State &st, uint32_t &l, uint32_t &r);

// Eksblowfish's ExpandKey(state, salt, key): key cycles into P, then the
// whole of P and S is re-derived by encrypting a running block that is
// mixed with the salt stream.
void expand(State &st, const uint8_t *salt, size_t saltlen, const uint8_t *key, size_t keylen);

// ExpandKey(state, 0, key): the same without the salt.
void expand0(State &st, const uint8_t *key, size_t keylen);

} // namespace fbsdlp::bundle::blowfish
