// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// bcrypt_pbkdf: the key derivation OpenBSD's signify uses for passphrase-
// protected secret keys (kdfalg "BK").  A PBKDF2-like construction over
// SHA-512 whose pseudo-random function is a bcrypt-style hash, so each round
// costs a full eksblowfish key schedule.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fbsdlp::bundle {

// Derive keylen bytes (1..1024) into key from passphrase and salt
// (1..1<<20 bytes) with rounds >= 1.  Throws std::invalid_argument otherwise.
void bcrypt_pbkdf(std::string_view passphrase, const uint8_t *salt, size_t saltlen, uint8_t *key,
                  size_t keylen, unsigned rounds);

} // namespace fbsdlp::bundle
