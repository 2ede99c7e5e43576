// SPDX-License-Identifier: BSD-2-Clause
//
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Live tests of the runtime core in the userspace host: patch objects are
// made from the fixed sources in patches/ by the real compiler, the real
// fbsd-patchgen diff (hosted profile) and ld.lld -r with uh_patch_stub.c,
// then loaded into a running uh-host whose worker threads call the patched
// functions in tight loops.

#include <catch2/catch.hpp>

#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"

extern "C" {
#include "uh.h"
}

namespace {

using Clock = std::chrono::steady_clock;

using fbsdlp::testutil::slurp;
using fbsdlp::testutil::spit;

// Artifacts of one test process, in the build tree; UH_KEEP=1 keeps them.
std::string workdir() {
    return fbsdlp::testutil::process_workdir(UH_BINARY_DIR, "uh-work.", "UH_KEEP");
}

// Run a shell command; its output goes to a log that is shown on failure.
void run(const std::string &cmd) { fbsdlp::testutil::must_run(cmd, workdir() + "/cmd.log"); }

// The build-id of uh-host, as the stub's LP_BUILD_ID byte list.
std::string host_build_id(bool wrong = false) {
    std::string img = slurp(UH_HOST);
    auto *eh = reinterpret_cast<const Elf64_Ehdr *>(img.data());
    auto *sh = reinterpret_cast<const Elf64_Shdr *>(img.data() + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_NOTE)
            continue;
        auto *nh = reinterpret_cast<const Elf64_Nhdr *>(img.data() + sh[i].sh_offset);
        if (nh->n_type != NT_GNU_BUILD_ID)
            continue;
        auto *d = reinterpret_cast<const unsigned char *>(nh + 1) + 4;
        std::string s;
        for (unsigned j = 0; j < nh->n_descsz; j++) {
            char b[8];
            unsigned v = d[j];
            if (wrong && j == 0)
                v ^= 0xff;
            std::snprintf(b, sizeof(b), "%s0x%02x", j ? "," : "", v);
            s += b;
        }
        return "-DLP_BUILD_ID=" + s + " -DLP_BUILD_ID_LEN=" + std::to_string(nh->n_descsz);
    }
    FAIL("uh-host has no build-id");
    return "";
}

// The diff object of a fixed source against the linked original.
std::string diff_object(const std::string &src, const std::string &orig = UH_TARGET_OBJ) {
    static std::map<std::string, std::string> cache;
    bool cet = orig == UH_CET_OBJ;
    std::string file = cet ? "target_cet.c" : "target_funcs.c";
    std::string flags = cet ? " -fcf-protection=branch" : "";
    std::string key = src + "|" + orig;
    if (cache.count(key))
        return cache[key];
    std::string tag = std::to_string(cache.size());
    std::string patched = workdir() + "/patched" + tag + ".o";
    std::string out = workdir() + "/diff" + tag + ".o";
    run(std::string(UH_CC) + " " + UH_CFLAGS + flags +
        " -I" UH_SOURCE_DIR "/target -c " UH_SOURCE_DIR "/patches/" + src + "/" + file + " -o " +
        patched);
    run(std::string(UH_PATCHGEN) + " diff " + orig + " " + patched + " -o " + out +
        " --profile hosted -q");
    cache[key] = out;
    return out;
}

struct PatchOpts {
    std::string name;
    std::string src;
    unsigned flags = 0;
    bool hooks = false;
    int pre_ret = 0;
    bool wrong_build_id = false;
    std::string orig = UH_TARGET_OBJ;
    // The fixes the patch says it carries: one letter each, standing for a
    // SHA-256 of 32 such bytes.
    std::string fixes{};
};

// -DLP_NFIXES/-DLP_FIXES for the stub: fix 'A' is 32 bytes of 'A'.
std::string fix_defs(const std::string &fixes) {
    if (fixes.empty())
        return {};
    std::string list;
    for (char c : fixes) {
        list += list.empty() ? "{" : ",{";
        for (int i = 0; i < 32; i++)
            list += std::string(i ? "," : "") + std::to_string(int(c));
        list += "}";
    }
    return " -DLP_NFIXES=" + std::to_string(fixes.size()) + " '-DLP_FIXES=" + list + "'";
}

