// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The few cryptographic primitives the bundle stage needs, on OpenSSL
// libcrypto: SHA-512, strict base64, and plain Ed25519 (RFC 8032, no
// prehash).  SHA-256, hex and the byte buffer are the generator's own
// (fbsdlp/util), named here too for the bundle code.
#pragma once

#include "fbsdlp/util/bytes.h"
#include "fbsdlp/util/hex.h"
#include "fbsdlp/util/sha256.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fbsdlp::bundle {

using fbsdlp::Bytes;
using fbsdlp::from_hex;
using fbsdlp::sha256;
using fbsdlp::Sha256;
using fbsdlp::to_hex;
using Sha512 = std::array<uint8_t, 64>;

Sha512 sha512(const void *data, size_t len);

// Standard base64 (RFC 4648), padded, no line breaks.
std::string base64_encode(const uint8_t *p, size_t n);
// Strict: only the standard alphabet, length a multiple of 4, '=' only as the
// final one or two characters, and the unused bits of the last group zero
// (so every byte string has exactly one accepted encoding).
std::optional<Bytes> base64_decode(std::string_view s);

// Cryptographically secure random bytes; throws fbsdlp::Error on failure.
void random_bytes(uint8_t *p, size_t n);

namespace ed25519 {
using Seed = std::array<uint8_t, 32>;
using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

PublicKey public_from_seed(const Seed &seed);
Signature sign(const Seed &seed, const uint8_t *msg, size_t len);
bool verify(const PublicKey &pub, const uint8_t *msg, size_t len, const Signature &sig);
} // namespace ed25519

} // namespace fbsdlp::bundle
