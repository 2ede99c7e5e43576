// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-livepatch(8), the C tool on the target, run as a program:
// - shared test vectors: bundles and keys made by the real fbsd-patchgen
//   (the C++ side), signatures made by signify-openbsd and minisign; the
//   C verifier must accept exactly what they produce;
// - tampering: every single-byte change of a bundle (three masks), truncation,
//   swapped and added members, wrong keys, unsigned bundles, non-canonical
//   manifests signed with the right key;
// - load/list/apply/revert/unload end to end against tests/userhost's
//   uh-host (the test backend), with a patch made from
//   tests/userhost/patches/value2 as the userhost tests make theirs.

#include "fbsdlp/bundle/bundle.h"
#include "fbsdlp/bundle/crypto.h"
#include "fbsdlp/bundle/signify.h"
#include "fbsdlp/bundle/tar.h"

#include <catch2/catch.hpp>

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "test_util.h"

extern "C" {
#include "lp.h"
#include "uh.h"
}

using namespace fbsdlp::bundle;

namespace {

// The stub macros for one recorded fix.  Every test patch carries the same
// one, so they may stack (livepatch(4): a patch stacks only over one whose
// fixes it carries).
std::string one_fix() {
    std::string bytes;
    for (int i = 0; i < 32; i++)
        bytes += std::string(i ? "," : "") + "0x5a";
    return " -DLP_NFIXES=1 '-DLP_FIXES={" + bytes + "}'";
}

} // namespace

