// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// signify key and signature files, and the minisign-compatible 4-line form.

#include "fbsdlp/bundle/signify.h"

#include "fbsdlp/bundle/bcrypt_pbkdf.h"

#include "fbsdlp/util/error.h"

#include <algorithm>
#include <cstring>
#include <openssl/crypto.h>
#include <vector>

namespace fbsdlp::bundle::signify {

namespace {

constexpr std::string_view kUntrusted = "untrusted comment: ";
constexpr std::string_view kTrusted = "trusted comment: ";
constexpr char kPkAlg[2] = {'E', 'd'};
constexpr char kKdfAlg[2] = {'B', 'K'};

// Split text into lines, each of which must end in '\n'.
std::vector<std::string_view> split_lines(std::string_view text, const std::string &where,
                                          const char *what) {
    std::vector<std::string_view> lines;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            throw Error(where, std::string(what) + ": last line is not terminated by a newline",
                        "the file is truncated or was edited");
        lines.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
        if (lines.size() > 4)
            break;
    }
    return lines;
}

std::string comment_of(std::string_view line, std::string_view prefix, size_t max,
                       const std::string &where, const char *what) {
    if (line.substr(0, prefix.size()) != prefix)
        throw Error(where, std::string(what) + ": line does not start with '" +
                               std::string(prefix.substr(0, prefix.size() - 1)) + "'");
    std::string_view text = line.substr(prefix.size());
    if (!valid_comment(text, max))
        throw Error(where, std::string(what) + ": comment is too long or holds control characters");
    return std::string(text);
}

Bytes decode(std::string_view line, size_t want, const std::string &where, const char *what) {
    std::optional<Bytes> b = base64_decode(line);
    if (!b)
        throw Error(where, std::string(what) + ": invalid base64 encoding");
    if (b->size() != want)
        throw Error(where, std::string(what) + ": decodes to " + std::to_string(b->size()) +
                               " bytes, expected " + std::to_string(want));
    return *b;
}

void check_pkalg(const Bytes &b, const std::string &where, const char *what) {
    if (b[0] != kPkAlg[0] || b[1] != kPkAlg[1]) {
        if (b[0] == 'E' && b[1] == 'D')
            throw Error(where,
                        std::string(what) +
                            ": prehashed (\"ED\") minisign signature is not supported",
                        "sign with 'minisign -S -l' (legacy) or with signify");
        throw Error(where, std::string(what) + ": unsupported algorithm (not \"Ed\", Ed25519)");
    }
}

std::string two_lines(const std::string &comment, const uint8_t *p, size_t n) {
    return std::string(kUntrusted) + comment + "\n" + base64_encode(p, n) + "\n";
}

template <size_t N> void take(std::array<uint8_t, N> &dst, const Bytes &src, size_t off) {
    std::copy(src.begin() + long(off), src.begin() + long(off + N), dst.begin());
}

Bytes global_message(const ed25519::Signature &sig, const std::string &tc) {
    Bytes m(sig.begin(), sig.end());
    m.insert(m.end(), tc.begin(), tc.end());
    return m;
}

} // namespace

bool valid_comment(std::string_view text, size_t max) {
    if (text.size() >= max)
        return false;
    for (char c : text)
        if (!(c == '\t' || (c >= 0x20 && c < 0x7f)))
            return false;
    return true;
}

std::string key_id(const KeyNum &n) {
    KeyNum le;
    std::reverse_copy(n.begin(), n.end(), le.begin());
    return to_hex(le.data(), le.size(), true);
}

SecretKey generate(const std::string &comment) {
    SecretKey k;
    random_bytes(k.keynum.data(), k.keynum.size());
    random_bytes(k.seed.data(), k.seed.size());
    k.pub = ed25519::public_from_seed(k.seed);
    k.comment = comment;
    return k;
}

std::string format_public_key(const PublicKey &k, const std::string &comment) {
    uint8_t b[42];
    std::memcpy(b, kPkAlg, 2);
    std::memcpy(b + 2, k.keynum.data(), 8);
    std::memcpy(b + 10, k.key.data(), 32);
    return two_lines(comment, b, sizeof b);
}