// diff object + stub, linked with ld.lld -r: a complete patch module.
std::string make_patch(const PatchOpts &o) {
    std::string d = diff_object(o.src, o.orig);
    std::string stub = workdir() + "/stub-" + o.name + ".o";
    std::string out = workdir() + "/" + o.name + ".o";
    std::string defs = "-DLP_NAME='\"" + o.name + "\"' " + host_build_id(o.wrong_build_id) +
                       " -DLP_FLAGS=" + std::to_string(o.flags) + fix_defs(o.fixes);
    if (o.hooks)
        defs += " -DLP_HOOKS -DLP_PRE_PATCH_RET=" + std::to_string(o.pre_ret);
    run(std::string(UH_CC) +
        " -O2 -fno-pic -fno-pie -Wall -Wextra "
        "-Werror -I" UH_ABI_INCLUDE " " +
        defs + " -c " UH_SOURCE_DIR "/uh_patch_stub.c -o " + stub);
    run(std::string(UH_LD_LLD) + " -r " + d + " " + stub + " -o " + out);
    return out;
}

struct Resp {
    bool ok;
    std::string body;
};

struct WorkerStat {
    unsigned long iters, count;
    int value;
    unsigned version;
    int cet;
};

struct Stats {
    std::vector<WorkerStat> workers;
    int hooks[4] = {0, 0, 0, 0};
    std::map<std::string, unsigned long> core;
};

