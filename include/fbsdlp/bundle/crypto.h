// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The few cryptographic primitives the bundle stage needs, on OpenSSL
// libcrypto: SHA-256, SHA-512, strict base64, and plain Ed25519 (RFC 8032,
// no prehash).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fbsdlp::bundle {

using Bytes = std::vector<uint8_t>;
using Sha256 = std::array<uint8_t, 32>;
using Sha512 = std::array<uint8_t, 64>;

Sha256 sha256(const void *data, size_t len);
Sha512 sha512(const void *data, size_t len);
inline Sha256 sha256(std::string_view s) { return sha256(s.data(), s.size()); }

// Lower-case hexadecimal.
std::string to_hex(const uint8_t *p, size_t n);
template <size_t N> std::string to_hex(const std::array<uint8_t, N> &a) {
    return to_hex(a.data(), N);
}
// Exactly 2*n lower- or upper-case hex digits, else nullopt.
std::optional<Bytes> from_hex(std::string_view s);

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