std::string format_secret_key(const SecretKey &k, const std::string &comment,
                              const std::optional<std::string> &passphrase, unsigned rounds) {
    uint8_t b[104] = {};
    std::memcpy(b, kPkAlg, 2);
    std::memcpy(b + 2, kKdfAlg, 2);
    // kdfrounds 0 means not encrypted; the salt is then unused.
    uint32_t r = passphrase ? rounds : 0;
    if (passphrase && (rounds == 0 || passphrase->empty()))
        throw Error("secret key", "an encrypted key needs a non-empty passphrase and rounds > 0");
    b[4] = uint8_t(r >> 24);
    b[5] = uint8_t(r >> 16);
    b[6] = uint8_t(r >> 8);
    b[7] = uint8_t(r);
    random_bytes(b + 8, 16);
    uint8_t plain[64];
    std::memcpy(plain, k.seed.data(), 32);
    std::memcpy(plain + 32, k.pub.data(), 32);
    // The checksum is over the plain key, so a wrong passphrase is detected.
    Sha512 h = sha512(plain, sizeof plain);
    std::memcpy(b + 24, h.data(), 8);
    std::memcpy(b + 32, k.keynum.data(), 8);
    std::memcpy(b + 40, plain, 64);
    if (passphrase) {
        uint8_t xorkey[64];
        bcrypt_pbkdf(*passphrase, b + 8, 16, xorkey, sizeof xorkey, r);
        for (size_t i = 0; i < 64; i++)
            b[40 + i] ^= xorkey[i];
        OPENSSL_cleanse(xorkey, sizeof xorkey);
    }
    std::string s = two_lines(comment, b, sizeof b);
    OPENSSL_cleanse(plain, sizeof plain);
    OPENSSL_cleanse(b, sizeof b);
    return s;
}

std::string format_signature(const Signature &s) {
    uint8_t b[74];
    std::memcpy(b, kPkAlg, 2);
    std::memcpy(b + 2, s.keynum.data(), 8);
    std::memcpy(b + 10, s.sig.data(), 64);
    std::string out = two_lines(s.untrusted_comment, b, sizeof b);
    if (s.trusted_comment)
        out += std::string(kTrusted) + *s.trusted_comment + "\n" +
               base64_encode(s.global_sig.data(), s.global_sig.size()) + "\n";
    return out;
}

PublicKey parse_public_key(std::string_view text, const std::string &where) {
    auto lines = split_lines(text, where, "public key");
    if (lines.size() != 2)
        throw Error(where, "public key: expected 2 lines, found " + std::to_string(lines.size()),
                    "a signify public key is a comment line and one base64 line");
    PublicKey k;
    k.comment = comment_of(lines[0], kUntrusted, kUntrustedCommentMax, where, "public key");
    Bytes b = decode(lines[1], 42, where, "public key");
    check_pkalg(b, where, "public key");
    take(k.keynum, b, 2);
    take(k.key, b, 10);
    return k;
}

SecretKey parse_secret_key(std::string_view text, const std::string &where,
                           const PassphraseSource &passphrase) {
    auto lines = split_lines(text, where, "secret key");
    if (lines.size() != 2)
        throw Error(where, "secret key: expected 2 lines, found " + std::to_string(lines.size()),
                    "a signify secret key is a comment line and one base64 line");
    SecretKey k;
    k.comment = comment_of(lines[0], kUntrusted, kUntrustedCommentMax, where, "secret key");
    Bytes b = decode(lines[1], 104, where, "secret key");
    check_pkalg(b, where, "secret key");
    if (b[2] != kKdfAlg[0] || b[3] != kKdfAlg[1])
        throw Error(where, "secret key: unsupported key derivation (not \"BK\")");
    uint32_t rounds = uint32_t(b[4]) << 24 | uint32_t(b[5]) << 16 | uint32_t(b[6]) << 8 | b[7];
    if (rounds != 0) {
        // signify uses 42; far more would only make a typo'd key hang.
        if (rounds > kMaxKdfRounds)
            throw Error(where,
                        "secret key: " + std::to_string(rounds) +
                            " key derivation rounds is more than the limit of " +
                            std::to_string(kMaxKdfRounds),
                        "the key file is corrupt or was not made by signify");
        if (!passphrase)
            throw Error(where, "secret key is protected by a passphrase",
                        "give it with --passphrase-file FILE, or run on a terminal to be asked");
        std::string pw = passphrase();
        if (pw.empty())
            throw Error(where, "secret key: empty passphrase");
        uint8_t xorkey[64];
        bcrypt_pbkdf(pw, b.data() + 8, 16, xorkey, sizeof xorkey, rounds);
        OPENSSL_cleanse(pw.data(), pw.size());
        for (size_t i = 0; i < 64; i++)
            b[40 + i] ^= xorkey[i];
        OPENSSL_cleanse(xorkey, sizeof xorkey);
    }
    Sha512 h = sha512(b.data() + 40, 64);
    if (!std::equal(h.begin(), h.begin() + 8, b.begin() + 24)) {
        OPENSSL_cleanse(b.data(), b.size());
        if (rounds != 0)
            throw Error(where, "secret key: incorrect passphrase");
        throw Error(where, "secret key: checksum mismatch", "the key file is corrupt");
    }
    take(k.keynum, b, 32);
    take(k.seed, b, 40);
    take(k.pub, b, 72);
    if (ed25519::public_from_seed(k.seed) != k.pub)
        throw Error(where, "secret key: public half does not match the private half",
                    "the key file is corrupt");
    OPENSSL_cleanse(b.data(), b.size());
    return k;
}