class Host {
  public:
    explicit Host(int nworkers = 4, int nice = 0) {
        static int n;
        sock_ = workdir() + "/host" + std::to_string(n++) + ".sock";
        log_ = sock_ + ".log";
        pid_ = fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(fd, 2);
            execl(UH_HOST, UH_HOST, "--socket", sock_.c_str(), "--workers",
                  std::to_string(nworkers).c_str(), "--worker-nice", std::to_string(nice).c_str(),
                  (char *)nullptr);
            _exit(127);
        }
        auto end = Clock::now() + std::chrono::seconds(10);
        while (Clock::now() < end) {
            char *resp;
            char err[256];
            if (uh_client_request(sock_.c_str(), "stats", &resp, err, sizeof(err)) == 0) {
                std::free(resp);
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        FAIL("uh-host did not come up; log:\n" << slurp(log_));
    }

    ~Host() {
        char *resp;
        char err[256];
        if (uh_client_request(sock_.c_str(), "quit", &resp, err, sizeof(err)) == 0)
            std::free(resp);
        for (int i = 0; i < 500; i++) {
            if (waitpid(pid_, nullptr, WNOHANG) == pid_)
                return;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }

    Resp req(const std::string &r) {
        char *resp;
        char err[512];
        // A crashed host is the worst failure: say so plainly.
        if (uh_client_request(sock_.c_str(), r.c_str(), &resp, err, sizeof(err)) != 0)
            FAIL("host unreachable (crashed?): " << err << "\n" << slurp(log_));
        std::string s(resp);
        std::free(resp);
        if (s.compare(0, 3, "OK\n") == 0)
            return {true, s.substr(3)};
        return {false, s.compare(0, 4, "ERR ") == 0 ? s.substr(4) : s};
    }

    void ok(const std::string &r) {
        Resp x = req(r);
        if (!x.ok)
            FAIL("request '" << r << "' failed: " << x.body);
    }

    Stats stats() {
        Resp x = req("stats");
        REQUIRE(x.ok);
        Stats st;
        std::istringstream in(x.body);
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream l(line);
            std::string k;
            l >> k;
            if (k == "worker") {
                WorkerStat w;
                std::string t;
                int id;
                l >> id >> t >> w.iters >> t >> w.count >> t >> w.value >> t >> w.version >> t >>
                    w.cet;
                st.workers.push_back(w);
            } else if (k == "hooks") {
                l >> st.hooks[0] >> st.hooks[1] >> st.hooks[2] >> st.hooks[3];
            } else {
                unsigned long v = 0;
                l >> v;
                st.core[k] = v;
            }
        }
        return st;
    }

    // Every worker saw value v (and count version ver, if given) within
    // the timeout; returns the time it took.
    double wait_value(int v, int ver = 0, double timeout = 1.0) {
        auto t0 = Clock::now();
        for (;;) {
            Stats st = stats();
            bool all = !st.workers.empty();
            for (auto &w : st.workers)
                all = all && w.value == v && (ver == 0 || (int)w.version == ver);
            double dt = std::chrono::duration<double>(Clock::now() - t0).count();
            if (all)
                return dt;
            if (dt > timeout) {
                std::string s;
                for (auto &w : st.workers)
                    s += std::to_string(w.value) + "/" + std::to_string(w.version) + " ";
                FAIL("workers did not reach value " << v << " version " << ver << " within "
                                                    << timeout << " s: " << s);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }

    // Loads that must be refused: the message, with the target intact.
    std::string refused(const std::string &path) {
        Resp x = req("load " + path);
        REQUIRE_FALSE(x.ok);
        CHECK(req("list").body.empty());
        wait_value(1, 1);
        return x.body;
    }

    const std::string &sock() const { return sock_; }

  private:
    pid_t pid_;
    std::string sock_, log_;
};

} // namespace

TEST_CASE("apply under load, then revert", "[userhost]") {
    Host h(4);
    std::string p = make_patch({"value2", "value2"});
    h.wait_value(1, 1);
    h.ok("load " + p);
    double dt = h.wait_value(2, 1);
    CHECK(dt < 1.0);
    Resp l = h.req("list");
    CHECK(l.body.find("value2 applied") != std::string::npos);
    CHECK(l.body.find("* lp_value (target_funcs.c)") != std::string::npos);
    // An applied patch cannot be unloaded.
    Resp u = h.req("unload value2");
    CHECK_FALSE(u.ok);
    CHECK(u.body.find("revert it before unloading") != std::string::npos);
    h.ok("revert value2");
    h.wait_value(1, 1);
    h.ok("apply value2");
    h.wait_value(2, 1);
    h.ok("revert value2");
    h.ok("unload value2");
    CHECK(h.req("list").body.empty());
    Stats st = h.stats();
    CHECK(st.core["sites"] == 0);
    for (auto &w : st.workers)
        CHECK(w.iters > 0);
}

TEST_CASE("endbr64: the jump goes after it, indirect calls still work", "[userhost]") {
    Host h(4);
    std::string before = h.req("peek lp_cet_value").body;
    REQUIRE(before.compare(0, 11, "f3 0f 1e fa") == 0);
    PatchOpts o{"cet2", "cet2"};
    o.orig = UH_CET_OBJ;
    h.ok("load " + make_patch(o));
    auto all_cet = [&](int want) {
        auto end = Clock::now() + std::chrono::seconds(1);
        for (;;) {
            bool all = true;
            for (auto &w : h.stats().workers)
                all = all && w.cet == want;
            if (all)
                return true;
            if (Clock::now() > end)
                return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    };
    CHECK(all_cet(21));
    std::string after = h.req("peek lp_cet_value").body;
    CHECK(after.compare(0, 14, "f3 0f 1e fa e9") == 0);
    h.ok("revert cet2");
    CHECK(all_cet(11));
    CHECK(h.req("peek lp_cet_value").body == before);
}

// A patch stacks over an applied one only if it carries that one's fixes
// (built cumulatively); value3 here is a fix made after value2.
TEST_CASE("stacking: newest wins, revert restores the previous", "[userhost]") {
    Host h(4);
    PatchOpts o2{"value2", "value2"}, o3{"value3", "value3"};
    o2.fixes = "A";
    o3.fixes = "AB";

    SECTION("revert newest first") {
        h.ok("load " + make_patch(o2));
        h.ok("load " + make_patch(o3));
        h.wait_value(3);
        Resp r = h.req("revert value2");
        REQUIRE_FALSE(r.ok);
        CHECK(r.body.find("revert 'value3' first") != std::string::npos);
        h.wait_value(3);
        h.ok("revert value3");
        h.wait_value(2);
        h.ok("revert value2");
        h.wait_value(1);
    }
    SECTION("the other stacking order") {
        o3.fixes = "B";
        o2.fixes = "BA";
        h.ok("load " + make_patch(o3));
        h.ok("load " + make_patch(o2));
        h.wait_value(2);
        h.ok("revert value2");
        h.wait_value(3);
        // Re-apply on top, then unwind completely.
        h.ok("apply value2");
        h.wait_value(2);
        h.ok("revert value2");
        h.ok("revert value3");
        h.wait_value(1);
    }
    SECTION("reverting the lower one after the top is gone") {
        h.ok("load " + make_patch(o2));
        h.ok("load " + make_patch(o3));
        h.ok("revert value3");
        h.ok("revert value2");
        h.wait_value(1);
        h.ok("apply value3");
        h.wait_value(3);
        h.ok("revert value3");
    }
    h.wait_value(1, 1);
    CHECK(h.stats().core["sites"] == 0);
}

// Stacking a patch built from the unfixed tree over an applied fix of the
// same function would bring the first bug back: refused, both named, and
// nothing changes.  A patch that records no fixes is never stacked on.
TEST_CASE("stacking: a patch that does not carry the applied one's fixes is refused",
          "[userhost]") {
    Host h(4);
    PatchOpts o2{"value2", "value2"}, o3{"value3", "value3"};
    o2.fixes = "A";
    o3.fixes = "B";
    h.ok("load " + make_patch(o2));
    h.wait_value(2);
    Resp r = h.req("load " + make_patch(o3));
    REQUIRE_FALSE(r.ok);
    INFO(r.body);
    CHECK(r.body.find("patch 'value3' replaces lp_value, which applied patch 'value2' already "
                      "replaces, but does not carry its fix 414141414141...") != std::string::npos);
    CHECK(r.body.find("fbsd-patchgen --src A.diff --src B.diff") != std::string::npos);
    h.wait_value(2);
    Resp l = h.req("list");
    CHECK(l.body.find("value2 applied") != std::string::npos);
    CHECK(l.body.find("fixes=414141414141") != std::string::npos);
    CHECK(l.body.find("value3") == std::string::npos);

    // No fixes recorded below: nothing can be shown to carry them.
    h.ok("revert value2");
    h.ok("unload value2");
    o2.fixes.clear();
    o3.fixes = "AB";
    h.ok("load " + make_patch(o2));
    r = h.req("load " + make_patch(o3));
    REQUIRE_FALSE(r.ok);
    CHECK(r.body.find("'value2' records no fixes") != std::string::npos);
    h.wait_value(2);
    // A cumulative (replace-all) patch supersedes it instead.
    o3.flags = FBSDLP_PATCH_REPLACE_ALL;
    h.ok("load " + make_patch(o3));
    h.wait_value(3);
    h.ok("revert value3");
    h.wait_value(1);
}

TEST_CASE("replace-all reverts every other patch atomically", "[userhost]") {
    Host h(4);
    h.ok("load " + make_patch({"value2", "value2", 0, true}));
    h.ok("load " + make_patch({"count2", "count2"}));
    // Loaded but never applied: a replace-all must not unpatch it.
    h.ok("load " + make_patch({"idle", "value3", 0, true}) + " noapply");
    h.wait_value(2, 2);
    // Cumulative patch: only lp_value (-> 3); lp_count goes back to 1.
    h.ok("load " + make_patch({"all3", "value3", FBSDLP_PATCH_REPLACE_ALL}));
    h.wait_value(3, 1);
    Resp l = h.req("list");
    CHECK(l.body.find("value2 loaded") != std::string::npos);
    CHECK(l.body.find("count2 loaded") != std::string::npos);
    CHECK(l.body.find("all3 applied") != std::string::npos);
    CHECK(l.body.find("replace-all") != std::string::npos);
    // The replaced patch's unpatch hooks ran, once.
    Stats st = h.stats();
    CHECK(st.hooks[0] == 1);
    CHECK(st.hooks[1] == 1);
    CHECK(st.hooks[2] == 1);
    CHECK(st.hooks[3] == 1);
    CHECK(st.core["sites"] == 1);
    // Reverting the replace-all patch leaves the original code.
    h.ok("revert all3");
    h.wait_value(1, 1);
    h.ok("unload value2");
    h.ok("apply count2");
    h.wait_value(1, 2);
    h.ok("revert count2");
}

TEST_CASE("hooks: a vetoing pre-patch hook changes nothing, post hooks run "
          "once",
          "[userhost]") {
    Host h(4);
    Resp r = h.req("load " + make_patch({"veto", "value2", 0, true, 1}));
    REQUIRE_FALSE(r.ok);
    CHECK(r.body.find("pre-patch hook 0 vetoed") != std::string::npos);
    CHECK(h.req("list").body.empty());
    h.wait_value(1, 1);
    Stats st = h.stats();
    CHECK(st.hooks[0] == 1);
    CHECK(st.hooks[1] == 0);

    h.ok("load " + make_patch({"hooked", "value2", 0, true}));
    h.wait_value(2);
    st = h.stats();
    CHECK(st.hooks[0] == 2);
    CHECK(st.hooks[1] == 1);
    CHECK(st.hooks[2] == 0);
    h.ok("revert hooked");
    h.wait_value(1);
    st = h.stats();
    CHECK(st.hooks[1] == 1);
    CHECK(st.hooks[2] == 1);
    CHECK(st.hooks[3] == 1);
}

TEST_CASE("consistency: a thread inside the function blocks the patch", "[userhost]") {
    Host h(4);
    std::string p = make_patch({"park2", "park2"});
    h.ok("retry 5 1000 8000");
    h.ok("park");
    Resp r = h.req("load " + p);
    REQUIRE_FALSE(r.ok);
    INFO(r.body);
    CHECK(r.body.find("failed after 5 attempts") != std::string::npos);
    CHECK(r.body.find("uh-parker") != std::string::npos);
    CHECK(r.body.find("is executing lp_park") != std::string::npos);
    CHECK(r.body.find("nothing was changed") != std::string::npos);
    CHECK(h.req("list").body.empty());
    CHECK(h.stats().core["sites"] == 0);
    h.ok("unpark");
    h.ok("load " + p);
    CHECK(h.req("list").body.find("park2 applied") != std::string::npos);

    // Revert checks the new function: park in it, revert must wait.
    h.ok("park");
    r = h.req("revert park2");
    REQUIRE_FALSE(r.ok);
    CHECK(r.body.find("is executing lp_park (park2") != std::string::npos);
    h.ok("unpark");
    h.ok("revert park2");
}

TEST_CASE("refusals leave the target intact", "[userhost]") {
    Host h(4);

    SECTION("wrong build-id") {
        PatchOpts o{"badid", "value2"};
        o.wrong_build_id = true;
        std::string m = h.refused(make_patch(o));
        CHECK(m.find("was built for build-id") != std::string::npos);
    }
    SECTION("old bytes differ from the running code") {
        // Built against a different original of lp_count (same size).
        PatchOpts o{"mismatch", "mismatch/patched"};
        std::string alt = workdir() + "/alt-orig.o";
        run(std::string(UH_CC) + " " + UH_CFLAGS +
            " -I" UH_SOURCE_DIR "/target -c " UH_SOURCE_DIR
            "/patches/mismatch/orig/target_funcs.c -o " +
            alt);
        o.orig = alt;
        std::string m = h.refused(make_patch(o));
        CHECK(m.find("lp_count") != std::string::npos);
        CHECK(m.find("differ from those the patch was built against") != std::string::npos);
    }
    SECTION("deny-listed function") {
        std::string m = h.refused(make_patch({"denied", "denied"}));
        CHECK(m.find("lp_denied_fn is on the runtime's deny list") != std::string::npos);
        CHECK(h.req("call lp_denied_fn").body == "4\n");
    }
    SECTION("function smaller than the jump") {
        // fbsd-patchgen refuses this already; the runtime must too.
        // Turn a real record for lp_value into one for the 3-byte
        // lp_tiny: rename it in place, fix its size, drop its masks.
        std::string img = slurp(make_patch({"tiny", "value2"}));
        auto *eh = reinterpret_cast<Elf64_Ehdr *>(&img[0]);
        auto *sh = reinterpret_cast<Elf64_Shdr *>(&img[eh->e_shoff]);
        const char *shstr = &img[sh[eh->e_shstrndx].sh_offset];
        bool renamed = false, resized = false;
        for (int i = 0; i < eh->e_shnum; i++) {
            std::string n = shstr + sh[i].sh_name;
            char *sec = &img[sh[i].sh_offset];
            if (n == FBSDLP_SEC_STRINGS) {
                std::string s(sec, sh[i].sh_size);
                size_t at = s.find(std::string("lp_value\0", 9));
                REQUIRE(at != std::string::npos);
                std::memcpy(sec + at, "lp_tiny\0", 8);
                renamed = true;
            } else if (n == FBSDLP_SEC_FUNCS) {
                auto *f = reinterpret_cast<fbsdlp_func *>(sec);
                f->old_size = 3;
                f->nmasks = 0;
                resized = true;
            }
        }
        REQUIRE((renamed && resized));
        std::string path = workdir() + "/tiny-crafted.o";
        spit(path, img);
        std::string m = h.refused(path);
        CHECK(m.find("lp_tiny is 3 bytes, too small for a 5-byte jump") != std::string::npos);
        CHECK(h.req("call lp_tiny").body == "0\n");
    }
    SECTION("not a file the loader accepts") {
        std::string m = h.refused(UH_SOURCE_DIR "/uh_tests.cc");
        CHECK(m.find("not an ELF file") != std::string::npos);
        m = h.refused("/nonexistent/patch.o");
        CHECK(m.find("No such file") != std::string::npos);
    }
}

namespace {

// Apply one mutation to a copy of a good patch object.
std::string mutate(const std::string &good, const std::string &tag,
                   void (*fn)(std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh,
                              const char *shstr)) {
    std::string img = slurp(good);
    auto *eh = reinterpret_cast<Elf64_Ehdr *>(&img[0]);
    auto *sh = reinterpret_cast<Elf64_Shdr *>(&img[eh->e_shoff]);
    fn(img, eh, sh, &img[sh[eh->e_shstrndx].sh_offset]);
    std::string path = workdir() + "/mut-" + tag + ".o";
    spit(path, img);
    return path;
}

Elf64_Shdr *section(Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *shstr, const char *name) {
    for (int i = 0; i < eh->e_shnum; i++)
        if (std::strcmp(shstr + sh[i].sh_name, name) == 0)
            return &sh[i];
    FAIL("no section " << name);
    return nullptr;
}

} // namespace

TEST_CASE("corrupt patch objects are refused, never followed", "[userhost]") {
    Host h(4);
    std::string good = make_patch({"good", "value2"});
    std::string size = std::to_string(slurp(good).size());

    // Every truncation: the section table is at the end, but the checks
    // must hold wherever the cut falls.
    std::string img = slurp(good);
    for (size_t len = 0; len < img.size(); len += 1 + len / 3) {
        std::string path = workdir() + "/trunc.o";
        spit(path, img.substr(0, len));
        INFO("truncated to " << len << " of " << size);
        h.refused(path);
    }

    struct Case {
        const char *tag, *expect;
        void (*fn)(std::string &, Elf64_Ehdr *, Elf64_Shdr *, const char *);
    };
    static const Case cases[] = {
        {"shoff", "section header table",
         [](std::string &, Elf64_Ehdr *eh, Elf64_Shdr *, const char *) {
             eh->e_shoff = 0x7fffffff00ull;
         }},
        {"secoff", "extends past the end",
         [](std::string &, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             section(eh, sh, s, FBSDLP_SEC_FUNCS)->sh_offset = 0x10000000;
         }},
        {"funcsize", "not a multiple of the record size",
         [](std::string &, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             section(eh, sh, s, FBSDLP_SEC_FUNCS)->sh_size -= 1;
         }},
        {"relsym", "bad symbol index",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *r = reinterpret_cast<Elf64_Rela *>(
                 &img[section(eh, sh, s, ".rela" FBSDLP_SEC_FUNCS)->sh_offset]);
             r->r_info = ELF64_R_INFO(9999, R_X86_64_64);
         }},
        {"reltype", "unsupported type",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *r = reinterpret_cast<Elf64_Rela *>(
                 &img[section(eh, sh, s, ".rela" FBSDLP_SEC_FUNCS)->sh_offset]);
             r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), R_X86_64_GOTPCREL);
         }},
        {"reloff", "outside",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *r = reinterpret_cast<Elf64_Rela *>(
                 &img[section(eh, sh, s, ".rela" FBSDLP_SEC_FUNCS)->sh_offset]);
             r->r_offset = 0x100000;
         }},
        {"magic", "bad patch info magic",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             img[section(eh, sh, s, FBSDLP_SEC_INFO)->sh_offset] ^= 1;
         }},
        {"abiver", "patch ABI version 99",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *i = reinterpret_cast<fbsdlp_patch_info *>(
                 &img[section(eh, sh, s, FBSDLP_SEC_INFO)->sh_offset]);
             i->abi_version = 99;
         }},
        {"infosize", "patch info size",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *i = reinterpret_cast<fbsdlp_patch_info *>(
                 &img[section(eh, sh, s, FBSDLP_SEC_INFO)->sh_offset]);
             i->info_size = 96;
         }},
        {"pflags", "unknown patch flags",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *i = reinterpret_cast<fbsdlp_patch_info *>(
                 &img[section(eh, sh, s, FBSDLP_SEC_INFO)->sh_offset]);
             i->flags = 0x80;
         }},
        {"bidlen", "build-id length",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *i = reinterpret_cast<fbsdlp_patch_info *>(
                 &img[section(eh, sh, s, FBSDLP_SEC_INFO)->sh_offset]);
             i->build_id_len = 33;
         }},
        {"hash", "differ from those the patch was built against",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *f = reinterpret_cast<fbsdlp_func *>(
                 &img[section(eh, sh, s, FBSDLP_SEC_FUNCS)->sh_offset]);
             f->old_hash ^= 1;
         }},
        {"oldsize", "the patch expects",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *f = reinterpret_cast<fbsdlp_func *>(
                 &img[section(eh, sh, s, FBSDLP_SEC_FUNCS)->sh_offset]);
             f->old_size += 1;
         }},
        {"newsize", "not in the module's text",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *f = reinterpret_cast<fbsdlp_func *>(
                 &img[section(eh, sh, s, FBSDLP_SEC_FUNCS)->sh_offset]);
             f->new_size = 0x100000;
         }},
        {"nmasks", "mask",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *f = reinterpret_cast<fbsdlp_func *>(
                 &img[section(eh, sh, s, FBSDLP_SEC_FUNCS)->sh_offset]);
             f->nmasks = 7;
         }},
        {"maskrange", "beyond its",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *m = reinterpret_cast<fbsdlp_mask *>(
                 &img[section(eh, sh, s, FBSDLP_SEC_MASKS)->sh_offset]);
             m->offset = 0x1000;
         }},
        {"fflags", "unknown flags",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *f = reinterpret_cast<fbsdlp_func *>(
                 &img[section(eh, sh, s, FBSDLP_SEC_FUNCS)->sh_offset]);
             f->flags = 0x100;
         }},
        {"lrtype", "unsupported type 3",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *r = reinterpret_cast<fbsdlp_reloc *>(
                 &img[section(eh, sh, s, FBSDLP_SEC_RELOCS)->sh_offset]);
             r->type = 3;
         }},
        {"lrname", "outside",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             // The symname pointer of the livepatch relocation.
             auto *rs = section(eh, sh, s, ".rela" FBSDLP_SEC_RELOCS);
             auto *r = reinterpret_cast<Elf64_Rela *>(&img[rs->sh_offset]);
             for (size_t i = 0; i < rs->sh_size / sizeof(*r); i++)
                 if (r[i].r_offset == 8)
                     r[i].r_addend = 0x40000;
         }},
        {"lrsym", "not found in the running kernel",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             auto *r = reinterpret_cast<fbsdlp_reloc *>(
                 &img[section(eh, sh, s, FBSDLP_SEC_RELOCS)->sh_offset]);
             r->sympos = 7;
         }},
        {"undef", "not a global of the running program",
         [](std::string &img, Elf64_Ehdr *eh, Elf64_Shdr *sh, const char *s) {
             // Rename the stub's reference to lp_hook_calls.
             auto *ss = section(eh, sh, s, ".strtab");
             std::string t(&img[ss->sh_offset], ss->sh_size);
             size_t at = t.find("lp_hook_calls");
             REQUIRE(at != std::string::npos);
             img[ss->sh_offset + at] = 'X';
         }},
    };
    std::string hooked = make_patch({"good", "value2", 0, true});
    for (const Case &c : cases) {
        INFO("mutation " << c.tag);
        std::string m =
            h.refused(mutate(std::string(c.tag) == "undef" ? hooked : good, c.tag, c.fn));
        CHECK(m.find(c.expect) != std::string::npos);
    }
    // The unmodified object still loads: the refusals were the mutations.
    h.ok("load " + good);
    h.wait_value(2);
    h.ok("revert good");
    h.wait_value(1, 1);
}