namespace {

using fbsdlp::testutil::slurp;
using fbsdlp::testutil::spit;

std::string workdir() {
    return fbsdlp::testutil::process_workdir(TOOL_BINARY_DIR, "tool-work.", "TOOL_KEEP");
}

void spit(const std::string &path, const Bytes &data) {
    spit(path, std::string(data.begin(), data.end()));
}

Bytes bytes(const std::string &s) { return Bytes(s.begin(), s.end()); }

// A shell command that must succeed.
void sh(const std::string &cmd) { fbsdlp::testutil::must_run(cmd, workdir() + "/sh.log"); }

struct Result {
    int rc;
    std::string out, err;
};

// Run fbsd-livepatch directly (no shell; posix_spawn, as the tamper sweep
// runs it hundreds of times), stdout and stderr to files.
Result tool(const std::vector<std::string> &args) {
    std::string out = workdir() + "/tool.out", err = workdir() + "/tool.err";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char *> argv;
    argv.push_back(const_cast<char *>(FBSDLP_TOOL));
    for (const auto &a : args)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid;
    int rc = posix_spawn(&pid, FBSDLP_TOOL, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    REQUIRE(rc == 0);
    int st = 0;
    REQUIRE(waitpid(pid, &st, 0) == pid);
    REQUIRE(WIFEXITED(st)); // never a crash
    return {WEXITSTATUS(st), slurp(out), slurp(err)};
}

// uh-host's build-id, from its ELF note.
Bytes host_build_id() {
    std::string img = slurp(UH_HOST);
    REQUIRE(img.size() > sizeof(Elf64_Ehdr));
    auto *eh = reinterpret_cast<const Elf64_Ehdr *>(img.data());
    auto *sh = reinterpret_cast<const Elf64_Shdr *>(img.data() + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_NOTE)
            continue;
        auto *nh = reinterpret_cast<const Elf64_Nhdr *>(img.data() + sh[i].sh_offset);
        if (nh->n_type != NT_GNU_BUILD_ID)
            continue;
        auto *d = reinterpret_cast<const uint8_t *>(nh + 1) + 4;
        return Bytes(d, d + nh->n_descsz);
    }
    FAIL("uh-host has no build-id");
    return {};
}

// The shared fixture: keys, a real patch module for uh-host, and bundles
// made by fbsd-patchgen.  Built once per test process.
struct Fixture {
    std::string dir, keydir, pub, sec, module, stub, report, bundle, unsigned_bundle;
    std::string build_id; // hex
    Bytes data;           // the signed bundle's bytes
    Bundle parsed;        // as the C++ reader sees it
};

std::string patchgen() { return FBSDLP_PATCHGEN; }

const Fixture &fixture() {
    static Fixture f;
    static bool done;
    if (done)
        return f;
    f.dir = workdir();
    f.keydir = f.dir + "/keys";
    f.pub = f.dir + "/k.pub";
    f.sec = f.dir + "/k.sec";
    REQUIRE(mkdir(f.keydir.c_str(), 0755) == 0);
    sh(patchgen() + " keygen -p " + f.pub + " -s " + f.sec);
    sh("cp " + f.pub + " " + f.keydir + "/build1.pub");

    Bytes id = host_build_id();
    f.build_id = to_hex(id.data(), id.size());
    std::string ids;
    for (size_t i = 0; i < id.size(); i++)
        ids += (i ? "," : "") + std::to_string(unsigned(id[i]));
    // As tests/userhost makes its patches (make_patch() in uh_tests.cc).
    std::string patched = f.dir + "/patched.o", diff = f.dir + "/diff.o";
    f.report = f.dir + "/report.json";
    f.stub = f.dir + "/stub.o";
    f.module = f.dir + "/value2.ko";
    sh(std::string(UH_CC) + " " + UH_CFLAGS +
       " -I" UH_SOURCE_DIR "/target -c " UH_SOURCE_DIR "/patches/value2/target_funcs.c -o " +
       patched);
    sh(patchgen() + " diff " UH_TARGET_OBJ " " + patched + " -o " + diff +
       " --profile hosted -q --json " + f.report);
    sh(std::string(UH_CC) +
       " -O2 -fno-pic -fno-pie -Wall -Wextra -I" UH_ABI_INCLUDE
       " -DLP_NAME='\"value2\"' -DLP_BUILD_ID=" +
       ids + " -DLP_BUILD_ID_LEN=" + std::to_string(id.size()) + " -DLP_FLAGS=0" + one_fix() +
       " -c " UH_SOURCE_DIR "/uh_patch_stub.c -o " + f.stub);
    sh(std::string(UH_LD_LLD) + " -r " + diff + " " + f.stub + " -o " + f.module);

    std::string common = " --module " + f.module + " --build-id " + f.build_id +
                         " --freebsd-version 1500000 --kernconf GENERIC --report " + f.report +
                         " --advisory FBSDLP-TEST:01 -q";
    f.bundle = f.dir + "/value2.lpbundle";
    f.unsigned_bundle = f.dir + "/value2-unsigned.lpbundle";
    sh("SOURCE_DATE_EPOCH=1790000000 " + patchgen() + " bundle" + common + " --sign-key " + f.sec +
       " -o " + f.bundle);
    sh("SOURCE_DATE_EPOCH=1790000000 " + patchgen() + " bundle" + common + " -o " +
       f.unsigned_bundle);
    f.data = bytes(slurp(f.bundle));
    f.parsed = read(f.data, "fixture");
    done = true;
    return f;
}

// The members of a bundle, to write variants with tar::write.
std::vector<tar::Member> members_of(const Bytes &data) {
    return tar::read(data.data(), data.size(), "bundle");
}

Bytes member(const std::vector<tar::Member> &ms, const std::string &name) {
    for (const auto &m : ms)
        if (m.name == name)
            return m.data;
    FAIL("no member " << name);
    return {};
}

void set_member(std::vector<tar::Member> &ms, const std::string &name, const Bytes &d) {
    for (auto &m : ms)
        if (m.name == name) {
            m.data = d;
            return;
        }
    ms.push_back({name, d});
}

std::string write_variant(const std::string &name, const std::vector<tar::Member> &ms) {
    std::string path = workdir() + "/" + name + ".lpbundle";
    spit(path, tar::write(ms, 1790000000));
    return path;
}

std::string sha256_list_of(const std::vector<tar::Member> &ms) {
    std::string s;
    for (const auto &m : ms)
        if (m.name != "SHA256" && m.name != "SHA256.sig")
            s += "SHA256 (" + m.name + ") = " + to_hex(sha256(m.data.data(), m.data.size())) + "\n";
    return s;
}

// Re-sign a variant with the fixture's key, as an attacker holding it (or
// a buggy generator) would: checksums and signature are all valid.
std::string resigned(const std::string &name, std::vector<tar::Member> ms,
                     const std::string &manifest) {
    const Fixture &f = fixture();
    set_member(ms, "manifest.json", bytes(manifest));
    std::string list = sha256_list_of(ms);
    set_member(ms, "SHA256", bytes(list));
    signify::SecretKey k = signify::parse_secret_key(slurp(f.sec), f.sec);
    signify::Signature s =
        signify::sign(k, list, "verify with k.pub", trusted_comment(f.parsed.manifest));
    set_member(ms, "SHA256.sig", bytes(signify::format_signature(s)));
    return write_variant(name, ms);
}

bool contains(const std::string &hay, const std::string &needle) {
    return hay.find(needle) != std::string::npos;
}

// A rejection: exit 5 and one clear line naming the file.
void check_rejected(const Result &r, const std::string &path, const std::string &why) {
    INFO("stderr: " << r.err);
    CHECK(r.rc == 5);
    CHECK(r.err.rfind("fbsd-livepatch: error: " + path, 0) == 0);
    CHECK(contains(r.err, why));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

} // namespace

TEST_CASE("a bundle signed by fbsd-patchgen verifies", "[tool]") {
    const Fixture &f = fixture();
    Result r = tool({"-k", f.keydir, "info", f.bundle});
    INFO(r.err);
    REQUIRE(r.rc == 0);
    CHECK(contains(r.out, "name:        value2\n"));
    CHECK(contains(r.out, "build-id:    " + f.build_id + "\n"));
    CHECK(contains(r.out, "advisory:    FBSDLP-TEST:01\n"));
    CHECK(contains(r.out, "  lp_value (target_funcs.o)\n"));
    CHECK(contains(r.out, "signature:   verified with " + f.keydir + "/build1.pub (key id " +
                              signify::key_id(f.parsed.signature->keynum) + ")"));
    CHECK(contains(r.out, "trusted:     bundle=value2 target_build_id=" + f.build_id +
                              " created=1790000000\n"));
    // The same file passes the C++ verifier and signify: one set of vectors.
    sh(patchgen() + " verify " + f.bundle + " --pubkey " + f.pub + " -q");
}

TEST_CASE("a signature made by signify-openbsd verifies", "[tool]") {
    const Fixture &f = fixture();
    std::string d = workdir() + "/signify";
    REQUIRE(mkdir(d.c_str(), 0755) == 0);
    REQUIRE(mkdir((d + "/keys").c_str(), 0755) == 0);
    sh(std::string(SIGNIFY) + " -G -n -p " + d + "/keys/s.pub -s " + d + "/s.sec");
    auto ms = members_of(f.data);
    spit(d + "/SHA256", member(ms, "SHA256"));
    sh(std::string(SIGNIFY) + " -S -s " + d + "/s.sec -m " + d + "/SHA256 -x " + d + "/SHA256.sig");
    set_member(ms, "SHA256.sig", bytes(slurp(d + "/SHA256.sig")));
    std::string b = write_variant("signify", ms);
    Result r = tool({"-k", d + "/keys", "info", b});
    INFO(r.err);
    CHECK(r.rc == 0);
    CHECK(contains(r.out, "signature:   verified with " + d + "/keys/s.pub"));
    // The fixture's key does not verify it.
    check_rejected(tool({"-k", f.keydir, "info", b}), b, "checked against wrong key");
    // signify agrees about a changed list.
    std::string list = slurp(d + "/SHA256");
    list[10] ^= 1;
    set_member(ms, "SHA256", bytes(list));
    b = write_variant("signify-bad", ms);
    check_rejected(tool({"-k", d + "/keys", "info", b}), b, "");
}

TEST_CASE("a signature made by minisign verifies", "[tool]") {
    const Fixture &f = fixture();
    std::string d = workdir() + "/minisign";
    REQUIRE(mkdir(d.c_str(), 0755) == 0);
    REQUIRE(mkdir((d + "/keys").c_str(), 0755) == 0);
    sh(std::string(MINISIGN) + " -G -W -p " + d + "/keys/m.pub -s " + d + "/m.sec");
    auto ms = members_of(f.data);
    spit(d + "/SHA256", member(ms, "SHA256"));
    std::string tc = trusted_comment(f.parsed.manifest);
    // Legacy (-l) signature with the trusted comment fbsd-patchgen writes.
    sh(std::string(MINISIGN) + " -S -l -s " + d + "/m.sec -m " + d + "/SHA256 -x " + d +
       "/SHA256.sig -t '" + tc + "'");
    set_member(ms, "SHA256.sig", bytes(slurp(d + "/SHA256.sig")));
    std::string b = write_variant("minisign", ms);
    Result r = tool({"-k", d + "/keys", "info", b});
    INFO(r.err);
    CHECK(r.rc == 0);
    CHECK(contains(r.out, "trusted:     " + tc + "\n"));

    // A valid minisign signature whose trusted comment names another bundle.
    sh(std::string(MINISIGN) + " -S -l -s " + d + "/m.sec -m " + d + "/SHA256 -x " + d +
       "/other.sig -t 'bundle=other target_build_id=" + f.build_id + "'");
    set_member(ms, "SHA256.sig", bytes(slurp(d + "/other.sig")));
    b = write_variant("minisign-other", ms);
    check_rejected(tool({"-k", d + "/keys", "info", b}), b, "belongs to another bundle");

    // minisign's default, prehashed signatures are refused by name.
    sh(std::string(MINISIGN) + " -S -s " + d + "/m.sec -m " + d + "/SHA256 -x " + d +
       "/prehashed.sig -t '" + tc + "'");
    set_member(ms, "SHA256.sig", bytes(slurp(d + "/prehashed.sig")));
    b = write_variant("minisign-prehashed", ms);
    check_rejected(tool({"-k", d + "/keys", "info", b}), b, "prehashed");
}

TEST_CASE("every single-byte change of a bundle is rejected", "[tool]") {
    const Fixture &f = fixture();
    // Where the untrusted comment's text lies: not signed by design.
    std::string sig(f.parsed.signature_text->begin(), f.parsed.signature_text->end());
    std::string s(f.data.begin(), f.data.end());
    size_t sig_off = s.find(sig);
    REQUIRE(sig_off != std::string::npos);
    size_t uc_begin = sig_off + std::strlen("untrusted comment: ");
    size_t uc_end = sig_off + sig.find('\n');
    auto harmless = [&](const Bytes &b, size_t i) {
        return i >= uc_begin && i < uc_end && b[i] >= 0x20 && b[i] < 0x7f;
    };
    std::string path = workdir() + "/flip.lpbundle";
    const uint8_t masks[] = {0x01, 0x80, 0xff};

    // Exhaustive, in-process: the tool's own verification code (the
    // fbsdlp_verify library fbsd-livepatch is linked with), every byte of
    // the archive -- headers, module, manifest, report, list, signature,
    // padding and end marker -- with three masks.
    auto t0 = std::chrono::steady_clock::now();
    size_t runs = 0, rejected = 0, accepted = 0;
    std::map<std::string, size_t> reasons;
    for (uint8_t mask : masks) {
        for (size_t i = 0; i < f.data.size(); i++) {
            Bytes b = f.data;
            b[i] ^= mask;
            auto *copy = static_cast<uint8_t *>(std::malloc(b.size()));
            REQUIRE(copy != nullptr);
            std::memcpy(copy, b.data(), b.size());
            struct lp_bundle lb;
            int rc = lp_bundle_parse(path.c_str(), copy, b.size(), &lb);
            if (rc == 0)
                rc = lp_bundle_verify(&lb, f.keydir.c_str(), 0);
            lp_bundle_close(&lb);
            runs++;
            if (harmless(b, i)) {
                INFO("offset " << i << ": " << lp_errmsg);
                CHECK(rc == 0);
                accepted++;
                continue;
            }
            std::string msg = lp_errmsg;
            if (rc != LP_EX_VERIFY || msg.rfind(path + ": ", 0) != 0)
                FAIL("offset " << i << " mask " << int(mask) << ": " << rc << ": " << msg);
            // The reason, without the offsets in it.
            std::string why = msg.substr(path.size() + 2, 40);
            reasons[why.substr(0, why.find_first_of("0123456789"))]++;
            rejected++;
        }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    WARN(runs << " single-byte changes of a " << f.data.size() << "-byte bundle in-process: "
              << rejected << " rejected, " << accepted << " harmless (untrusted comment text), "
              << secs << " s; " << reasons.size() << " distinct reasons");
    CHECK(rejected + accepted == runs);
    CHECK(accepted > 0); // mask 0x01 keeps most comment characters printable
    CHECK(accepted <= uc_end - uc_begin);
    CHECK(reasons.size() >= 8); // the checks differ by where the byte is

    // The program itself, on a spread of offsets over every member: exit 5
    // and one line naming the file.
    t0 = std::chrono::steady_clock::now();
    size_t spawned = 0;
    for (uint8_t mask : masks) {
        for (size_t i = mask; i < f.data.size(); i += 53) {
            Bytes b = f.data;
            b[i] ^= mask;
            spit(path, b);
            Result r = tool({"-k", f.keydir, "info", path});
            spawned++;
            if (harmless(b, i)) {
                CHECK(r.rc == 0);
                continue;
            }
            if (r.rc != 5 || r.err.rfind("fbsd-livepatch: error: " + path + ": ", 0) != 0 ||
                std::count(r.err.begin(), r.err.end(), '\n') != 1)
                FAIL("offset " << i << " mask " << int(mask) << ": exit " << r.rc << ": " << r.err);
        }
    }
    secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    WARN(spawned << " runs of fbsd-livepatch on changed bundles: " << secs << " s");
}

TEST_CASE("a truncated bundle is rejected", "[tool]") {
    const Fixture &f = fixture();
    std::string path = workdir() + "/trunc.lpbundle";
    std::vector<size_t> sizes = {0, 1, 511, 512, 513, f.data.size() - 1};
    for (size_t n = 1024; n < f.data.size(); n += 512)
        sizes.push_back(n);
    for (size_t n : sizes) {
        spit(path, Bytes(f.data.begin(), f.data.begin() + long(n)));
        Result r = tool({"-k", f.keydir, "info", path});
        INFO("size " << n);
        check_rejected(r, path, "");
    }
    spit(path, Bytes(f.data.begin(), f.data.end() - 512));
    check_rejected(tool({"-k", f.keydir, "info", path}), path, "end-of-archive marker");
    // Trailing garbage after the end marker, too.
    Bytes b = f.data;
    b.resize(b.size() + 512, 0);
    b.back() = 1;
    spit(path, b);
    check_rejected(tool({"-k", f.keydir, "info", path}), path, "after the end-of-archive");
}

TEST_CASE("swapped, added and removed members are rejected", "[tool]") {
    const Fixture &f = fixture();
    // Another bundle of the same module, signed with the same key.
    std::string other = workdir() + "/other.lpbundle";
    sh("SOURCE_DATE_EPOCH=1790000001 " + patchgen() + " bundle --module " + f.module +
       " --build-id " + f.build_id + " --freebsd-version 1500000 --kernconf GENERIC" +
       " --function lp_value:target_funcs.c --sign-key " + f.sec + " -q -o " + other);
    auto mine = members_of(f.data), theirs = members_of(bytes(slurp(other)));

    auto variant = [&](const std::string &name, const std::string &member_name, const Bytes &data) {
        auto ms = mine;
        set_member(ms, member_name, data);
        return write_variant(name, ms);
    };
    std::string b = variant("swap-manifest", "manifest.json", member(theirs, "manifest.json"));
    check_rejected(tool({"-k", f.keydir, "info", b}), b, "manifest.json: SHA256 checksum mismatch");
    b = variant("swap-module", "value2.ko", bytes(slurp(f.stub)));
    check_rejected(tool({"-k", f.keydir, "info", b}), b, "value2.ko: SHA256 checksum mismatch");
    b = variant("swap-sig", "SHA256.sig", member(theirs, "SHA256.sig"));
    check_rejected(tool({"-k", f.keydir, "info", b}), b, "signature verification failed");
    {
        // List and signature of the other bundle: the manifest differs.
        auto ms = mine;
        set_member(ms, "SHA256", member(theirs, "SHA256"));
        set_member(ms, "SHA256.sig", member(theirs, "SHA256.sig"));
        b = write_variant("swap-list", ms);
        check_rejected(tool({"-k", f.keydir, "info", b}), b, "SHA256 checksum mismatch");
    }
    b = variant("added", "extra.ko", bytes(slurp(f.stub)));
    check_rejected(tool({"-k", f.keydir, "info", b}), b, "more than one module");
    b = variant("added-report", "README", bytes("hello\n"));
    check_rejected(tool({"-k", f.keydir, "info", b}), b, "unexpected member 'README'");
    {
        auto ms = mine;
        ms.erase(ms.begin() + 1); // the module
        b = write_variant("removed-module", ms);
        check_rejected(tool({"-k", f.keydir, "info", b}), b, "missing member 'NAME.ko'");
    }
    {
        // A renamed module: the list no longer matches the members.
        auto ms = mine;
        ms[1].name = "value3.ko";
        b = write_variant("renamed-module", ms);
        check_rejected(tool({"-k", f.keydir, "info", b}), b, "which is not in the bundle");
    }
    {
        // Duplicate member: tar::write refuses to write one, so patch the
        // name of the report's header into the manifest's.
        Bytes d = f.data;
        std::string s(d.begin(), d.end());
        size_t at = s.find("report.json");
        REQUIRE(at != std::string::npos);
        REQUIRE(at % 512 == 0);
        std::memcpy(d.data() + at, "manifest.json", 14); // name and NUL
        unsigned sum = 0;
        for (size_t i = 0; i < 512; i++)
            sum += (i >= 148 && i < 156) ? ' ' : d[at + i];
        std::snprintf(reinterpret_cast<char *>(d.data() + at + 148), 8, "%06o", sum);
        d[at + 155] = ' ';
        b = workdir() + "/duplicate.lpbundle";
        spit(b, d);
        check_rejected(tool({"-k", f.keydir, "info", b}), b, "duplicate member");
    }
    {
        // A path and a symbolic link in the archive: GNU tar writes them.
        std::string d = workdir() + "/gnutar";
        sh("mkdir -p " + d + "/sub && cd " + d + " && echo x > sub/manifest.json && ln -s " +
           "sub/manifest.json link && tar --format=ustar -cf path.tar sub/manifest.json && " +
           "tar --format=ustar -cf link.tar link");
        check_rejected(tool({"-k", f.keydir, "info", d + "/path.tar"}), d + "/path.tar",
                       "invalid member name");
        check_rejected(tool({"-k", f.keydir, "info", d + "/link.tar"}), d + "/link.tar",
                       "not a regular file");
    }
}

TEST_CASE("a wrong or missing key is rejected", "[tool]") {
    const Fixture &f = fixture();
    std::string d = workdir() + "/wrongkeys";
    REQUIRE(mkdir(d.c_str(), 0755) == 0);
    REQUIRE(mkdir((d + "/other").c_str(), 0755) == 0);
    REQUIRE(mkdir((d + "/empty").c_str(), 0755) == 0);
    REQUIRE(mkdir((d + "/forged").c_str(), 0755) == 0);
    REQUIRE(mkdir((d + "/mixed").c_str(), 0755) == 0);
    sh(patchgen() + " keygen -p " + d + "/other/o.pub -s " + d + "/o.sec");
    check_rejected(tool({"-k", d + "/other", "info", f.bundle}), f.bundle,
                   "checked against wrong key: signed by key id " +
                       signify::key_id(f.parsed.signature->keynum));
    check_rejected(tool({"-k", d + "/empty", "info", f.bundle}), f.bundle,
                   "not among the 0 trusted key(s)");
    check_rejected(tool({"-k", d + "/none", "info", f.bundle}), f.bundle,
                   "cannot read the key directory");
    // Another key that claims the signer's key number.
    signify::PublicKey forged = signify::parse_public_key(slurp(d + "/other/o.pub"), "o.pub");
    forged.keynum = f.parsed.signature->keynum;
    spit(d + "/forged/f.pub", signify::format_public_key(forged, "forged"));
    check_rejected(tool({"-k", d + "/forged", "info", f.bundle}), f.bundle,
                   "signature verification failed");
    // Beside the right key, the forged one (sorted first) does not stop it.
    spit(d + "/mixed/0-forged.pub", signify::format_public_key(forged, "forged"));
    // A broken key file beside the right one is reported and skipped.
    spit(d + "/mixed/a-broken.pub", std::string("untrusted comment: x\nnot base64\n"));
    sh("cp " + f.pub + " " + d + "/mixed/");
    Result r = tool({"-k", d + "/mixed", "info", f.bundle});
    CHECK(r.rc == 0);
    CHECK(contains(r.err, "warning: " + d + "/mixed/a-broken.pub: ignored"));
    CHECK(contains(r.out, "signature:   verified with " + d + "/mixed/k.pub"));
}

TEST_CASE("an unsigned bundle is refused without -f", "[tool]") {
    const Fixture &f = fixture();
    std::string sock = workdir() + "/nohost.sock";
    setenv("FBSD_LIVEPATCH_SOCKET", sock.c_str(), 1);
    std::string state = workdir() + "/state-unsigned";
    check_rejected(tool({"-k", f.keydir, "-d", state, "load", f.unsigned_bundle}),
                   f.unsigned_bundle, "bundle is not signed");
    // With -f it passes verification and goes on to the target (absent here).
    Result r = tool({"-f", "-k", f.keydir, "-d", state, "load", f.unsigned_bundle});
    CHECK(r.rc == 1);
    CHECK(contains(r.err, "loading an unsigned bundle (-f)"));
    CHECK(contains(r.err, "cannot reach the host at " + sock));
    // -f never excuses a bad signature.
    auto ms = members_of(f.data);
    Bytes list = member(ms, "SHA256");
    list.insert(list.begin(), list.begin(), list.end()); // listed twice
    set_member(ms, "SHA256", list);
    std::string b = write_variant("f-bad", ms);
    check_rejected(tool({"-f", "-k", f.keydir, "-d", state, "load", b}), b, "listed twice");
    ms = members_of(f.data);
    Bytes sig = member(ms, "SHA256.sig");
    sig[sig.size() - 5] ^= 1;
    set_member(ms, "SHA256.sig", sig);
    b = write_variant("f-badsig", ms);
    check_rejected(tool({"-f", "-k", f.keydir, "-d", state, "load", b}), b, "");
    unsetenv("FBSD_LIVEPATCH_SOCKET");
}

TEST_CASE("manifest checks hold even with a valid signature", "[tool]") {
    const Fixture &f = fixture();
    auto ms = members_of(f.data);
    std::string m(f.parsed.manifest_text);
    auto replaced = [&](const std::string &from, const std::string &to) {
        std::string s = m;
        size_t at = s.find(from);
        REQUIRE(at != std::string::npos);
        return s.replace(at, from.size(), to);
    };
    struct Case {
        std::string name, manifest, why;
    };
    std::vector<Case> cases = {
        {"unknown-field", replaced("\n  \"name\"", "\n  \"extra\": 1,\n  \"name\""),
         "unsorted key"},
        {"unknown-sorted", replaced("\n  \"name\"", "\n  \"nam\": 1,\n  \"name\""),
         "unknown field 'nam'"},
        {"missing-field", replaced("  \"kernconf\": \"GENERIC\",\n", ""),
         "missing field 'kernconf'"},
        {"duplicate-key", replaced("\n  \"name\"", "\n  \"name\": \"x\",\n  \"name\""),
         "duplicate or unsorted key"},
        {"indent", replaced("\n  \"name\"", "\n   \"name\""), "not in canonical form"},
        {"no-newline", m.substr(0, m.size() - 1), "not in canonical form"},
        {"escaped-slash", replaced("GENERIC", "GEN\\/ERIC"), "not in canonical form"},
        {"float", replaced("\"freebsd_version\": 1500000", "\"freebsd_version\": 1500000.0"),
         "only integers"},
        {"negative", replaced("\"created\": 1790000000", "\"created\": -1"),
         "unexpected character"},
        {"string-version", replaced("\"format_version\": 1", "\"format_version\": \"1\""),
         "must be a non-negative integer"},
        {"format-2", replaced("\"format_version\": 1", "\"format_version\": 2"),
         "unsupported format_version 2"},
        {"bad-build-id", replaced("\"build_id\": \"", "\"build_id\": \"X"), "invalid build id"},
        {"name-mismatch", replaced("\"name\": \"value2\"", "\"name\": \"value3\""),
         "does not match the manifest's name"},
        {"non-ascii", replaced("GENERIC", "GEN\xc3\xa9RIC"), "non-ASCII"},
        {"trailing", m + "{}\n", "data after the object"},
        {"deep", replaced("\"diff_sha256\": null", "\"diff_sha256\": [[[[1]]]]"),
         "nested too deeply"},
    };
    for (const auto &c : cases) {
        std::string b = resigned(c.name, ms, c.manifest);
        INFO(c.name);
        Result r = tool({"-k", f.keydir, "info", b});
        check_rejected(r, b, c.why);
    }
    // And the unchanged manifest, re-signed the same way, is accepted.
    std::string b = resigned("same", ms, m);
    CHECK(tool({"-k", f.keydir, "info", b}).rc == 0);
}

namespace {

// One uh-host with its worker threads; killed when it goes out of scope.
class Host {
  public:
    Host() : sock_(workdir() + "/host.sock") {
        log_ = sock_ + ".log";
        pid_ = fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(fd, 2);
            execl(UH_HOST, UH_HOST, "--socket", sock_.c_str(), "--workers", "2", (char *)nullptr);
            _exit(127);
        }
        setenv("FBSD_LIVEPATCH_SOCKET", sock_.c_str(), 1);
        auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < end) {
            if (request("stats").first)
                return;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        FAIL("uh-host did not come up: " << slurp(log_));
    }
    ~Host() {
        unsetenv("FBSD_LIVEPATCH_SOCKET");
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    std::pair<bool, std::string> request(const std::string &req) {
        char *resp = nullptr, err[256];
        if (uh_client_request(sock_.c_str(), req.c_str(), &resp, err, sizeof(err)) != 0)
            return {false, err};
        std::string s(resp);
        std::free(resp);
        return {s.rfind("OK\n", 0) == 0, s.substr(s.rfind("OK\n", 0) == 0 ? 3 : 0)};
    }
    std::string call_value() { return request("call lp_value").second; }

  private:
    std::string sock_, log_;
    pid_t pid_;
};

} // namespace

TEST_CASE("load, list, apply, revert and unload against the test host", "[tool][host]") {
    const Fixture &f = fixture();
    Host h;
    std::string state = workdir() + "/state";
    REQUIRE(h.call_value() == "1\n");

    Result r = tool({"-v", "-k", f.keydir, "-d", state, "load", f.bundle});
    INFO(r.err);
    REQUIRE(r.rc == 0);
    CHECK(contains(r.out, "signature verified with " + f.keydir + "/build1.pub"));
    CHECK(contains(r.out, "build-id " + f.build_id + " matches"));
    CHECK(contains(r.out, "value2: applied, 1 function(s), signed by key id "));
    CHECK(h.call_value() == "2\n");
    struct stat st;
    CHECK(stat((state + "/value2.ko").c_str(), &st) == 0);
    CHECK(slurp(state + "/value2.json") == f.parsed.manifest_text);

    r = tool({"-d", state, "list"});
    CHECK(r.rc == 0);
    CHECK(r.out.rfind("value2 applied funcs=1", 0) == 0);
    CHECK(contains(r.out, " loaded=\""));
    CHECK(contains(r.out, "\n  * lp_value (target_funcs.c)\n"));
    CHECK_FALSE(contains(r.out, "old=")); // addresses are left out

    // Loading it again, or unloading while applied, is refused.
    r = tool({"-k", f.keydir, "-d", state, "load", f.bundle});
    CHECK(r.rc == 2);
    CHECK(contains(r.err, "a patch named 'value2' is already loaded (applied)"));
    r = tool({"-d", state, "unload", "value2"});
    CHECK(r.rc == 2);
    CHECK(contains(r.err, "value2 is applied: revert it before unloading"));
    CHECK(h.call_value() == "2\n");

    r = tool({"revert", "value2"});
    CHECK(r.rc == 0);
    CHECK(r.out == "value2: reverted\n");
    CHECK(h.call_value() == "1\n");
    CHECK(tool({"-d", state, "list"}).out.rfind("value2 loaded", 0) == 0);
    r = tool({"revert", "value2"});
    CHECK(r.rc == 2); // not applied: the runtime says so
    CHECK_FALSE(r.err.empty());
    CHECK(tool({"apply", "value2"}).rc == 0);
    CHECK(h.call_value() == "2\n");
    CHECK(tool({"revert", "value2"}).rc == 0);
    r = tool({"-d", state, "unload", "value2"});
    CHECK(r.rc == 0);
    CHECK(r.out == "value2: unloaded\n");
    CHECK(tool({"list"}).out.empty());
    CHECK(stat((state + "/value2.ko").c_str(), &st) != 0);
    r = tool({"revert", "value2"});
    CHECK(r.rc == 2);
    CHECK(contains(r.err, "no patch named 'value2'"));
    CHECK(tool({"revert", "../x"}).rc == 1);

    // Unsigned, with -f: loads.
    r = tool({"-f", "-k", f.keydir, "-d", state, "load", f.unsigned_bundle});
    CHECK(r.rc == 0);
    CHECK(contains(r.out, "value2: applied, 1 function(s), unsigned"));
    CHECK(h.call_value() == "2\n");
    CHECK(tool({"revert", "value2"}).rc == 0);
    CHECK(tool({"-d", state, "unload", "value2"}).rc == 0);
}

TEST_CASE("a bundle for another kernel is refused", "[tool][host]") {
    const Fixture &f = fixture();
    Host h;
    std::string state = workdir() + "/state-other";
    // The manifest names another kernel: refused before anything is loaded.
    std::string other_id = f.build_id;
    other_id[0] = other_id[0] == '0' ? '1' : '0';
    std::string b = workdir() + "/otherkernel.lpbundle";
    sh(patchgen() + " bundle --unchecked --module " + f.module + " --build-id " + other_id +
       " --freebsd-version 1500000 --kernconf GENERIC --sign-key " + f.sec + " -q -o " + b);
    Result r = tool({"-k", f.keydir, "-d", state, "load", b});
    CHECK(r.rc == 2);
    CHECK(contains(r.err,
                   "built for the kernel with build-id " + other_id + ", but the test host at "));
    CHECK(contains(r.err, "has build-id " + f.build_id));
    CHECK(tool({"list"}).out.empty());
    CHECK(h.call_value() == "1\n");
    r = tool({"-k", f.keydir, "info", b});
    CHECK(r.rc == 0);
    CHECK(contains(r.out, "kernel:      does not match the test host"));

    // The manifest says this kernel, the module inside says another: the
    // runtime refuses it, and nothing is left behind.
    std::string bad = workdir() + "/badmodule.ko";
    std::string stub = workdir() + "/badstub.o";
    sh(std::string(UH_CC) +
       " -O2 -fno-pic -fno-pie -I" UH_ABI_INCLUDE
       " -DLP_NAME='\"value2\"' -DLP_BUILD_ID=1,2,3,4 -DLP_BUILD_ID_LEN=4"
       " -DLP_FLAGS=0 -c " UH_SOURCE_DIR "/uh_patch_stub.c -o " +
       stub);
    // In a directory of its own: the fixture's value2.ko stays as it is.
    std::string baddir = workdir() + "/badmodule";
    REQUIRE((mkdir(baddir.c_str(), 0755) == 0 || errno == EEXIST));
    sh(std::string(UH_LD_LLD) + " -r " + f.dir + "/diff.o " + stub + " -o " + baddir +
       "/value2.ko");
    b = workdir() + "/badmodule.lpbundle";
    sh(patchgen() + " bundle --unchecked --module " + baddir + "/value2.ko --build-id " +
       f.build_id + " --freebsd-version 1500000 --kernconf GENERIC --sign-key " + f.sec +
       " -q -o " + b);
    r = tool({"-k", f.keydir, "-d", state, "load", b});
    CHECK(r.rc == 2);
    CHECK(contains(r.err, "build-id"));
    CHECK(tool({"list"}).out.empty());
    struct stat st;
    CHECK(stat((state + "/value2.ko").c_str(), &st) != 0);
    CHECK(h.call_value() == "1\n");
}

namespace {

bool exists(const std::string &path) {
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

// A second bundle, "other", for another kernel (its manifest's build-id
// differs from the host's): what an installed set holds after a kernel
// update.
std::string other_kernel_bundle() {
    const Fixture &f = fixture();
    std::string ko = workdir() + "/other.ko", b = workdir() + "/other.lpbundle";
    if (exists(b))
        return b;
    std::string id = f.build_id;
    id[0] = id[0] == '0' ? '1' : '0';
    sh("cp " + f.module + " " + ko);
    sh(patchgen() + " bundle --unchecked --module " + ko + " --build-id " + id +
       " --freebsd-version 1500000 --kernconf GENERIC --sign-key " + f.sec + " -q -o " + b);
    return b;
}

} // namespace

TEST_CASE("install, boot, stop and uninstall manage the installed set", "[tool][host]") {
    const Fixture &f = fixture();
    Host h;
    std::string state = workdir() + "/state-installed";
    std::string other = other_kernel_bundle();

    // An unsigned bundle is refused without -f, and nothing is written.
    Result r = tool({"-k", f.keydir, "-d", state, "install", f.unsigned_bundle});
    CHECK(r.rc == 5);
    CHECK_FALSE(exists(state + "/value2.lpbundle"));

    r = tool({"-k", f.keydir, "-d", state, "install", f.bundle});
    INFO(r.err);
    REQUIRE(r.rc == 0);
    CHECK(contains(r.out, "value2: installed as " + state + "/value2.lpbundle"));
    CHECK(slurp(state + "/value2.lpbundle") == slurp(f.bundle));
    REQUIRE(tool({"-k", f.keydir, "-d", state, "install", other}).rc == 0);
    CHECK(h.call_value() == "1\n"); // installing loads nothing

    // boot: the matching bundle is applied, the other skipped with the reason.
    r = tool({"-k", f.keydir, "-d", state, "boot"});
    INFO(r.out << r.err);
    CHECK(r.rc == 0);
    CHECK(contains(r.out, "value2: applied, 1 function(s)"));
    CHECK(contains(r.out, "other: skipped: " + state +
                              "/other.lpbundle: built for the kernel "
                              "with build-id "));
    CHECK(contains(r.out, "boot: 1 applied, 1 skipped, 0 failed"));
    CHECK(h.call_value() == "2\n");
    CHECK(exists(state + "/value2.ko"));

    // Again: nothing to do.
    r = tool({"-k", f.keydir, "-d", state, "boot"});
    CHECK(r.rc == 0);
    CHECK(contains(r.out, "value2: already loaded (applied)"));
    CHECK(h.call_value() == "2\n");

    // A bundle that fails verification makes boot fail, the others still load.
    std::string bad = state + "/bad.lpbundle";
    std::string data = slurp(f.bundle);
    data[data.size() / 2] ^= 1;
    spit(bad, data);
    r = tool({"-k", f.keydir, "-d", state, "boot"});
    CHECK(r.rc == 5);
    CHECK(contains(r.err, "fbsd-livepatch: error: " + bad));
    CHECK(contains(r.out, "boot: 1 applied, 1 skipped, 1 failed"));
    REQUIRE(unlink(bad.c_str()) == 0);

    // stop: reverted and unloaded, state files gone, bundles stay installed.
    r = tool({"-d", state, "stop"});
    CHECK(r.rc == 0);
    CHECK(r.out == "value2: reverted and unloaded\n");
    CHECK(h.call_value() == "1\n");
    CHECK(tool({"list"}).out.empty());
    CHECK_FALSE(exists(state + "/value2.ko"));
    CHECK_FALSE(exists(state + "/value2.json"));
    CHECK(exists(state + "/value2.lpbundle"));
    CHECK(tool({"-d", state, "stop"}).rc == 0); // nothing loaded: nothing to do

    // Named bundles only.
    r = tool({"-k", f.keydir, "-d", state, "boot", other});
    CHECK(r.rc == 0);
    CHECK(contains(r.out, "boot: 0 applied, 1 skipped, 0 failed"));
    CHECK(h.call_value() == "1\n");

    r = tool({"-d", state, "uninstall", "value2"});
    CHECK(r.rc == 0);
    CHECK_FALSE(exists(state + "/value2.lpbundle"));
    r = tool({"-d", state, "uninstall", "value2"});
    CHECK(r.rc == 2);
    CHECK(contains(r.err, "not installed"));
    CHECK(tool({"-d", state, "uninstall", "../other"}).rc == 1);
    CHECK(tool({"-d", state, "uninstall", "other"}).rc == 0);
}

TEST_CASE("a load that does not end applied is undone", "[tool][host]") {
    const Fixture &f = fixture();
    Host h;
    std::string state = workdir() + "/state-undo";
    // The manifest says "renamed", the module inside registers "value2": the
    // patch applies under the module's name, the tool finds no "renamed"
    // after the load, and takes it all out again.
    std::string ko = workdir() + "/renamed.ko", b = workdir() + "/renamed.lpbundle";
    sh("cp " + f.module + " " + ko);
    sh(patchgen() + " bundle --unchecked --module " + ko + " --build-id " + f.build_id +
       " --freebsd-version 1500000 --kernconf GENERIC --sign-key " + f.sec + " -q -o " + b);
    Result r = tool({"-k", f.keydir, "-d", state, "load", b});
    INFO(r.out << r.err);
    CHECK(r.rc == 2);
    CHECK(contains(r.err, "renamed.lpbundle: the module loaded but registered no patch "
                          "named 'renamed'"));
    CHECK(contains(r.err, "; the load was undone"));
    CHECK(tool({"list"}).out.empty());
    CHECK(h.call_value() == "1\n");
    CHECK_FALSE(exists(state + "/renamed.ko"));
    CHECK_FALSE(exists(state + "/renamed.json"));
    // The kernel is as before: the right bundle still loads.
    CHECK(tool({"-k", f.keydir, "-d", state, "load", f.bundle}).rc == 0);
    CHECK(h.call_value() == "2\n");
    CHECK(tool({"-d", state, "stop"}).rc == 0);
}

TEST_CASE("rc.d/livepatch applies the installed set at start and takes it out at stop",
          "[tool][host]") {
    const Fixture &f = fixture();
    Host h;
    std::string dir = workdir() + "/rc", state = dir + "/db";
    REQUIRE((mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST));
    // The script as installed, with the stand-in for /etc/rc.subr.
    std::string script = slurp(RC_SCRIPT);
    size_t at = script.find(". /etc/rc.subr\n");
    REQUIRE(at != std::string::npos);
    script.replace(at, 14, ". " RC_SUBR_STANDIN);
    spit(dir + "/livepatch", script);
    std::string conf = dir + "/rc.conf", log = dir + "/log";
    auto rc = [&](const std::string &cmd) {
        std::string out = dir + "/out";
        int st = std::system(("RC_CONF='" + conf + "' RC_LOG='" + log + "' sh " + dir +
                              "/livepatch " + cmd + " >'" + out + "' 2>&1")
                                 .c_str());
        return std::make_pair(WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp(out));
    };
    REQUIRE(tool({"-k", f.keydir, "-d", state, "install", f.bundle}).rc == 0);
    REQUIRE(tool({"-k", f.keydir, "-d", state, "install", other_kernel_bundle()}).rc == 0);
    std::string settings = "livepatch_program='" FBSDLP_TOOL "'\nlivepatch_keys='" + f.keydir +
                           "'\nlivepatch_dir='" + state + "'\n";

    // Not enabled: start does nothing.
    spit(conf, settings);
    auto r = rc("start");
    CHECK(r.first == 0);
    CHECK(contains(r.second, "Set livepatch_enable to YES"));
    CHECK(h.call_value() == "1\n");

    spit(conf, settings + "livepatch_enable=YES\n");
    r = rc("start");
    INFO(r.second << slurp(log));
    CHECK(r.first == 0);
    CHECK(h.call_value() == "2\n");
    std::string logged = slurp(log);
    CHECK(contains(logged, "kldload livepatch\n"));
    CHECK(contains(logged, "livepatch: value2: applied, 1 function(s)"));
    CHECK(contains(logged, "livepatch: other: skipped: "));
    r = rc("status");
    CHECK(r.first == 0);
    CHECK(r.second.rfind("value2 applied funcs=1", 0) == 0);
    r = rc("stop");
    CHECK(r.first == 0);
    CHECK(h.call_value() == "1\n");
    CHECK(contains(slurp(log), "livepatch: value2: reverted and unloaded"));
    r = rc("status");
    CHECK(r.second == "livepatch: no live patch loaded\n");

    // livepatch_bundles picks bundles: here only the other kernel's.
    spit(conf,
         settings + "livepatch_enable=YES\nlivepatch_bundles='" + state + "/other.lpbundle'\n");
    r = rc("start");
    CHECK(r.first == 0);
    CHECK(h.call_value() == "1\n");
    CHECK(contains(slurp(log), "boot: 0 applied, 1 skipped, 0 failed"));

    // A failure shows in the exit status.
    spit(conf, settings + "livepatch_enable=YES\nlivepatch_keys='" + dir + "/nokeys'\n");
    r = rc("start");
    CHECK(r.first != 0);
    CHECK(h.call_value() == "1\n");
}

// Issue 11 item 4, all or nothing: `load` ends with the patch applied and
// its state files written, or -- whichever step fails -- with the host's
// patches (its only modules: the host keeps no module apart from the patch
// it registered), the state directory and the behaviour exactly as
// before.  Each failure point runs twice: on a clean host with no state
// directory, and on a host with a patch applied (value3), a bundle
// installed and the state files of an interrupted load of the failing
// patch (which must stay as they are: same inode, mode, time and bytes).

namespace {

// A patch module for uh-host, as the fixture makes value2.ko, from
// tests/userhost/patches/SRC; the module registers `registers' (default:
// the file's name) and may carry hooks, another build-id, or one more
// object.
struct ModOpts {
    ModOpts(std::string n, std::string s, std::string r = "")
        : name(std::move(n)), src(std::move(s)), registers(std::move(r)) {}
    std::string name, src;
    std::string registers;
    bool hooks = false;
    int pre_ret = 0;
    bool wrong_build_id = false;
    std::string extra_c; // source of one more object linked in
};

std::string make_module(const ModOpts &o) {
    std::string d = workdir() + "/mod-" + o.name;
    REQUIRE((mkdir(d.c_str(), 0755) == 0 || errno == EEXIST));
    std::string ko = d + "/" + o.name + ".ko";
    if (exists(ko))
        return ko;
    Bytes id = host_build_id();
    std::string ids;
    for (size_t i = 0; i < id.size(); i++)
        ids += (i ? "," : "") +
               std::to_string(o.wrong_build_id ? unsigned(id[i]) ^ 0x5a : unsigned(id[i]));
    sh(std::string(UH_CC) + " " + UH_CFLAGS +
       " -I" UH_SOURCE_DIR "/target -c " UH_SOURCE_DIR "/patches/" + o.src + "/target_funcs.c -o " +
       d + "/patched.o");
    sh(patchgen() + " diff " UH_TARGET_OBJ " " + d + "/patched.o -o " + d +
       "/diff.o --profile hosted -q");
    std::string defs = "-DLP_NAME='\"" + (o.registers.empty() ? o.name : o.registers) +
                       "\"' -DLP_BUILD_ID=" + ids +
                       " -DLP_BUILD_ID_LEN=" + std::to_string(id.size()) + " -DLP_FLAGS=0" +
                       one_fix();
    if (o.hooks)
        defs += " -DLP_HOOKS -DLP_PRE_PATCH_RET=" + std::to_string(o.pre_ret);
    sh(std::string(UH_CC) + " -O2 -fno-pic -fno-pie -Wall -Wextra -I" UH_ABI_INCLUDE " " + defs +
       " -c " UH_SOURCE_DIR "/uh_patch_stub.c -o " + d + "/stub.o");
    std::string objs = d + "/diff.o " + d + "/stub.o";
    if (!o.extra_c.empty()) {
        spit(d + "/extra.c", o.extra_c);
        sh(std::string(UH_CC) + " -O2 -fno-pic -fno-pie -c " + d + "/extra.c -o " + d + "/extra.o");
        objs += " " + d + "/extra.o";
    }
    sh(std::string(UH_LD_LLD) + " -r " + objs + " -o " + ko);
    return ko;
}

// A signed bundle of module ko for build-id `id' (default: the host's).
std::string make_bundle(const std::string &ko, const std::string &id = "",
                        const std::string &key = "") {
    const Fixture &f = fixture();
    std::string base = ko.substr(ko.rfind('/') + 1);
    std::string b = workdir() + "/aon-" + base.substr(0, base.size() - 3) +
                    (id.empty() ? "" : "-otherkernel") + (key.empty() ? "" : "-otherkey") +
                    ".lpbundle";
    // --unchecked: these bundles test the target's own checks.
    sh(patchgen() + " bundle --unchecked --module " + ko + " --build-id " +
       (id.empty() ? f.build_id : id) +
       " --freebsd-version 1500000 --kernconf GENERIC --sign-key " + (key.empty() ? f.sec : key) +
       " -q -o " + b);
    return b;
}

// Everything a failed load must leave as it was.
struct Snapshot {
    std::string patches;            // the host's list, with seq= and addresses
    std::vector<std::string> state; // per entry: name, inode, mode, size, mtime, bytes
    bool state_exists = false;
    std::string value;        // lp_value() called by the host
    std::vector<int> workers; // each worker's last lp_value()
    bool operator==(const Snapshot &o) const {
        return patches == o.patches && state == o.state && state_exists == o.state_exists &&
               value == o.value && workers == o.workers;
    }
};

std::ostream &operator<<(std::ostream &os, const Snapshot &s) {
    os << "patches:\n" << s.patches << "state directory" << (s.state_exists ? ":\n" : ": (none)\n");
    for (const auto &e : s.state)
        os << "  " << e << "\n";
    os << "lp_value: " << s.value << "workers:";
    for (int v : s.workers)
        os << " " << v;
    return os << "\n";
}

std::vector<int> worker_values(Host &h) {
    std::vector<int> v;
    std::istringstream in(h.request("stats").second);
    std::string line;
    while (std::getline(in, line)) {
        size_t at = line.find(" value ");
        if (line.rfind("worker ", 0) == 0 && at != std::string::npos)
            v.push_back(std::atoi(line.c_str() + at + 7));
    }
    return v;
}

// The workers' values once they all agree with lp_value() now (a worker
// may still be inside a call that began before a revert).
Snapshot snapshot(Host &h, const std::string &state) {
    Snapshot s;
    s.patches = h.request("list").second;
    struct stat st;
    s.state_exists = stat(state.c_str(), &st) == 0;
    if (s.state_exists) {
        std::vector<std::string> names;
        DIR *d = opendir(state.c_str());
        REQUIRE(d != nullptr);
        while (struct dirent *de = readdir(d))
            if (std::strcmp(de->d_name, ".") != 0 && std::strcmp(de->d_name, "..") != 0)
                names.push_back(de->d_name);
        closedir(d);
        std::sort(names.begin(), names.end());
        for (const auto &n : names) {
            REQUIRE(lstat((state + "/" + n).c_str(), &st) == 0);
            std::string data = slurp(state + "/" + n);
            std::ostringstream e;
            e << n << " ino=" << st.st_ino << " mode=" << std::oct << st.st_mode << std::dec
              << " size=" << st.st_size << " mtime=" << st.st_mtim.tv_sec << "."
              << st.st_mtim.tv_nsec << " sha256="
              << to_hex(sha256(reinterpret_cast<const uint8_t *>(data.data()), data.size()));
            s.state.push_back(e.str());
        }
    }
    s.value = h.call_value();
    int want = std::atoi(s.value.c_str());
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    do {
        s.workers = worker_values(h);
        bool all = !s.workers.empty();
        for (int v : s.workers)
            all = all && v == want;
        if (all)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } while (std::chrono::steady_clock::now() < end);
    return s;
}

struct Failure {
    std::string bundle;           // what is loaded
    std::string name;             // its manifest's name
    int rc;                       // the exit status
    std::vector<std::string> why; // what the message must say
    bool undone = true;           // the failure came after a change
    std::vector<std::string> flags = {};
    std::function<void(Host &)> before = {}, after = {};
};

void check_unchanged(Host &h, const std::string &state, const Failure &fl) {
    const Fixture &f = fixture();
    if (fl.before)
        fl.before(h);
    Snapshot s0 = snapshot(h, state);
    std::vector<std::string> args = {"-k", f.keydir, "-d", state};
    args.insert(args.end(), fl.flags.begin(), fl.flags.end());
    args.push_back("load");
    args.push_back(fl.bundle);
    Result r = tool(args);
    INFO("stdout: " << r.out << "stderr: " << r.err);
    CHECK(r.rc == fl.rc);
    CHECK(r.err.rfind("fbsd-livepatch: error: ", 0) == 0);
    for (const auto &w : fl.why)
        CHECK(contains(r.err, w));
    if (fl.undone)
        CHECK(contains(r.err, "; the load was undone\n"));
    CHECK_FALSE(contains(r.err, "rollback"));
    CHECK_FALSE(contains(r.out, "applied"));
    Snapshot s1 = snapshot(h, state);
    CHECK(s1 == s0);
    if (fl.after)
        fl.after(h);
}

// The failing load on a clean host, then on a busy one.
void all_or_nothing(const Failure &fl) {
    const Fixture &f = fixture();
    static int n;
    {
        INFO("a clean host, no state directory");
        Host h;
        std::string state = workdir() + "/aon-clean-" + std::to_string(n++);
        check_unchanged(h, state, fl);
        CHECK_FALSE(exists(state));
    }
    {
        INFO("value3 applied, a bundle installed, state files of an interrupted load");
        Host h;
        std::string state = workdir() + "/aon-busy-" + std::to_string(n++);
        std::string base = make_bundle(make_module({"value3", "value3"}));
        Result r = tool({"-k", f.keydir, "-d", state, "load", base});
        INFO(r.err);
        REQUIRE(r.rc == 0);
        REQUIRE(tool({"-k", f.keydir, "-d", state, "install", f.bundle}).rc == 0);
        spit(state + "/" + fl.name + ".json", std::string("left by an interrupted load\n"));
        spit(state + "/" + fl.name + ".ko", std::string("an old module\n"));
        // And the copy an interrupted load kept of an older one.
        spit(state + "/." + fl.name + ".ko.lpsave", std::string("an older module\n"));
        sh("touch -d '2026-01-02 03:04:05' '" + state + "/" + fl.name + ".json' '" + state + "/" +
           fl.name + ".ko'");
        REQUIRE(h.call_value() == "3\n");
        check_unchanged(h, state, fl);
        CHECK(h.call_value() == "3\n");
        // The host is usable as before: the fix stacks on value3 and goes.
        REQUIRE(tool({"-k", f.keydir, "-d", state, "load", f.bundle}).rc == 0);
        CHECK(h.call_value() == "2\n");
        CHECK(tool({"-d", state, "stop"}).rc == 0);
        CHECK(h.call_value() == "1\n");
    }
}

// The fixture's bundle with one base64 character of its signature changed.
std::string bad_signature_bundle() {
    const Fixture &f = fixture();
    auto ms = members_of(f.data);
    std::string sig = std::string(f.parsed.signature_text->begin(), f.parsed.signature_text->end());
    size_t at = sig.find('\n') + 30;
    sig[at] = sig[at] == 'A' ? 'B' : 'A';
    set_member(ms, "SHA256.sig", bytes(sig));
    return write_variant("value2-badsig", ms);
}

} // namespace

TEST_CASE("all or nothing: a bad signature changes nothing", "[tool][host][aon]") {
    const Fixture &f = fixture();
    std::string b = bad_signature_bundle();
    all_or_nothing({b, "value2", 5, {b + ": SHA256.sig: signature verification failed"}, false});
    // Signed by a key that is not trusted.
    std::string other = workdir() + "/other-key";
    if (!exists(other + ".sec"))
        sh(patchgen() + " keygen -p " + other + ".pub -s " + other + ".sec");
    b = make_bundle(make_module({"value2", "value2"}), "", other + ".sec");
    all_or_nothing({b, "value2", 5, {"checked against wrong key"}, false});
    // Unsigned, without -f.
    all_or_nothing(
        {f.unsigned_bundle, "value2", 5, {f.unsigned_bundle + ": bundle is not signed"}, false});
}

TEST_CASE("all or nothing: a module named otherwise than its manifest is undone",
          "[tool][host][aon]") {
    // The manifest says "renamed", the module registers (and applies) value2.
    std::string b = make_bundle(make_module({"renamed", "value2", "value2"}));
    all_or_nothing(
        {b, "renamed", 2, {b + ": the module loaded but registered no patch named 'renamed'"}});
}

TEST_CASE("all or nothing: a wrong build-id changes nothing", "[tool][host][aon]") {
    const Fixture &f = fixture();
    // In the manifest: refused before anything is changed.
    std::string id = f.build_id;
    id[0] = id[0] == '0' ? '1' : '0';
    std::string b = make_bundle(make_module({"value2", "value2"}), id);
    all_or_nothing({b, "value2", 2, {b + ": built for the kernel with build-id " + id}, false});
    // In the module only: the runtime refuses it while it loads.
    ModOpts o{"wrongid", "value2"};
    o.wrong_build_id = true;
    b = make_bundle(make_module(o));
    all_or_nothing({b, "wrongid", 2, {"build-id"}});
}

TEST_CASE("all or nothing: a vetoing pre-patch hook changes nothing", "[tool][host][aon]") {
    ModOpts o{"veto", "value2"};
    o.hooks = true;
    o.pre_ret = 7;
    std::string b = make_bundle(make_module(o));
    auto hooks = [](Host &h) {
        std::string s = h.request("stats").second;
        size_t at = s.find("\nhooks ");
        REQUIRE(at != std::string::npos);
        return std::atoi(s.c_str() + at + 7);
    };
    int calls = -1;
    Failure fl{b, "veto", 2, {"pre-patch hook 0 vetoed the operation (returned 7)"}};
    fl.before = [&](Host &h) { calls = hooks(h); };
    fl.after = [&](Host &h) { CHECK(hooks(h) == calls + 1); }; // the veto is the cause
    all_or_nothing(fl);
}

TEST_CASE("all or nothing: a stack check that times out changes nothing", "[tool][host][aon]") {
    // A thread asleep inside lp_park: every attempt of the apply finds it.
    std::string b = make_bundle(make_module({"park2", "park2"}));
    Failure fl{b, "park2", 2, {"failed after 4 attempts", "is executing lp_park"}};
    fl.before = [](Host &h) {
        REQUIRE(h.request("retry 4 1000 4000").first);
        REQUIRE(h.request("park").first);
    };
    fl.after = [](Host &h) { REQUIRE(h.request("unpark").first); };
    all_or_nothing(fl);
}

TEST_CASE("all or nothing: a load that fails in the loader changes nothing", "[tool][host][aon]") {
    // An undefined symbol: the loader refuses the module.
    ModOpts o{"undef", "value2"};
    o.extra_c = "extern int lp_no_such_function(void);\n"
                "int lp_undef_user(void);\n"
                "int lp_undef_user(void) { return lp_no_such_function(); }\n";
    std::string b = make_bundle(make_module(o));
    all_or_nothing({b, "undef", 2, {"undefined symbol lp_no_such_function"}});
    // The apply's text write fails (the first write is the module's
    // livepatch relocation, the second the jump): the runtime undoes it,
    // and the tool what it did.
    b = make_bundle(make_module({"value2", "value2"}));
    Failure fl{b, "value2", 2, {"text at 0x", "could not be written; nothing was changed"}};
    fl.before = [](Host &h) { REQUIRE(h.request("failwrite 1").first); };
    fl.after = [](Host &h) { REQUIRE(h.request("failwrite -1").first); };
    all_or_nothing(fl);
}