Signature parse_signature(std::string_view text, const std::string &where) {
    auto lines = split_lines(text, where, "signature");
    if (lines.size() != 2 && lines.size() != 4)
        throw Error(where,
                    "signature: expected 2 or 4 lines, found " +
                        (lines.size() > 4 ? std::string("more") : std::to_string(lines.size())),
                    "a signature is a comment line, a base64 line, and optionally a trusted "
                    "comment line and its base64 signature line");
    Signature s;
    s.untrusted_comment =
        comment_of(lines[0], kUntrusted, kUntrustedCommentMax, where, "signature");
    Bytes b = decode(lines[1], 74, where, "signature");
    check_pkalg(b, where, "signature");
    take(s.keynum, b, 2);
    take(s.sig, b, 10);
    if (lines.size() == 4) {
        s.trusted_comment = comment_of(lines[2], kTrusted, kTrustedCommentMax, where, "signature");
        Bytes g = decode(lines[3], 64, where, "signature: trusted comment signature");
        take(s.global_sig, g, 0);
    }
    return s;
}

Signature sign(const SecretKey &k, std::string_view msg, const std::string &untrusted_comment,
               const std::optional<std::string> &trusted_comment) {
    if (!valid_comment(untrusted_comment, kUntrustedCommentMax))
        throw Error("signature", "untrusted comment is too long or holds control characters");
    Signature s;
    s.untrusted_comment = untrusted_comment;
    s.keynum = k.keynum;
    s.sig = ed25519::sign(k.seed, reinterpret_cast<const uint8_t *>(msg.data()), msg.size());
    if (trusted_comment) {
        if (!valid_comment(*trusted_comment, kTrustedCommentMax))
            throw Error("signature", "trusted comment is too long or holds control characters");
        s.trusted_comment = trusted_comment;
        Bytes g = global_message(s.sig, *trusted_comment);
        s.global_sig = ed25519::sign(k.seed, g.data(), g.size());
    }
    return s;
}

void verify(const PublicKey &pub, const Signature &sig, std::string_view msg,
            const std::string &where) {
    if (pub.keynum != sig.keynum)
        throw Error(where, "verification failed: checked against wrong key",
                    "signed by key id " + key_id(sig.keynum) + ", the public key has key id " +
                        key_id(pub.keynum));
    if (!ed25519::verify(pub.key, reinterpret_cast<const uint8_t *>(msg.data()), msg.size(),
                         sig.sig))
        throw Error(where, "signature verification failed",
                    "the signed file was altered or the signature is corrupt");
    if (sig.trusted_comment) {
        Bytes g = global_message(sig.sig, *sig.trusted_comment);
        if (!ed25519::verify(pub.key, g.data(), g.size(), sig.global_sig))
            throw Error(where, "trusted comment signature verification failed",
                        "the trusted comment was altered");
    }
}

} // namespace fbsdlp::bundle::signify