TEST_CASE("a failed text write leaves every function as it was", "[userhost]") {
    Host h(4);
    std::string p = make_patch({"both", "both"});
    // The second write of the stop-machine fails: the first is undone.
    h.ok("failwrite 1");
    Resp r = h.req("load " + p);
    REQUIRE_FALSE(r.ok);
    CHECK(r.body.find("could not be written; nothing was changed") != std::string::npos);
    h.wait_value(1, 1);
    h.ok("failwrite -1");
    h.ok("load " + p);
    h.wait_value(2, 2);
    h.ok("revert both");
    h.wait_value(1, 1);
}

TEST_CASE("stress: 1000 apply/revert cycles under 8 workers lose nothing", "[userhost][stress]") {
    // Workers niced: they still run all the time the control thread
    // does not, but the 2000 stop-machines do not each wait for a slice.
    Host h(8, 10);
    h.ok("load " + make_patch({"count2", "count2"}) + " noapply");
    h.ok("retry 50 100 2000");
    auto t0 = Clock::now();
    // A few through the socket, the bulk inside the host (no round trips).
    for (int i = 0; i < 20; i++) {
        Resp a = h.req("apply count2");
        if (!a.ok)
            FAIL("cycle " << i << ": apply: " << a.body);
        Resp r = h.req("revert count2");
        if (!r.ok)
            FAIL("cycle " << i << ": revert: " << r.body);
    }
    Resp c = h.req("cycle count2 980");
    if (!c.ok)
        FAIL(c.body);
    double dt = std::chrono::duration<double>(Clock::now() - t0).count();
    WARN("1000 cycles in " << dt << " s");
    h.ok("stopworkers");
    Stats st = h.stats();
    REQUIRE(st.workers.size() == 8);
    for (auto &w : st.workers) {
        CHECK(w.iters > 0);
        CHECK(w.count == w.iters);
    }
    CHECK(st.core["applies"] == 1000);
    CHECK(st.core["reverts"] == 1000);
    CHECK(st.core["sites"] == 0);
}

