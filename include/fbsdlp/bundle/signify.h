// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Ed25519 keys and signatures in OpenBSD signify's file formats, and the
// 4-line minisign-compatible signature (legacy "Ed" algorithm) with a
// trusted comment.  The byte layouts are in docs/bundle-format.md.
//
//   public key  "Ed" | keynum(8) | public key(32)                       42 bytes
//   secret key  "Ed" | "BK" | rounds(4, BE) | salt(16) | checksum(8) |
//               keynum(8) | seed(32) | public key(32)                    104 bytes
//   signature   "Ed" | keynum(8) | Ed25519(message)(64)                 74 bytes
//
// Every file is "untrusted comment: TEXT\n" followed by one base64 line; a
// 4-line signature adds "trusted comment: TEXT\n" and the base64 of
// Ed25519(signature(64) | TEXT).
#pragma once

#include "fbsdlp/bundle/crypto.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fbsdlp::bundle::signify {

// signify -G uses 42 rounds; a key claiming more than this is refused.
constexpr unsigned kDefaultKdfRounds = 42;
constexpr unsigned kMaxKdfRounds = 1000;

using KeyNum = std::array<uint8_t, 8>;

struct PublicKey {
    KeyNum keynum{};
    ed25519::PublicKey key{};
    std::string comment; // the untrusted comment, without its prefix
};

struct SecretKey {
    KeyNum keynum{};
    ed25519::Seed seed{};
    ed25519::PublicKey pub{};
    std::string comment;

    PublicKey public_key() const { return {keynum, pub, {}}; }
};

struct Signature {
    std::string untrusted_comment;
    KeyNum keynum{};
    ed25519::Signature sig{};
    // Present in the 4-line form only.
    std::optional<std::string> trusted_comment;
    ed25519::Signature global_sig{};
};

// A new random key pair; comments are the full untrusted comment texts.
SecretKey generate(const std::string &comment);

std::string format_public_key(const PublicKey &k, const std::string &comment);
// With a passphrase, the key is encrypted as signify does: the 64 secret
// bytes XORed with bcrypt_pbkdf(passphrase, salt, rounds).
std::string format_secret_key(const SecretKey &k, const std::string &comment,
                              const std::optional<std::string> &passphrase = std::nullopt,
                              unsigned rounds = kDefaultKdfRounds);
std::string format_signature(const Signature &s);

// Parsers are strict and throw fbsdlp::Error(where, ...) on any deviation.
// A passphrase-protected secret key (kdfrounds != 0) asks passphrase() once;
// without a source it is refused with a hint.  A wrong passphrase reads
// "incorrect passphrase".
using PassphraseSource = std::function<std::string()>;
PublicKey parse_public_key(std::string_view text, const std::string &where);
SecretKey parse_secret_key(std::string_view text, const std::string &where,
                           const PassphraseSource &passphrase = {});
Signature parse_signature(std::string_view text, const std::string &where);

// Sign msg; with a trusted comment the result is the 4-line form.
Signature sign(const SecretKey &k, std::string_view msg, const std::string &untrusted_comment,
               const std::optional<std::string> &trusted_comment);

// Throws fbsdlp::Error(where, ...) unless sig is a valid signature of msg by
// pub (and, in the 4-line form, the global signature over the trusted comment
// is valid too).  A key mismatch reads "checked against wrong key".
void verify(const PublicKey &pub, const Signature &sig, std::string_view msg,
            const std::string &where);

// The key id as minisign prints it: keynum read little-endian, upper-case hex.
std::string key_id(const KeyNum &n);

// Is text acceptable as a comment (printable ASCII or tab, bounded length)?
bool valid_comment(std::string_view text, size_t max);

constexpr size_t kUntrustedCommentMax = 1024;
constexpr size_t kTrustedCommentMax = 8192 - 18 - 1;

} // namespace fbsdlp::bundle::signify
