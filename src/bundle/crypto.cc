// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Hashes, base64 and Ed25519 on OpenSSL libcrypto (EVP interfaces only).

#include "fbsdlp/bundle/crypto.h"

#include "fbsdlp/util/error.h"

#include <memory>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace fbsdlp::bundle {

namespace {

struct PkeyFree {
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX *p) const { EVP_MD_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

template <size_t N> std::array<uint8_t, N> digest(const EVP_MD *md, const void *data, size_t len) {
    std::array<uint8_t, N> out{};
    unsigned int outlen = 0;
    if (EVP_Digest(data, len, out.data(), &outlen, md, nullptr) != 1 || outlen != N)
        throw Error("libcrypto", "message digest failed");
    return out;
}

PkeyPtr private_key(const ed25519::Seed &seed) {
    PkeyPtr k(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
    if (!k)
        throw Error("libcrypto", "cannot create an Ed25519 private key");
    return k;
}

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_value(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

} // namespace

Sha512 sha512(const void *data, size_t len) { return digest<64>(EVP_sha512(), data, len); }

std::string base64_encode(const uint8_t *p, size_t n) {
    std::string s(4 * ((n + 2) / 3) + 1, '\0');
    int len = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(s.data()), p, int(n));
    if (len < 0)
        throw Error("libcrypto", "base64 encoding failed");
    s.resize(size_t(len));
    return s;
}

std::optional<Bytes> base64_decode(std::string_view s) {
    if (s.empty() || s.size() % 4 != 0 || s.size() > (1u << 20))
        return std::nullopt;
    size_t pad = 0;
    if (s.back() == '=')
        pad = s[s.size() - 2] == '=' ? 2 : 1;
    for (size_t i = 0; i < s.size() - pad; i++)
        if (b64_value(s[i]) < 0)
            return std::nullopt;
    // Canonical: the bits the padding leaves unused must be zero.
    if (pad == 1 && (b64_value(s[s.size() - 2]) & 0x3) != 0)
        return std::nullopt;
    if (pad == 2 && (b64_value(s[s.size() - 3]) & 0xf) != 0)
        return std::nullopt;
    Bytes out(s.size() / 4 * 3);
    int len = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char *>(s.data()),
                              int(s.size()));
    if (len < 0 || size_t(len) != out.size())
        return std::nullopt;
    out.resize(out.size() - pad);
    // Belt and braces: the encoding of the result must be the input.
    if (base64_encode(out.data(), out.size()) != s)
        return std::nullopt;
    return out;
}

void random_bytes(uint8_t *p, size_t n) {
    if (RAND_bytes(p, int(n)) != 1)
        throw Error("libcrypto", "no random bytes available");
}

namespace ed25519 {

PublicKey public_from_seed(const Seed &seed) {
    PkeyPtr k = private_key(seed);
    PublicKey pub{};
    size_t len = pub.size();
    if (EVP_PKEY_get_raw_public_key(k.get(), pub.data(), &len) != 1 || len != pub.size())
        throw Error("libcrypto", "cannot derive the Ed25519 public key");
    return pub;
}

Signature sign(const Seed &seed, const uint8_t *msg, size_t len) {
    PkeyPtr k = private_key(seed);
    MdCtxPtr ctx(EVP_MD_CTX_new());
    Signature sig{};
    size_t siglen = sig.size();
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, k.get()) != 1 ||
        EVP_DigestSign(ctx.get(), sig.data(), &siglen, msg, len) != 1 || siglen != sig.size())
        throw Error("libcrypto", "Ed25519 signing failed");
    return sig;
}

bool verify(const PublicKey &pub, const uint8_t *msg, size_t len, const Signature &sig) {
    PkeyPtr k(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pub.data(), pub.size()));
    if (!k)
        return false;
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, k.get()) != 1)
        throw Error("libcrypto", "cannot set up Ed25519 verification");
    return EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), msg, len) == 1;
}

} // namespace ed25519

} // namespace fbsdlp::bundle