TEST_CASE("lpctl drives the host with clear errors", "[userhost]") {
    Host h(2);
    std::string p = make_patch({"value2", "value2"});
    std::string lp = std::string(UH_LPCTL) + " -s " + h.sock();
    std::string out = workdir() + "/lpctl.out";
    auto rc = [&](const std::string &args) {
        int s = std::system((lp + " " + args + " >" + out + " 2>&1").c_str());
        return WIFEXITED(s) ? WEXITSTATUS(s) : -1;
    };
    CHECK(rc("load " + p) == 0);
    CHECK(slurp(out) == "value2 applied\n");
    CHECK(rc("list") == 0);
    CHECK(slurp(out).find("value2 applied") != std::string::npos);
    CHECK(rc("unload value2") == 2);
    CHECK(slurp(out).find("lpctl: error: patch 'value2' is applied") != std::string::npos);
    CHECK(rc("revert value2") == 0);
    CHECK(rc("revert value2") == 2);
    CHECK(slurp(out).find("is not applied") != std::string::npos);
    CHECK(rc("unload value2") == 0);
    CHECK(rc("stats") == 0);
    CHECK(slurp(out).find("reverts 1") != std::string::npos);
    CHECK(rc("revert nosuch") == 2);
    CHECK(slurp(out).find("no patch named 'nosuch'") != std::string::npos);
    CHECK(rc("bogus") == 1);
    CHECK(rc("-s /nonexistent/sock list") == 3);
    CHECK(slurp(out).find("cannot reach the host") != std::string::npos);
}
