// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The driver end to end on the fixture kernel, hosted flavour: every bundled
// fix of tests/minikern/patches is generated with fbsd-patchgen against a
// kernel.hosted that links the userspace host (tests/userhost, the
// uh-hostlib archive), then applied live to a running kernel.hosted with
// lpctl while its worker threads run.  The `hosted:` lines of NAME.expect
// say what a call returns before and after the fix; the test checks the
// old value, loads the module, checks the new one, reverts, checks the old
// one again.  Fixes that must be refused exit 2 and name the symbol.

#include "harness.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace fbsdlp::test;
namespace fs = std::filesystem;

namespace {

std::string minikern() { return source_dir() + "/tests/minikern"; }

std::string trim(std::string s) {
    s.erase(0, s.find_first_not_of(" \t\r\n"));
    s.erase(s.find_last_not_of(" \t\r\n") + 1);
    return s;
}

// HOSTED_LIBS for minikern's Makefile: the uh-hostlib archive and what it
// needs, as the build wrote it.
std::string hosted_libs() { return trim(read_text(FBSDLP_HOSTED_LIBS_FILE)); }

// Shared by the test processes (the driver locks each cache entry).  The
// driver's cache key does not cover the contents of HOSTED_LIBS, so the
// directory is named after the archive's checksum: a rebuilt host library
// gets a fresh original build.
std::string hosted_cache() {
    static const std::string dir = [] {
        std::string lib = hosted_libs();
        lib = lib.substr(0, lib.find(' '));
        std::string sum = run("sha256sum " + shell_quote(lib) + " | cut -c1-16").output;
        return (fs::current_path() / "test-cache" / ("minikern-hosted-" + trim(sum))).string();
    }();
    return dir;
}

std::string hosted_driver(const std::string &diff, const std::string &out) {
    return patchgen() + " --src " + shell_quote(diff) + " --kernel GENERIC --srcdir " +
           shell_quote(minikern()) + " --cache " + shell_quote(hosted_cache()) + " --output " +
           shell_quote(out) +
           " --profile hosted --make-var FLAVOUR=hosted --make-var HOSTED_MAIN=no --make-var " +
           shell_quote("HOSTED_LIBS=" + hosted_libs()) + " --kernel-image kernel.hosted";
}

// The kernel.hosted in the cache whose build-id is id.
std::string kernel_image(const std::string &id) {
    std::istringstream in(
        run("find " + shell_quote(hosted_cache()) + " -name kernel.hosted -type f").output);
    std::string path;
    while (std::getline(in, path)) {
        std::string notes = run("readelf -n " + shell_quote(path)).output;
        if (notes.find("Build ID: " + id) != std::string::npos)
            return path;
    }
    return {};
}

struct Observation {
    std::string call; // "call mq_fill 8"
    std::string before, after;
};

struct HostedExpect {
    std::vector<std::string> refuse;
    std::vector<std::string> source_refuse; // when the source analysis names it differently
    std::vector<Observation> obs;
};

HostedExpect read_hosted_expect(const std::string &path) {
    HostedExpect e;
    std::istringstream in(read_text(path));
    std::string line;
    while (std::getline(in, line)) {
        if (auto h = line.find('#'); h != std::string::npos)
            line.resize(h);
        if (line.rfind("refuse:", 0) == 0) {
            e.refuse.push_back(trim(line.substr(7)));
        } else if (line.rfind("source-refuse:", 0) == 0) {
            e.source_refuse.push_back(trim(line.substr(14)));
        } else if (line.rfind("hosted:", 0) == 0) {
            // hosted: call NAME ARGS -> before B after A
            std::string rest = line.substr(7);
            auto arrow = rest.find("->");
            REQUIRE(arrow != std::string::npos);
            Observation o;
            o.call = trim(rest.substr(0, arrow));
            std::istringstream ws(rest.substr(arrow + 2));
            std::string kw1, kw2;
            ws >> kw1 >> o.before >> kw2 >> o.after;
            REQUIRE(kw1 == "before");
            REQUIRE(kw2 == "after");
            e.obs.push_back(o);
        }
    }
    return e;
}

// One kernel.hosted with its worker threads, serving a control socket;
// stopped (and killed if need be) when it goes out of scope.
class HostedKernel {
  public:
    HostedKernel(const std::string &image, const std::string &dir) : sock_(dir + "/kernel.sock") {
        auto r = run(shell_quote(image) + " -q -w 3 -s " + shell_quote(sock_) + " >" +
                     shell_quote(dir + "/kernel.log") + " 2>&1 </dev/null & echo $!");
        pid_ = std::atoi(r.output.c_str());
        for (int i = 0; i < 500 && !fs::exists(sock_); i++)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ~HostedKernel() {
        if (pid_ <= 0)
            return;
        (void)run(lpctl("host quit"));
        for (int i = 0; i < 200 && kill(pid_, 0) == 0; i++)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (kill(pid_, 0) == 0)
            kill(pid_, SIGKILL);
    }
    HostedKernel(const HostedKernel &) = delete;
    HostedKernel &operator=(const HostedKernel &) = delete;

    bool up() const { return pid_ > 0 && fs::exists(sock_); }
    std::string lpctl(const std::string &args) const {
        return std::string(FBSDLP_LPCTL) + " -s " + shell_quote(sock_) + " " + args;
    }
    // "call NAME ARGS" through the control socket: the answer, trimmed.
    std::string call(const std::string &call) const {
        return trim(run(lpctl("host " + call)).output);
    }
    // Wait up to 1 s for the answer to become want.
    std::string call_until(const std::string &c, const std::string &want) const {
        std::string got;
        for (int i = 0; i < 100; i++) {
            if ((got = call(c)) == want)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return got;
    }
    unsigned long worker_iters() const {
        std::istringstream in(run(lpctl("stats")).output);
        std::string w;
        unsigned long sum = 0;
        while (in >> w)
            if (w == "iters") {
                unsigned long n = 0;
                in >> n;
                sum += n;
            }
        return sum;
    }

  private:
    std::string sock_;
    pid_t pid_ = -1;
};

// kernel.hosted built as a release would build it: the same flags, no
// function or data sections; once, shared by the test processes (flock).
std::string stock_hosted_image() {
    std::string prefix = (fs::current_path() / "test-cache" / "stock-hosted").string();
    fs::create_directories(prefix);
    std::string k = prefix + minikern() + "/amd64.amd64/sys/GENERIC/kernel.hosted";
    auto r =
        run("flock " + shell_quote(prefix + "/.lock") + " sh -c " +
            shell_quote("test -f " + shell_quote(k) + " || make -s -C " + shell_quote(minikern()) +
                        " buildkernel KERNCONF=GENERIC FLAVOUR=hosted HOSTED_MAIN=no "
                        "CC=clang -j2 MAKEOBJDIRPREFIX=" +
                        shell_quote(prefix) + " " + shell_quote("HOSTED_LIBS=" + hosted_libs()) +
                        " CONF_CFLAGS='-fno-function-sections -fno-data-sections'"));
    INFO("stock kernel.hosted build:\n" << r.output);
    REQUIRE(r.status == 0);
    REQUIRE(fs::exists(k));
    // Built without function sections indeed: one .text for all functions.
    REQUIRE(run("readelf -SW " +
                shell_quote(prefix + minikern() + "/amd64.amd64/sys/GENERIC/kern_mq.o") +
                " | grep -c '\\.text\\.'")
                .output.find('0') == 0);
    return k;
}

// image runs with its workers; ko changes each observation from before to
// after, and its revert changes it back.
void live_check(const std::string &image, const std::string &ko, const std::string &base,
                const HostedExpect &e, const std::string &w) {
    HostedKernel k(image, w);
    INFO("kernel.hosted log:\n"
         << (fs::exists(w + "/kernel.log") ? read_text(w + "/kernel.log") : ""));
    REQUIRE(k.up());

    for (const auto &o : e.obs) {
        INFO(o.call << " before the patch");
        CHECK(k.call(o.call) == o.before);
    }

    auto load = run(k.lpctl("load " + shell_quote(ko)));
    INFO("lpctl load:\n" << load.output);
    REQUIRE(load.status == 0);
    auto list = run(k.lpctl("list"));
    CHECK(list.output.find(base + " applied") != std::string::npos);

    for (const auto &o : e.obs) {
        INFO(o.call << " with the patch applied");
        CHECK(k.call_until(o.call, o.after) == o.after);
    }
    // The workers kept running through the apply.
    unsigned long iters = k.worker_iters();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(k.worker_iters() > iters);

    auto rev = run(k.lpctl("revert " + base));
    INFO("lpctl revert:\n" << rev.output);
    REQUIRE(rev.status == 0);
    for (const auto &o : e.obs) {
        INFO(o.call << " after the revert");
        CHECK(k.call_until(o.call, o.before) == o.before);
    }
    CHECK(run(k.lpctl("unload " + base)).status == 0);
}

void check_hosted_patch(const std::string &name) {
    std::string diff = minikern() + "/patches/" + name + ".diff";
    HostedExpect e = read_hosted_expect(minikern() + "/patches/" + name + ".expect");
    std::string w = work_dir("e2e-hosted/" + name);
    auto r = run(hosted_driver(diff, w));
    INFO("driver (exit " << r.status << "):\n" << r.output);
    std::string base = name;
    std::replace(base.begin(), base.end(), '-', '_');

    if (!e.refuse.empty()) {
        CHECK(r.status == 2);
        CHECK_FALSE(fs::exists(w + "/" + base + ".ko"));
        REQUIRE(fs::exists(w + "/" + base + ".json"));
        auto rep = nlohmann::json::parse(read_text(w + "/" + base + ".json"));
        // Refused at source level, before any build: in "preflight".
        auto pre = rep.value("preflight", nlohmann::json::array());
        std::vector<nlohmann::json> refusals(pre.begin(), pre.end());
        for (const auto &o : rep.at("objects"))
            for (const auto &x : o.at("refusals"))
                refusals.push_back(x);
        for (const auto &want :
             !pre.empty() && !e.source_refuse.empty() ? e.source_refuse : e.refuse) {
            bool found = false;
            for (const auto &x : refusals)
                found |=
                    (x.at("symbol").get<std::string>() + " " + x.at("reason").get<std::string>())
                        .find(want) != std::string::npos;
            INFO("expected a refusal naming " << want);
            CHECK(found);
        }
        return;
    }
    REQUIRE(r.status == 0);
    REQUIRE_FALSE(e.obs.empty());
    std::string ko = w + "/" + base + ".ko";
    REQUIRE(fs::exists(ko));

    // The very image the driver built and read the build-id from (the
    // cache may hold builds of other states of the tree).
    auto rep = nlohmann::json::parse(read_text(w + "/" + base + ".json"));
    std::string image = kernel_image(rep.at("target_build_id").get<std::string>());
    INFO("target build-id " << rep.at("target_build_id").get<std::string>());
    REQUIRE(!image.empty());

    live_check(image, ko, base, e, w);

    // The same fix for a program built the way a release kernel is, without
    // function sections: the patch is bound to it and applied to it.
    std::string stock = stock_hosted_image();
    std::string sw = w + "/stock";
    auto sr = run(hosted_driver(diff, sw) + " -q --kernel-file " + shell_quote(stock));
    INFO("driver --kernel-file (exit " << sr.status << "):\n" << sr.output);
    REQUIRE(sr.status == 0);
    auto srep = nlohmann::json::parse(read_text(sw + "/" + base + ".json"));
    CHECK(srep.at("target_build_id") != rep.at("target_build_id"));
    live_check(stock, sw + "/" + base + ".ko", base, e, sw);
}

} // namespace

TEST_CASE("every fixture fix applied live to the hosted kernel", "[e2e][hosted]") {
    const char *only = std::getenv("FBSDLP_PATCH");
    for (const auto &e : fs::directory_iterator(minikern() + "/patches")) {
        if (e.path().extension() != ".diff")
            continue;
        std::string name = e.path().stem().string();
        if (only && name != only)
            continue;
        DYNAMIC_SECTION(name) { check_hosted_patch(name); }
    }
}

// Two fixes to one function (mq_send), made one after the other.  Built
// alone, the second does not carry the first: stacked over it, it would
// bring the first bug back, so the runtime refuses it.  Built as a series
// (two --src, or a series file), they give one cumulative patch with both
// behaviours, which supersedes the first in one step.
TEST_CASE("a series of fixes gives one cumulative patch; a patch without the applied fix is "
          "refused",
          "[e2e][hosted][series]") {
    std::string w = work_dir("e2e-hosted/series");
    std::string a = minikern() + "/patches/mq-send-full-off-by-one.diff";
    std::string b = minikern() + "/patches/mq-send-msgsize-errno.diff";
    auto sha = [](const std::string &f) {
        return run("sha256sum " + shell_quote(f) + " | cut -c1-64").output.substr(0, 64);
    };
    for (const auto &[dir, extra] : std::vector<std::pair<std::string, std::string>>{
             {"a", ""}, {"b", ""}, {"ab", " --src " + shell_quote(b) + " --name mq_send_ab"}}) {
        auto r = run(hosted_driver(dir == "b" ? b : a, w + "/" + dir) + extra + " -q");
        INFO(dir << ": driver (exit " << r.status << "):\n" << r.output);
        REQUIRE(r.status == 0);
    }
    auto rep = nlohmann::json::parse(read_text(w + "/ab/mq_send_ab.json"));
    CHECK(rep.at("cumulative") == true);
    REQUIRE(rep.at("fixes").size() == 2);
    CHECK(rep["fixes"][0].at("sha256") == sha(a));
    CHECK(rep["fixes"][1].at("sha256") == sha(b));
    auto in = nlohmann::json::parse(
        run(patchgen() + " inspect --json " + shell_quote(w + "/ab/mq_send_ab.ko")).output);
    CHECK(in.at("info").at("replace_all") == true);
    CHECK(in.at("info").at("fixes") == nlohmann::json::array({sha(a), sha(b)}));

    // The same series from a series file: the same fixes, the same code.
    std::ofstream(w + "/series") << "# mq_send fixes, oldest first\n" << a << "\n\n" << b << "\n";
    auto sf = run(hosted_driver(w + "/series", w + "/sf") + " --name mq_send_sf -q");
    INFO("series file: driver (exit " << sf.status << "):\n" << sf.output);
    REQUIRE(sf.status == 0);
    auto srep = nlohmann::json::parse(read_text(w + "/sf/mq_send_sf.json"));
    CHECK(srep.at("fixes") == rep.at("fixes"));
    CHECK(srep.at("diff_sha256") == rep.at("diff_sha256"));

    std::string image = kernel_image(rep.at("target_build_id").get<std::string>());
    REQUIRE(!image.empty());
    HostedKernel k(image, w);
    INFO("kernel.hosted log:\n"
         << (fs::exists(w + "/kernel.log") ? read_text(w + "/kernel.log") : ""));
    REQUIRE(k.up());
    const std::string fill = "call mq_fill 8", len = "call mq_send_len 200";
    CHECK(k.call(fill) == "9");
    CHECK(k.call(len) == "22");

    REQUIRE(run(k.lpctl("load " + shell_quote(w + "/a/mq_send_full_off_by_one.ko"))).status == 0);
    CHECK(k.call_until(fill, "8") == "8");
    auto refused = run(k.lpctl("load " + shell_quote(w + "/b/mq_send_msgsize_errno.ko")));
    INFO("second patch:\n" << refused.output);
    CHECK(refused.status != 0);
    CHECK(refused.output.find("patch 'mq_send_msgsize_errno' replaces mq_send, which applied "
                              "patch 'mq_send_full_off_by_one' already replaces, but does not "
                              "carry its fix " +
                              sha(a).substr(0, 12)) != std::string::npos);
    CHECK(k.call(fill) == "8");
    CHECK(k.call(len) == "22");

    auto load = run(k.lpctl("load " + shell_quote(w + "/ab/mq_send_ab.ko")));
    INFO("cumulative patch:\n" << load.output);
    REQUIRE(load.status == 0);
    CHECK(k.call_until(len, "40") == "40");
    CHECK(k.call(fill) == "8");
    auto list = run(k.lpctl("list")).output;
    INFO(list);
    CHECK(list.find("mq_send_ab applied") != std::string::npos);
    CHECK(list.find("replace-all") != std::string::npos);
    CHECK(list.find("fixes=" + sha(a).substr(0, 12) + "," + sha(b).substr(0, 12)) !=
          std::string::npos);
    CHECK(list.find("mq_send_full_off_by_one loaded") != std::string::npos);

    REQUIRE(run(k.lpctl("revert mq_send_ab")).status == 0);
    CHECK(k.call_until(fill, "9") == "9");
    CHECK(k.call(len) == "22");
    CHECK(run(k.lpctl("unload mq_send_ab")).status == 0);
    CHECK(run(k.lpctl("unload mq_send_full_off_by_one")).status == 0);
}
