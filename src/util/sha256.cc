// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/util/sha256.h"
#include "fbsdlp/util/error.h"

#include <fstream>
#include <openssl/evp.h>

namespace fbsdlp {

namespace {

struct Digest {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    Digest() {
        if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1)
            throw Error("sha256", "cannot initialise OpenSSL digest");
    }
    ~Digest() { EVP_MD_CTX_free(ctx); }
    void update(const void *p, size_t n) { EVP_DigestUpdate(ctx, p, n); }
    std::string hex() {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        EVP_DigestFinal_ex(ctx, md, &len);
        static const char digits[] = "0123456789abcdef";
        std::string s;
        for (unsigned i = 0; i < len; i++) {
            s += digits[md[i] >> 4];
            s += digits[md[i] & 15];
        }
        return s;
    }
};

} // namespace

std::string sha256_hex(std::span<const uint8_t> data) {
    Digest d;
    d.update(data.data(), data.size());
    return d.hex();
}

std::string sha256_hex(const std::string &data) {
    Digest d;
    d.update(data.data(), data.size());
    return d.hex();
}

std::string sha256_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path, "cannot open");
    Digest d;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
        d.update(buf, size_t(in.gcount()));
    return d.hex();
}

} // namespace fbsdlp
