// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/util/sha256.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/hex.h"

#include <fstream>
#include <memory>
#include <openssl/evp.h>

namespace fbsdlp {

namespace {

struct MdCtxFree {
    void operator()(EVP_MD_CTX *p) const { EVP_MD_CTX_free(p); }
};

} // namespace

Sha256 sha256(const void *data, size_t len) {
    Sha256 out{};
    unsigned int outlen = 0;
    if (EVP_Digest(data, len, out.data(), &outlen, EVP_sha256(), nullptr) != 1 ||
        outlen != out.size())
        throw Error("libcrypto", "message digest failed");
    return out;
}

std::string sha256_hex(const void *data, size_t len) { return to_hex(sha256(data, len)); }

std::string sha256_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path, "cannot open");
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        throw Error("sha256", "cannot initialise OpenSSL digest");
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
        EVP_DigestUpdate(ctx.get(), buf, size_t(in.gcount()));
    if (in.bad())
        throw Error(path, "read error");
    Sha256 md{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), md.data(), &len) != 1 || len != md.size())
        throw Error("libcrypto", "message digest failed");
    return to_hex(md);
}

} // namespace fbsdlp
