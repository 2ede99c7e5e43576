// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The bundle stage and its signatures: known answers for the primitives,
// the signify/minisign formats checked by the real signify-openbsd and
// minisign, and tampering of every byte of a bundle.

#include "harness.h"

#include "fbsdlp/bundle/bcrypt_pbkdf.h"
#include "fbsdlp/bundle/bundle.h"
#include "fbsdlp/bundle/crypto.h"
#include "fbsdlp/bundle/signify.h"
#include "fbsdlp/bundle/tar.h"
#include "fbsdlp/util/error.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace fbsdlp;
using namespace fbsdlp::bundle;
using namespace fbsdlp::test;

namespace {

Bytes hex(const std::string &s) {
    auto b = from_hex(s);
    REQUIRE(b);
    return *b;
}

template <size_t N> std::array<uint8_t, N> arr(const std::string &s) {
    Bytes b = hex(s);
    REQUIRE(b.size() == N);
    std::array<uint8_t, N> a{};
    std::copy(b.begin(), b.end(), a.begin());
    return a;
}

Bytes slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void spit(const std::string &path, const Bytes &b) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(b.data()), std::streamsize(b.size()));
    REQUIRE(out);
}

std::string q(const std::string &s) { return shell_quote(s); }

std::string pg() { return q(patchgen()); }

// Run in dir; returns the result.
CommandResult run_in(const std::string &dir, const std::string &cmd) {
    return run("cd " + q(dir) + " && { " + cmd + "; }");
}

bool has_tool(const char *name) {
    return run(std::string("command -v ") + name + " >/dev/null").status == 0;
}

// A small but real kernel-module-shaped ELF relocatable object.
void make_module(const std::string &dir, const std::string &name, const std::string &body = "1") {
    std::ofstream(dir + "/" + name + ".c")
        << "int livepatch_fn(int a) { return a + " << body << "; }\n";
    CommandResult r = run_in(dir, "cc -c -O2 -o " + q(name + ".ko") + " " + q(name + ".c"));
    INFO(r.output);
    REQUIRE(r.status == 0);
}

const std::string kBuildId = "0123456789abcdef0123456789abcdef01234567";

std::string bundle_cmd(const std::string &name, const std::string &extra = "") {
    // --unchecked: a plain object stands for the module (the format is
    // under test here, not the module).
    return "SOURCE_DATE_EPOCH=1790000000 " + pg() + " bundle --unchecked --module " +
           q(name + ".ko") + " --build-id " + kBuildId +
           " --freebsd-version 1500000 --kernconf GENERIC --function livepatch_fn:kern/x.o " +
           extra + " -q -o " + q(name + ".lpbundle");
}

// Manifest + fake module for in-process tests (no compiler needed).
CreateInput sample_input(const std::string &name = "fix1") {
    CreateInput in;
    in.manifest.name = name;
    in.manifest.build_id = kBuildId;
    in.manifest.freebsd_version = 1500000;
    in.manifest.kernconf = "GENERIC";
    in.manifest.functions = {{"livepatch_fn", "kern/x.o"}};
    in.manifest.tool_version = "0.1.0";
    in.manifest.created = 1790000000;
    in.module.assign(200, 0);
    const uint8_t ehdr[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 9};
    std::memcpy(in.module.data(), ehdr, sizeof ehdr);
    in.module[16] = 1; // ET_REL
    for (size_t i = 64; i < in.module.size(); i++)
        in.module[i] = uint8_t(i * 7);
    return in;
}

// Throws unless it verifies.
void read_and_verify(const Bytes &data, const signify::PublicKey &pub) {
    Bundle b = read(data, "t.lpbundle");
    verify(b, pub, "t.lpbundle");
}

std::string failure_of(const Bytes &data, const signify::PublicKey &pub) {
    try {
        read_and_verify(data, pub);
    } catch (const Error &e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST_CASE("SHA-256, SHA-512 and hex: known answers", "[bundle]") {
    CHECK(to_hex(sha256("abc")) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(to_hex(sha512("abc", 3)) ==
          "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
          "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    CHECK(!from_hex("abc"));
    CHECK(!from_hex("zz"));
}

TEST_CASE("base64: RFC 4648 vectors and strict decoding", "[bundle]") {
    const std::pair<const char *, const char *> v[] = {
        {"f", "Zg=="},        {"fo", "Zm8="},        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (auto [plain, enc] : v) {
        CHECK(base64_encode(reinterpret_cast<const uint8_t *>(plain), std::strlen(plain)) == enc);
        auto d = base64_decode(enc);
        REQUIRE(d);
        CHECK(std::string(d->begin(), d->end()) == plain);
    }
    for (const char *bad : {"", "Zg=", "Zg", "Zh==", "Zm9=", "Zm9v\n", "Zm9 v", " Zm9v",
                            "Zg==Zg==", "=Zg=", "Z===", "Zm-v", "Zm_v", "Zm9v====", "Zg=a"})
        CHECK_FALSE(base64_decode(bad));
}

TEST_CASE("Ed25519: RFC 8032 test vector 1", "[bundle]") {
    auto seed = arr<32>("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    auto pub = arr<32>("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    auto sig = arr<64>("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                       "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    CHECK(ed25519::public_from_seed(seed) == pub);
    CHECK(ed25519::sign(seed, nullptr, 0) == sig);
    CHECK(ed25519::verify(pub, nullptr, 0, sig));
    auto bad = sig;
    bad[0] ^= 1;
    CHECK_FALSE(ed25519::verify(pub, nullptr, 0, bad));
    const uint8_t m = 0x72;
    CHECK_FALSE(ed25519::verify(pub, &m, 1, sig));
}

// Known answers from an independent implementation (python3-bcrypt's kdf,
// which OpenSSH's keys also use), not from ours.
TEST_CASE("bcrypt_pbkdf: known answers", "[bundle]") {
    struct Vector {
        std::string pass, salt;
        size_t len;
        unsigned rounds;
        std::string want;
    };
    std::string odd_pass = std::string("\x00\x01\x02\x03", 4) + "pw";
    const Vector vs[] = {
        {"password", "salt", 32, 4,
         "5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9"},
        {"password", "salt", 64, 42,
         "834b3c4df0bcdc22f5be6db9b65356bd0820e82ff082dcca0ccee80b82a7bd2a"
         "44198af56d7087fef9de95f4d883bf03b491d9ff60ce7bee1931efb16361e4cd"},
        // 88 bytes: three interleaved blocks, a short last one; a NUL in the
        // passphrase is data, not an end.
        {odd_pass, std::string(16, '\xff'), 88, 2,
         "eb51631fde3058c11df5b5d14c6ac7017f4dee9f0ae2c670398d5d021189e170"
         "3c5ddb7abb93e63e55814dc43b3c50b5f735879194bd07c2dfa9c2f66a70afd4"
         "2ac9bd876be9410aa6567b83966beec943c876aab2be77dd"},
        {"x", "NaCl", 1, 1, "2e"},
    };
    for (const Vector &v : vs) {
        Bytes out(v.len);
        bcrypt_pbkdf(v.pass, reinterpret_cast<const uint8_t *>(v.salt.data()), v.salt.size(),
                     out.data(), out.size(), v.rounds);
        INFO(v.pass << " " << v.len << " " << v.rounds);
        CHECK(to_hex(out.data(), out.size()) == v.want);
    }
    uint8_t k[8];
    const uint8_t salt[1] = {0};
    CHECK_THROWS(bcrypt_pbkdf("p", salt, 1, k, sizeof k, 0));
    CHECK_THROWS(bcrypt_pbkdf("p", salt, 0, k, sizeof k, 1));
    CHECK_THROWS(bcrypt_pbkdf("p", salt, 1, k, 0, 1));
}

TEST_CASE("signify secret keys with a passphrase", "[bundle]") {
    signify::SecretKey k = signify::generate("k");
    std::string text = signify::format_secret_key(k, "enc", std::string("correct horse"), 8);
    auto raw = base64_decode(text.substr(text.find('\n') + 1, 140));
    REQUIRE(raw);
    CHECK((*raw)[7] == 8);
    // The secret bytes are not stored in the clear.
    CHECK(!std::equal(k.seed.begin(), k.seed.end(), raw->begin() + 40));
    int asked = 0;
    auto right = [&] {
        asked++;
        return std::string("correct horse");
    };
    signify::SecretKey k2 = signify::parse_secret_key(text, "e.sec", right);
    CHECK(asked == 1);
    CHECK(k2.seed == k.seed);
    CHECK(k2.pub == k.pub);
    CHECK_THROWS_WITH(signify::parse_secret_key(text, "e.sec", [] { return std::string("wrong"); }),
                      Catch::Contains("incorrect passphrase"));
    CHECK_THROWS_WITH(signify::parse_secret_key(text, "e.sec"),
                      Catch::Contains("protected by a passphrase"));
    CHECK_THROWS_WITH(signify::parse_secret_key(text, "e.sec", [] { return std::string(); }),
                      Catch::Contains("empty passphrase"));
    // An absurd round count is refused before any work is done.
    Bytes r = *raw;
    r[4] = 0x7f;
    CHECK_THROWS_WITH(signify::parse_secret_key("untrusted comment: x\n" +
                                                    base64_encode(r.data(), r.size()) + "\n",
                                                "e.sec", right),
                      Catch::Contains("more than the limit"));
    CHECK_THROWS(signify::format_secret_key(k, "enc", std::string(), 8));
}

TEST_CASE("signify formats: layout, round trip, strict parsing", "[bundle]") {
    signify::SecretKey k;
    k.seed = arr<32>("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    k.pub = ed25519::public_from_seed(k.seed);
    k.keynum = arr<8>("0102030405060708");
    std::string pubtext = signify::format_public_key(k.public_key(), "test public key");
    // "Ed" | keynum | key, base64: 56 characters.
    Bytes want = {'E', 'd', 1, 2, 3, 4, 5, 6, 7, 8};
    want.insert(want.end(), k.pub.begin(), k.pub.end());
    CHECK(pubtext ==
          "untrusted comment: test public key\n" + base64_encode(want.data(), want.size()) + "\n");
    CHECK(signify::key_id(k.keynum) == "0807060504030201");

    std::string sectext = signify::format_secret_key(k, "test secret key");
    signify::SecretKey k2 = signify::parse_secret_key(sectext, "t.sec");
    CHECK(k2.seed == k.seed);
    CHECK(k2.keynum == k.keynum);
    auto raw = base64_decode(sectext.substr(sectext.find('\n') + 1, 140));
    REQUIRE(raw);
    REQUIRE(raw->size() == 104);
    CHECK(std::string(raw->begin(), raw->begin() + 4) == "EdBK");
    CHECK(std::all_of(raw->begin() + 4, raw->begin() + 8, [](uint8_t c) { return c == 0; }));

    signify::Signature s =
        signify::sign(k, "hello\n", "verify with t.pub", std::string("bundle=x"));
    std::string sigtext = signify::format_signature(s);
    signify::Signature s2 = signify::parse_signature(sigtext, "t.sig");
    CHECK_NOTHROW(signify::verify(k.public_key(), s2, "hello\n", "t.sig"));
    CHECK_THROWS_WITH(signify::verify(k.public_key(), s2, "hellO\n", "t.sig"),
                      Catch::Contains("signature verification failed"));
    signify::PublicKey other = k.public_key();
    other.keynum[0] ^= 1;
    CHECK_THROWS_WITH(signify::verify(other, s2, "hello\n", "t.sig"),
                      Catch::Contains("checked against wrong key"));
    s2.trusted_comment = "bundle=y";
    CHECK_THROWS_WITH(signify::verify(k.public_key(), s2, "hello\n", "t.sig"),
                      Catch::Contains("trusted comment signature verification failed"));

    CHECK_THROWS_WITH(signify::parse_signature(sigtext.substr(0, sigtext.size() - 1), "t.sig"),
                      Catch::Contains("newline"));
    CHECK_THROWS_WITH(signify::parse_signature(sigtext + "x\n", "t.sig"),
                      Catch::Contains("expected 2 or 4 lines"));
    CHECK_THROWS_WITH(signify::parse_public_key("untrusted comment: x\nRWQ=\n", "t.pub"),
                      Catch::Contains("decodes to"));
    CHECK_THROWS_WITH(
        signify::parse_public_key("comment: x\n" + pubtext.substr(pubtext.find('\n') + 1), "t.pub"),
        Catch::Contains("untrusted comment"));
    // Corrupt secret key: checksum.
    Bytes r = *raw;
    r[50] ^= 1;
    CHECK_THROWS_WITH(signify::parse_secret_key("untrusted comment: x\n" +
                                                    base64_encode(r.data(), r.size()) + "\n",
                                                "t.sec"),
                      Catch::Contains("checksum mismatch"));
    // Passphrase-protected: refused with a clear message.
    r = *raw;
    r[7] = 42;
    CHECK_THROWS_WITH(signify::parse_secret_key("untrusted comment: x\n" +
                                                    base64_encode(r.data(), r.size()) + "\n",
                                                "t.sec"),
                      Catch::Contains("passphrase"));
}

TEST_CASE("tar: round trip and strict reading", "[bundle]") {
    std::vector<tar::Member> ms = {
        {"a.txt", Bytes{'h', 'i'}}, {"b", Bytes(512, 'x')}, {"empty", {}}};
    Bytes t = tar::write(ms, 1234);
    CHECK(t.size() == 512 * 7);
    auto back = tar::read(t.data(), t.size(), "t");
    REQUIRE(back.size() == 3);
    CHECK(back[0].name == "a.txt");
    CHECK(back[1].data == ms[1].data);
    CHECK(back[2].data.empty());
    CHECK_THROWS_WITH(tar::read(t.data(), t.size() - 512, "t"), Catch::Contains("end-of-archive"));
    CHECK_THROWS_WITH(tar::read(t.data(), t.size() - 1, "t"), Catch::Contains("multiple of 512"));
    CHECK_THROWS_WITH(tar::write({{"a/b", {}}}, 0), Catch::Contains("invalid member name"));
    CHECK_THROWS_WITH(tar::write({{"..", {}}}, 0), Catch::Contains("invalid member name"));
    CHECK_THROWS_WITH(tar::write({{"x", {}}, {"x", {}}}, 0), Catch::Contains("duplicate"));
    Bytes pad = t;
    pad[512 + 100] = 1; // after a.txt's two bytes
    CHECK_THROWS_WITH(tar::read(pad.data(), pad.size(), "t"), Catch::Contains("non-zero padding"));
    // A size that runs past the end (header checksum kept valid).
    Bytes big = t;
    big[124 + 5] = '7';
    unsigned sum = 0;
    for (size_t i = 0; i < 512; i++)
        sum += (i >= 148 && i < 156) ? ' ' : big[i];
    std::snprintf(reinterpret_cast<char *>(&big[148]), 8, "%06o", sum);
    big[155] = ' ';
    CHECK_THROWS_WITH(tar::read(big.data(), big.size(), "t"), Catch::Contains("runs past the end"));
    Bytes bad = t;
    bad[0] = 'A';
    CHECK_THROWS_WITH(tar::read(bad.data(), bad.size(), "t"), Catch::Contains("checksum mismatch"));
}

TEST_CASE("bundle library: create, read, verify, reject", "[bundle]") {
    signify::SecretKey k = signify::generate("k");
    signify::PublicKey pub = k.public_key();
    CreateInput in = sample_input();
    Bytes data = create(in, &k, "verify with k.pub");
    Bundle b = read(data, "t");
    CHECK(b.manifest.name == "fix1");
    CHECK(b.manifest.functions == in.manifest.functions);
    REQUIRE(b.signature);
    CHECK(*b.signature->trusted_comment ==
          "bundle=fix1 target_build_id=" + kBuildId + " created=1790000000");
    CHECK_NOTHROW(verify(b, pub, "t"));
    // Deterministic: same inputs, same bytes.
    CHECK(create(in, &k, "verify with k.pub") == data);

    // Unsigned bundles read but do not verify.
    Bundle u = read(create(in, nullptr, ""), "t");
    CHECK_THROWS_WITH(verify(u, pub, "t"), Catch::Contains("not signed"));
    // Signing an unsigned bundle gives the same bytes as signing at creation.
    CHECK(sign(u, k, "verify with k.pub") == data);

    // Wrong key.
    signify::SecretKey k2 = signify::generate("k2");
    CHECK_THROWS_WITH(verify(b, k2.public_key(), "t"),
                      Catch::Contains("checked against wrong key"));
    // Same keynum, different key.
    signify::PublicKey forged = k2.public_key();
    forged.keynum = pub.keynum;
    CHECK_THROWS_WITH(verify(b, forged, "t"), Catch::Contains("signature verification failed"));

    // A validly signed trusted comment that names another bundle.
    Bundle t = b;
    t.signature = signify::sign(k, t.sha256_list, "x",
                                std::string("bundle=other target_build_id=" + kBuildId));
    CHECK_THROWS_WITH(verify(t, pub, "t"), Catch::Contains("trusted comment says bundle=other"));

    // Members: unexpected, missing, unlisted, swapped.
    auto members = tar::read(data.data(), data.size(), "t");
    auto rebuild = [&](std::function<void(std::vector<tar::Member> &)> f) {
        auto m = members;
        f(m);
        return tar::write(m, 0);
    };
    CHECK_THROWS_WITH(read(rebuild([](auto &m) {
                               m.push_back({"extra", {}});
                           }),
                           "t"),
                      Catch::Contains("unexpected member 'extra'"));
    CHECK_THROWS_WITH(read(rebuild([](auto &m) {
                               m.push_back({"other.ko", {}});
                           }),
                           "t"),
                      Catch::Contains("more than one module"));
    CHECK_THROWS_WITH(read(rebuild([](auto &m) { m.erase(m.begin() + 1); }), "t"),
                      Catch::Contains("missing member 'NAME.ko'"));
    CHECK_THROWS_WITH(read(rebuild([](auto &m) {
                               m.push_back({"report.json", {'{', '}'}});
                           }),
                           "t"),
                      Catch::Contains("report.json: member is not listed in SHA256"));
    CHECK_THROWS_WITH(read(rebuild([](auto &m) { m[1].name = "fix2.ko"; }), "t"),
                      Catch::Contains("lists 'fix1.ko', which is not in the bundle"));
    CreateInput in2 = sample_input();
    in2.module[100] ^= 0xff;
    auto members2 = tar::read(create(in2, &k, "x").data(), data.size(), "t");
    CHECK_THROWS_WITH(read(rebuild([&](auto &m) { m[1] = members2[1]; }), "t"),
                      Catch::Contains("fix1.ko: SHA256 checksum mismatch"));
    // The list and signature of the other bundle: the manifest is the same,
    // the module is not.
    CHECK_THROWS_WITH(read(rebuild([&](auto &m) {
                               m[2] = members2[2];
                               m[3] = members2[3];
                           }),
                           "t"),
                      Catch::Contains("checksum mismatch"));
    // Bad manifest values are refused at creation.
    CreateInput bad = sample_input("../x");
    CHECK_THROWS_WITH(create(bad, &k, "x"), Catch::Contains("invalid bundle name"));
    bad = sample_input();
    bad.manifest.build_id = "xyz";
    CHECK_THROWS_WITH(create(bad, &k, "x"), Catch::Contains("invalid build id"));
    bad = sample_input();
    bad.module[1] = 'X';
    CHECK_THROWS_WITH(create(bad, &k, "x"), Catch::Contains("not an ELF file"));
}

TEST_CASE("bundle: every single-byte change is rejected", "[bundle]") {
    signify::SecretKey k = signify::generate("k");
    signify::PublicKey pub = k.public_key();
    CreateInput in = sample_input();
    in.report = Bytes{'{', '"', 'o', '"', ':', '1', '}', '\n'};
    Bytes data = create(in, &k, "verify with k.pub");
    REQUIRE_NOTHROW(read_and_verify(data, pub));

    // The untrusted comment of SHA256.sig is, by the design of signify and
    // minisign, not covered by any signature: changing its text is harmless
    // and accepted; everything else is authenticated.
    std::string text(data.begin(), data.end());
    size_t uc = text.find("untrusted comment: verify with k.pub\n");
    REQUIRE(uc != std::string::npos);
    size_t uc_begin = uc + 19, uc_end = text.find('\n', uc);

    auto t0 = std::chrono::steady_clock::now();
    size_t rejected = 0, harmless = 0;
    for (size_t i = 0; i < data.size(); i++) {
        for (uint8_t mask : {uint8_t(0x01), uint8_t(0x80), uint8_t(0xff)}) {
            Bytes t = data;
            t[i] ^= mask;
            std::string why = failure_of(t, pub);
            if (i >= uc_begin && i < uc_end && mask == 0x01) {
                // Printable stays printable: still verifies.
                if (why.empty())
                    harmless++;
                continue;
            }
            INFO("byte " << i << " ^ " << int(mask));
            CHECK(!why.empty());
            rejected += !why.empty();
        }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    INFO("tamper loop took " << secs << " s");
    CHECK(harmless == uc_end - uc_begin);
    CHECK(rejected == 3 * data.size() - (uc_end - uc_begin));

    // Truncation at every block boundary and at odd sizes.
    for (size_t n = 0; n < data.size(); n += 511)
        CHECK(!failure_of(Bytes(data.begin(), data.begin() + long(n)), pub).empty());
    // Appended garbage.
    Bytes longer = data;
    longer.resize(longer.size() + 512, 0);
    CHECK_NOTHROW(read_and_verify(longer, pub)); // zero blocks, as tar pads
    longer.back() = 1;
    CHECK_THAT(failure_of(longer, pub), Catch::Contains("after the end-of-archive marker"));
}

TEST_CASE("bundle CLI and independent verifiers", "[bundle]") {
    std::string d = work_dir("bundle-cli");
    make_module(d, "fix1");
    CommandResult r = run_in(d, pg() + " keygen -p k.pub -s k.sec -c test");
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find("key id: ") != std::string::npos);
    // Never overwrites a key.
    CHECK(run_in(d, pg() + " keygen -p k.pub -s k2.sec").status == 1);
    CHECK(run_in(d, pg() + " keygen -p k2.pub -s k.sec").output.find("refusing to overwrite") !=
          std::string::npos);

    std::ofstream(d + "/report.json")
        << R"({"tool":"fbsd-patchgen","objects":[{"object":"kern/y.o","changed_functions":[{"name":"yfn","why":"code"}],"refusals":[]}]})";
    std::ofstream(d + "/fix.diff") << "--- a\n+++ b\n";
    r = run_in(d,
               bundle_cmd("fix1",
                          "--report report.json --diff fix.diff --advisory FreeBSD-SA-26:01.test "
                          "--description 'Fix a test.' --sign-key k.sec"));
    INFO(r.output);
    REQUIRE(r.status == 0);

    r = run_in(d, pg() + " verify fix1.lpbundle --pubkey k.pub");
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(r.output.rfind("Signature Verified\n", 0) == 0);
    CHECK(r.output.find("trusted comment: bundle=fix1 target_build_id=" + kBuildId) !=
          std::string::npos);

    r = run_in(d, pg() + " info fix1.lpbundle --json");
    REQUIRE(r.status == 0);
    auto j = nlohmann::json::parse(r.output);
    CHECK(j["manifest"]["functions"].size() == 2);
    CHECK(j["manifest"]["advisory"] == "FreeBSD-SA-26:01.test");
    CHECK(j["manifest"]["diff_sha256"] == to_hex(sha256("--- a\n+++ b\n")));
    CHECK(j["members"].size() == 5);
    r = run_in(d, pg() + " info fix1.lpbundle");
    CHECK(r.status == 0);
    CHECK(r.output.find("yfn (kern/y.o)") != std::string::npos);

    // Independent verification of the extracted list and signature.
    std::string x = d + "/x";
    REQUIRE(
        run("mkdir -p " + q(x) + " && tar -C " + q(x) + " -xf " + q(d + "/fix1.lpbundle")).status ==
        0);
    if (!has_tool("signify-openbsd") || !has_tool("minisign"))
        FAIL("signify-openbsd and minisign are required (scripts/install-deps.sh)");
    r = run_in(x, "signify-openbsd -V -p ../k.pub -m SHA256 -x SHA256.sig");
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(r.output.find("Signature Verified") != std::string::npos);
    r = run_in(x, "minisign -V -p ../k.pub -m SHA256 -x SHA256.sig");
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(r.output.find("Signature and comment signature verified") != std::string::npos);
    CHECK(r.output.find("Trusted comment: bundle=fix1 target_build_id=" + kBuildId +
                        " created=1790000000") != std::string::npos);
    // signify -C reads an embedded signature (the signed text after the two
    // signature lines); lines 1-2 of SHA256.sig followed by SHA256 are one.
    r = run_in(x, "(head -n 2 SHA256.sig; cat SHA256) > SHA256.emb && signify-openbsd -C -p "
                  "../k.pub -x SHA256.emb");
    INFO(r.output);
    CHECK(r.status == 0);
    for (const char *f : {"manifest.json: OK", "fix1.ko: OK", "report.json: OK"})
        CHECK(r.output.find(f) != std::string::npos);
    // ... and -C catches a changed file.
    r = run_in(x, "cp fix1.ko fix1.ko.orig && printf x >> fix1.ko && signify-openbsd -C -p "
                  "../k.pub -x SHA256.emb; "
                  "rc=$?; mv fix1.ko.orig fix1.ko; exit $rc");
    CHECK(r.status != 0);
    CHECK(r.output.find("fix1.ko: FAIL") != std::string::npos);
    // minisign sees an altered trusted comment.
    r = run_in(
        x,
        "sed '3s/fix1/fix2/' SHA256.sig > alt.sig && minisign -V -p ../k.pub -m SHA256 -x alt.sig");
    CHECK(r.status != 0);
    CHECK(r.output.find("Comment signature verification failed") != std::string::npos);

    // signify-openbsd signs with our (unencrypted) key; line 2 is identical
    // to ours (Ed25519 is deterministic) and our verifier accepts the bundle
    // re-packed by GNU tar in ustar format.
    r = run_in(x, "signify-openbsd -S -s ../k.sec -m SHA256 -x signify.sig");
    INFO(r.output);
    REQUIRE(r.status == 0);
    std::string ours = read_text(x + "/SHA256.sig"), theirs = read_text(x + "/signify.sig");
    CHECK(theirs == ours.substr(0, ours.find("\ntrusted comment: ") + 1));
    r = run_in(
        x,
        "cp signify.sig SHA256.sig && tar --format=ustar -cf ../gnu.lpbundle manifest.json fix1.ko "
        "report.json SHA256 SHA256.sig && cd .. && " +
            pg() + " verify gnu.lpbundle -p k.pub");
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(r.output.find("trusted comment: (none: plain signify signature)") != std::string::npos);

    // sign: a signify-made key signs; replacing the signature.
    r = run_in(d, "signify-openbsd -G -n -c other -p s.pub -s s.sec && " + pg() +
                      " sign fix1.lpbundle --sign-key s.sec -o re.lpbundle && " + pg() +
                      " verify re.lpbundle -p s.pub");
    INFO(r.output);
    CHECK(r.status == 0);
    // Wrong key: ours and signify's message.
    r = run_in(d, pg() + " verify re.lpbundle -p k.pub");
    CHECK(r.status == 5);
    CHECK(r.output.find("fbsd-patchgen: error: re.lpbundle: SHA256.sig: verification failed: "
                        "checked against wrong key") == 0);
    r = run_in(x, "signify-openbsd -V -p ../s.pub -m SHA256 -x SHA256.sig");
    CHECK(r.status != 0);
    CHECK(r.output.find("checked against wrong key") != std::string::npos);
    // A passphrase-protected signify key: without a passphrase (no terminal)
    // refused with a hint; a wrong one named; the right one signs.
    std::ofstream(d + "/pw.txt") << "pw phrase\n";
    std::ofstream(d + "/bad.txt") << "pw phrasE\n";
    r = run_in(d, "printf 'pw phrase\\npw phrase\\n' | signify-openbsd -G -p e.pub -s e.sec && " +
                      pg() + " sign fix1.lpbundle --sign-key e.sec -o e.lpbundle </dev/null");
    CHECK(r.status == 1);
    CHECK(r.output.find("protected by a passphrase") != std::string::npos);
    CHECK(r.output.find("--passphrase-file") != std::string::npos);
    r = run_in(d, pg() + " sign fix1.lpbundle --sign-key e.sec --passphrase-file bad.txt -o "
                         "e.lpbundle");
    CHECK(r.status == 1);
    CHECK(r.output.find("e.sec: secret key: incorrect passphrase") != std::string::npos);
    r = run_in(d, pg() +
                      " sign fix1.lpbundle --sign-key e.sec --passphrase-file pw.txt -o "
                      "e.lpbundle -q && " +
                      pg() + " verify e.lpbundle -p e.pub -q");
    INFO(r.output);
    CHECK(r.status == 0);
    // Our encrypted key: signify-openbsd decrypts it and signs with it.
    r = run_in(d, pg() + " keygen -p ke.pub -s ke.sec --passphrase-file pw.txt && echo msg > m && "
                         "printf 'pw phrase\\n' | signify-openbsd -S -s ke.sec -m m -x m.sig && "
                         "signify-openbsd -V -p ke.pub -m m -x m.sig");
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(r.output.find("(encrypted with the passphrase)") != std::string::npos);
    r = run_in(d, "printf 'pw phrasE\\n' | signify-openbsd -S -s ke.sec -m m -x m2.sig");
    CHECK(r.status != 0);
    CHECK(r.output.find("incorrect passphrase") != std::string::npos);

    // Unsigned bundle: info works, verify fails (5); sign adds a signature.
    make_module(d, "fix2", "2");
    REQUIRE(run_in(d, bundle_cmd("fix2")).status == 0);
    r = run_in(d, pg() + " verify fix2.lpbundle -p k.pub");
    CHECK(r.status == 5);
    CHECK(r.output.find("bundle is not signed") != std::string::npos);
    CHECK(run_in(d, pg() + " sign fix2.lpbundle --sign-key k.sec -q").status == 0);
    CHECK(run_in(d, pg() + " verify fix2.lpbundle -p k.pub -q").status == 0);

    // Refused report.
    std::ofstream(d + "/refused.json")
        << R"({"objects":[{"object":"a.o","changed_functions":[],"refusals":[{"symbol":"s","reason":"r"}]}]})";
    r = run_in(d, bundle_cmd("fix1", "--report refused.json"));
    CHECK(r.status == 2);
}

TEST_CASE("bundle CLI: tampering, truncation, swapped members (exit 5)", "[bundle]") {
    std::string d = work_dir("bundle-tamper");
    make_module(d, "fix1");
    make_module(d, "fix2", "2");
    REQUIRE(run_in(d, pg() + " keygen -p k.pub -s k.sec -c test >/dev/null").status == 0);
    REQUIRE(run_in(d, bundle_cmd("fix1", "--sign-key k.sec")).status == 0);
    Bytes data = slurp(d + "/fix1.lpbundle");
    auto members = tar::read(data.data(), data.size(), "t");

    auto expect_rejected = [&](const std::string &file, const std::string &needle) {
        CommandResult r = run_in(d, pg() + " verify " + q(file) + " --pubkey k.pub");
        INFO(file << ": " << r.output);
        CHECK(r.status == 5);
        CHECK(r.output.rfind("fbsd-patchgen: error: ", 0) == 0);
        CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
        if (!needle.empty())
            CHECK(r.output.find(needle) != std::string::npos);
    };

    // One flipped byte in each member's header and in several places of its
    // data (every byte is covered in-process by the test above).
    size_t off = 0;
    int n = 0;
    for (const auto &m : members) {
        std::vector<size_t> at = {off + 0, off + 130, off + 150};
        for (size_t k = 0; k < 4 && k * 97 < m.data.size(); k++)
            at.push_back(off + 512 + k * 97 + (m.data.size() > 300 ? 50 : 0) % m.data.size());
        for (size_t i : at) {
            if (m.name == "SHA256.sig" && i >= off + 512 + 19 && i < off + 512 + m.data.size() &&
                data[i] != '\n' &&
                i < off + 512 + std::string(m.data.begin(), m.data.end()).find('\n'))
                continue; // the untrusted comment text (see above)
            Bytes t = data;
            t[i] ^= 0x20;
            std::string f = "flip" + std::to_string(n++) + ".lpbundle";
            spit(d + "/" + f, t);
            expect_rejected(f, "");
        }
        off += 512 + (m.data.size() + 511) / 512 * 512;
    }
    spit(d + "/trunc.lpbundle", Bytes(data.begin(), data.end() - 1024));
    expect_rejected("trunc.lpbundle", "end-of-archive marker missing");
    spit(d + "/trunc2.lpbundle", Bytes(data.begin(), data.begin() + 700));
    expect_rejected("trunc2.lpbundle", "truncated");
    spit(d + "/empty.lpbundle", {});
    expect_rejected("empty.lpbundle", "empty file");

    // Swap the module for another bundle's module (same name).
    REQUIRE(run_in(d, "cp fix2.ko other.ko && mkdir o && cd o && cp ../fix2.ko fix1.ko").status ==
            0);
    std::string x = d + "/x";
    REQUIRE(
        run("mkdir -p " + q(x) + " && tar -C " + q(x) + " -xf " + q(d + "/fix1.lpbundle")).status ==
        0);
    REQUIRE(run_in(x, "tar --format=ustar -cf ../swapped.lpbundle manifest.json -C ../o fix1.ko -C "
                      "../x SHA256 SHA256.sig")
                .status == 0);
    expect_rejected("swapped.lpbundle", "fix1.ko: SHA256 checksum mismatch");
    // Extra and duplicate members, a path with '/'.
    REQUIRE(run_in(x, "cp ../swapped.lpbundle /dev/null && tar --format=ustar -cf "
                      "../extra.lpbundle manifest.json fix1.ko SHA256 SHA256.sig -C .. k.pub")
                .status == 0);
    expect_rejected("extra.lpbundle", "unexpected member 'k.pub'");
    REQUIRE(run_in(x, "tar --format=ustar --hard-dereference -cf ../dup.lpbundle manifest.json "
                      "fix1.ko SHA256 SHA256.sig fix1.ko")
                .status == 0);
    expect_rejected("dup.lpbundle", "duplicate member");
    REQUIRE(run_in(d, "tar --format=ustar -cf slash.lpbundle x/manifest.json").status == 0);
    expect_rejected("slash.lpbundle", "invalid member name");
    REQUIRE(
        run_in(x, "tar --format=gnu -cf ../gnu.lpbundle manifest.json fix1.ko SHA256 SHA256.sig")
            .status == 0);
    expect_rejected("gnu.lpbundle", "not a POSIX ustar header");
    // Missing signature; missing list.
    REQUIRE(
        run_in(x, "tar --format=ustar -cf ../nosig.lpbundle manifest.json fix1.ko SHA256").status ==
        0);
    expect_rejected("nosig.lpbundle", "bundle is not signed");
    REQUIRE(run_in(x, "tar --format=ustar -cf ../nolist.lpbundle manifest.json fix1.ko SHA256.sig")
                .status == 0);
    expect_rejected("nolist.lpbundle", "missing member 'SHA256'");
    // A list entry without its file.
    REQUIRE(run_in(x, "tar --format=ustar -cf ../lost.lpbundle fix1.ko SHA256 SHA256.sig").status ==
            0);
    expect_rejected("lost.lpbundle", "missing member 'manifest.json'");
    // Wrong key.
    REQUIRE(run_in(d, "signify-openbsd -G -n -p w.pub -s w.sec").status == 0);
    CommandResult r = run_in(d, pg() + " verify fix1.lpbundle -p w.pub");
    CHECK(r.status == 5);
    CHECK(r.output.find("checked against wrong key") != std::string::npos);
    // An unreadable key is a usage error, not a verification failure.
    CHECK(run_in(d, pg() + " verify fix1.lpbundle -p nonexistent.pub").status == 1);
    CHECK(run_in(d, pg() + " verify nonexistent.lpbundle -p k.pub").status == 1);
}
