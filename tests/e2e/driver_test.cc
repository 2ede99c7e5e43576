// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The driver end to end on the fixture kernel (tests/minikern), kernel
// flavour: every bundled fix gives the expected functions or refusal and a
// module bound to the kernel's build-id; a header fix recompiles exactly
// the objects that include the header; the original build is cached; an
// interrupt leaves the source tree byte-identical.

#include "harness.h"

#include "fbsdlp/elf/object.h"
#include "fbsdlp/module/kernel_image.h"
#include "fbsdlp_abi.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace fbsdlp;
using namespace fbsdlp::test;
namespace fs = std::filesystem;

namespace {

std::string minikern() { return source_dir() + "/tests/minikern"; }

// Shared by every test process: the driver locks each cache entry, so the
// first test builds the original kernel and the others reuse it.
std::string shared_cache() {
    return (fs::current_path() / "test-cache" / "minikern-kernel").string();
}

// The fixture kernel built the way a release builds it: no function
// sections (CONF_CFLAGS empty), or with other flags; once per flavour of
// flags, shared by the test processes (flock).
std::string stock_kernel(const std::string &tag, const std::string &conf_cflags) {
    std::string prefix = (fs::current_path() / "test-cache" / ("stock-" + tag)).string();
    fs::create_directories(prefix);
    std::string objdir = prefix + minikern() + "/amd64.amd64/sys/GENERIC";
    std::string k = objdir + "/kernel.full";
    auto r =
        run("flock " + shell_quote(prefix + "/.lock") + " sh -c " +
            shell_quote("test -f " + shell_quote(k) + " || make -s -C " + shell_quote(minikern()) +
                        " buildkernel KERNCONF=GENERIC CC=clang LD=ld.lld -j2 "
                        "MAKEOBJDIRPREFIX=" +
                        shell_quote(prefix) + " CONF_CFLAGS=" + shell_quote(conf_cflags)));
    INFO("stock kernel build:\n" << r.output);
    REQUIRE(r.status == 0);
    REQUIRE(fs::exists(k));
    return k;
}

std::string driver(const std::string &diff, const std::string &out, const std::string &extra = {}) {
    return patchgen() + " --src " + shell_quote(diff) + " --kernel GENERIC --srcdir " +
           shell_quote(minikern()) + " --cache " + shell_quote(shared_cache()) + " --output " +
           shell_quote(out) + " " + extra;
}

std::map<std::string, std::set<std::string>> read_expect(const std::string &path) {
    std::map<std::string, std::set<std::string>> e;
    std::istringstream in(read_text(path));
    std::string line;
    while (std::getline(in, line)) {
        if (auto h = line.find('#'); h != std::string::npos)
            line.resize(h);
        auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        std::string key = line.substr(0, colon);
        key.erase(std::remove_if(key.begin(), key.end(), ::isspace), key.end());
        std::istringstream ws(line.substr(colon + 1));
        std::string w;
        auto &set = e[key];
        if (key == "refuse") {
            std::string v = line.substr(colon + 1);
            v.erase(0, v.find_first_not_of(" \t"));
            v.erase(v.find_last_not_of(" \t") + 1);
            set.insert(v);
        } else {
            while (ws >> w)
                set.insert(w);
        }
    }
    return e;
}

std::string tree_checksum(const std::string &dir) {
    return run("cd " + shell_quote(dir) +
               " && find . -type f -o -type l | LC_ALL=C sort | xargs sha256sum | sha256sum")
        .output;
}

// fbsd-patchgen inspect on the generated module tells what the diff report
// said went into it.
void check_inspect(const std::string &ko, const nlohmann::json &rep,
                   const std::set<std::string> &changed) {
    auto r = run(patchgen() + " inspect --json " + shell_quote(ko));
    INFO("inspect (exit " << r.status << "):\n" << r.output);
    REQUIRE(r.status == 0);
    auto j = nlohmann::json::parse(r.output);
    CHECK(j.at("info").at("target_build_id") == rep.at("target_build_id"));
    CHECK(j.at("info").at("abi_version") == FBSDLP_ABI_VERSION);
    std::set<std::string> replaced;
    for (const auto &f : j.at("functions")) {
        replaced.insert(f.at("new_symbol").get<std::string>());
        CHECK(f.at("new_size").get<uint32_t>() > 0);
    }
    CHECK(replaced == changed);
    size_t lp = 0;
    std::set<std::string> locals, globals;
    for (const auto &o : rep.at("objects")) {
        lp += o.at("livepatch_relocations").get<size_t>();
        for (const auto &k : o.at("kernel_symbols"))
            (k.at("bind") == "local" ? locals : globals).insert(k.at("name").get<std::string>());
    }
    CHECK(j.at("livepatch_relocations").size() == lp);
    for (const auto &r2 : j.at("livepatch_relocations"))
        CHECK(locals.count(r2.at("symbol").get<std::string>()) == 1);
    std::set<std::string> undef;
    for (const auto &u : j.at("undefined_symbols"))
        undef.insert(u.get<std::string>());
    for (const auto &g : globals) {
        INFO("kernel global " << g << " left to the kernel linker");
        CHECK(undef.count(g) == 1);
    }
    // A real kld: the module metadata kldload(2) registers, the dependency
    // that loads livepatch.ko first, the handler that calls
    // livepatch_register (docs/kld-module.md).
    std::string name = j.at("info").at("name");
    const auto &kld = j.at("kld");
    REQUIRE(kld.is_object());
    REQUIRE(kld.at("modules").size() == 1);
    CHECK(kld.at("modules")[0].at("name") == name);
    CHECK(kld.at("modules")[0].at("event_handler") == "lp_modevent");
    std::map<std::string, nlohmann::json> deps;
    for (const auto &d : kld.at("depends"))
        deps[d.at("module").get<std::string>()] = d;
    REQUIRE(deps.count("livepatch") == 1);
    CHECK(deps["livepatch"].at("minimum").get<int>() <= 2);
    CHECK(deps["livepatch"].at("maximum").get<int>() >= 2);
    REQUIRE(deps.count("kernel") == 1);
    CHECK(deps["kernel"].at("minimum") == j.at("info").at("freebsd_version"));
    CHECK(undef.count("livepatch_register") == 1);
    CHECK(undef.count("module_register_init") == 1);
    auto sections = run("readelf -SW " + shell_quote(ko));
    CHECK(sections.output.find("set_modmetadata_set") != std::string::npos);
    CHECK(sections.output.find("set_sysinit_set") != std::string::npos);
    // The table names the same functions and the module.
    auto t = run(patchgen() + " inspect " + shell_quote(ko));
    REQUIRE(t.status == 0);
    for (const auto &f : changed)
        CHECK(t.output.find(f) != std::string::npos);
    CHECK(t.output.find("depends on") != std::string::npos);
}

void check_patch(const std::string &name) {
    std::string diff = minikern() + "/patches/" + name + ".diff";
    auto e = read_expect(minikern() + "/patches/" + name + ".expect");
    std::string w = work_dir("e2e/" + name);
    auto r = run(driver(diff, w));
    INFO("driver (exit " << r.status << "):\n" << r.output);
    std::string base = name;
    std::replace(base.begin(), base.end(), '-', '_');
    nlohmann::json rep = nlohmann::json::parse(read_text(w + "/" + base + ".json"));

    std::set<std::string> changed, added, changed_objects;
    std::vector<nlohmann::json> refusals;
    for (const auto &o : rep.at("objects")) {
        for (const auto &f : o.at("changed_functions"))
            changed.insert(f.at("name").get<std::string>());
        for (const auto &f : o.at("new_functions"))
            added.insert(f.at("name").get<std::string>());
        for (const auto &d : o.at("new_data"))
            added.insert(d.get<std::string>());
        for (const auto &x : o.at("refusals"))
            refusals.push_back(x);
        if (!o.at("changed_functions").empty() || !o.at("new_functions").empty() ||
            !o.at("refusals").empty() || !o.at("new_data").empty())
            changed_objects.insert(o.at("object").get<std::string>());
    }
    // A refusal at source level stops before any build: no object is
    // diffed, and the refusal is in "preflight".
    for (const auto &x : rep.value("preflight", nlohmann::json::array()))
        refusals.push_back(x);
    bool source_refused = !rep.value("preflight", nlohmann::json::array()).empty();
    if (e.count("objects") && !source_refused)
        CHECK(changed_objects == e["objects"]);
    if (e.count("refuse")) {
        CHECK(r.status == 2);
        CHECK_FALSE(fs::exists(w + "/" + base + ".ko"));
        // What the source analysis names (a type, say) can differ from
        // what the binary analysis would have named (its instance).
        for (const auto &want :
             e[source_refused && e.count("source-refuse") ? "source-refuse" : "refuse"]) {
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
    CHECK(changed == e["changed"]);
    CHECK(added == e["new"]);

    // The module: ld -r accepts it, and its patch info binds it to the
    // kernel the original build linked.
    std::string ko = w + "/" + base + ".ko";
    REQUIRE(fs::exists(ko));
    CHECK(run("ld.lld -r " + shell_quote(ko) + " -o " + shell_quote(w + "/relinked.o")).status ==
          0);
    elf::ObjectFile m = elf::ObjectFile::load(ko);
    const elf::Section *info = nullptr;
    size_t func_records = 0;
    for (const auto &s : m.sections()) {
        if (s.name == FBSDLP_SEC_INFO)
            info = &s;
        if (s.name == FBSDLP_SEC_FUNCS)
            func_records += s.size / sizeof(fbsdlp_func);
    }
    REQUIRE(info != nullptr);
    fbsdlp_patch_info pi;
    REQUIRE(info->size == sizeof pi);
    std::memcpy(&pi, info->data.data(), sizeof pi);
    CHECK(pi.magic == FBSDLP_INFO_MAGIC);
    CHECK(pi.abi_version == FBSDLP_ABI_VERSION);
    std::string id;
    for (unsigned i = 0; i < pi.build_id_len; i++) {
        char b[3];
        snprintf(b, sizeof b, "%02x", pi.build_id[i]);
        id += b;
    }
    CHECK(id == rep.at("target_build_id").get<std::string>());
    CHECK(func_records == changed.size());
    check_inspect(ko, rep, changed);

    // The same fix for the kernel a release would ship: built without
    // function sections, another build-id; the patch is bound to it.
    std::string stock = stock_kernel("plain", "");
    std::string sw = w + "/stock";
    auto sr = run(driver(diff, sw, "-q --kernel-file " + shell_quote(stock)));
    INFO("driver --kernel-file (exit " << sr.status << "):\n" << sr.output);
    REQUIRE(sr.status == 0);
    nlohmann::json srep = nlohmann::json::parse(read_text(sw + "/" + base + ".json"));
    std::string stock_id = module::KernelImage::load(stock).build_id;
    CHECK(srep.at("target_build_id") == stock_id);
    CHECK(srep.at("original_build_id") == rep.at("target_build_id"));
    CHECK(stock_id != rep.at("target_build_id").get<std::string>());
    auto sj = nlohmann::json::parse(
        run(patchgen() + " inspect --json " + shell_quote(sw + "/" + base + ".ko")).output);
    CHECK(sj.at("info").at("target_build_id") == stock_id);
    CHECK(sj.at("functions").size() == changed.size());
}

} // namespace

TEST_CASE("every fixture fix through the driver", "[e2e][driver]") {
    const char *only = std::getenv("FBSDLP_PATCH");
    for (const auto &e : fs::directory_iterator(minikern() + "/patches")) {
        if (e.path().extension() != ".diff")
            continue;
        std::string name = e.path().stem().string();
        if (only && name != only)
            continue;
        DYNAMIC_SECTION(name) { check_patch(name); }
    }
}

TEST_CASE("a header fix recompiles exactly the objects that include it; the cache is reused",
          "[e2e][driver]") {
    std::string w = work_dir("e2e/header");
    auto r = run(driver(minikern() + "/patches/pkt-maxlen-inline.diff", w));
    INFO(r.output);
    REQUIRE(r.status == 0);
    auto rep = nlohmann::json::parse(read_text(w + "/pkt_maxlen_inline.json"));
    std::set<std::string> recompiled;
    for (const auto &o : rep.at("recompiled"))
        recompiled.insert(o.get<std::string>());

    // Independently: the objects whose depfiles name net/pkt.h.
    auto deps =
        run("grep -l 'sys/net/pkt.h' $(find " + shell_quote(shared_cache()) + " -name '*.d')");
    std::set<std::string> expected;
    std::istringstream in(deps.output);
    std::string line;
    while (std::getline(in, line))
        expected.insert(fs::path(line).stem().string() + ".o");
    CHECK(expected.size() >= 3);
    CHECK(recompiled == expected);

    // A second patch: the original build comes from the cache.
    CHECK(rep.at("original_build") == "cached");
    CHECK(r.output.find("original build: cached") != std::string::npos);
}

TEST_CASE("an interrupt during the patched build leaves the tree byte-identical", "[e2e][driver]") {
    std::string w = work_dir("e2e/sigint");
    std::string tree = w + "/src";
    fs::copy(minikern(), tree, fs::copy_options::recursive);
    // A compiler that can be made slow, so that the interrupt lands while
    // the patched build runs.
    std::ofstream(w + "/slowcc")
        << "#!/bin/sh\ncase \" $* \" in *\" -c \"*)\n"
           "  [ -n \"$FBSDLP_TEST_SLOW\" ] && sleep \"$FBSDLP_TEST_SLOW\";;\nesac\n"
           "exec clang \"$@\"\n";
    fs::permissions(w + "/slowcc", fs::perms::owner_all);
    std::string before = tree_checksum(tree);
    std::string cmd_tail = " --src " + minikern() +
                           "/patches/mq-send-full-off-by-one.diff --kernel GENERIC" + " --srcdir " +
                           tree + " --cache " + w + "/cache --output " + w + "/out --cc " + w +
                           "/slowcc";
    // Warm the cache (fast compiler), so the next run reaches the patched
    // build at once.
    auto warm = run(patchgen() + cmd_tail + " -q");
    INFO(warm.output);
    REQUIRE(warm.status == 0);
    fs::create_directories(w + "/tmp");

    int pipefd[2];
    REQUIRE(pipe(pipefd) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0); // its own process group, as a shell job would be
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        close(pipefd[0]);
        setenv("FBSDLP_TEST_SLOW", "20", 1);
        setenv("TMPDIR", (w + "/tmp").c_str(), 1);
        execl("/bin/sh", "sh", "-c", ("exec " + patchgen() + cmd_tail).c_str(), (char *)nullptr);
        _exit(127);
    }
    close(pipefd[1]);
    std::string output;
    char buf[512];
    ssize_t n;
    bool sent = false;
    while ((n = read(pipefd[0], buf, sizeof buf)) > 0) {
        output.append(buf, size_t(n));
        if (!sent && output.find("[3/7]") != std::string::npos) {
            usleep(300 * 1000); // into the (slow) patched build
            kill(-pid, SIGINT); // ^C: the whole job
            sent = true;
        }
    }
    close(pipefd[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    INFO(output);
    REQUIRE(sent);
    CHECK(WIFEXITED(st));
    CHECK(WEXITSTATUS(st) == 130);
    CHECK(output.find("interrupted; the source tree was not modified") != std::string::npos);
    CHECK(tree_checksum(tree) == before);
    // No half-built module and no leftover temporary tree.
    CHECK(fs::is_empty(w + "/tmp"));
}

TEST_CASE("with --sign-key the driver writes a bundle signify verifies", "[e2e][driver]") {
    std::string w = work_dir("e2e/signed");
    REQUIRE(run(patchgen() + " keygen -p " + w + "/k.pub -s " + w + "/k.sec").status == 0);
    auto r = run(driver(minikern() + "/patches/mq-send-msgsize-errno.diff", w,
                        "--sign-key " + w + "/k.sec --advisory FreeBSD-SA-26:01.test"));
    INFO(r.output);
    REQUIRE(r.status == 0);
    std::string b = w + "/mq_send_msgsize_errno.lpbundle";
    auto v = run(patchgen() + " verify " + b + " -p " + w + "/k.pub");
    INFO(v.output);
    CHECK(v.status == 0);
    // Independently: the signed checksum list and the module's digest.
    REQUIRE(run("mkdir -p " + w + "/x && tar -xf " + b + " -C " + w + "/x").status == 0);
    auto s = run("cd " + w + "/x && signify-openbsd -V -p ../k.pub -m SHA256 -x SHA256.sig");
    INFO(s.output);
    CHECK(s.status == 0);
    auto sum = run("cd " + w + "/x && sha256sum mq_send_msgsize_errno.ko");
    CHECK(read_text(w + "/x/SHA256").find(sum.output.substr(0, 64)) != std::string::npos);
    CHECK(read_text(w + "/x/manifest.json").find("FreeBSD-SA-26:01.test") != std::string::npos);
    // A different key does not verify it.
    REQUIRE(run(patchgen() + " keygen -p " + w + "/o.pub -s " + w + "/o.sec").status == 0);
    CHECK(run(patchgen() + " verify " + b + " -p " + w + "/o.pub").status == 5);
}

TEST_CASE("the running-kernel check refuses a kernel the original build does not reproduce",
          "[e2e][driver]") {
    std::string w = work_dir("e2e/kernel-file");
    std::string diff = minikern() + "/patches/mq-send-msgsize-errno.diff";
    auto first = run(driver(diff, w + "/a", "-q"));
    INFO(first.output);
    REQUIRE(first.status == 0);
    auto rep = nlohmann::json::parse(read_text(w + "/a/mq_send_msgsize_errno.json"));
    // The kernel.full of this original build (the cache may hold others).
    std::string kfull;
    for (const auto &e : fs::recursive_directory_iterator(shared_cache()))
        if (e.path().filename() == "kernel.full" &&
            module::KernelImage::load(e.path().string()).build_id == rep.at("target_build_id"))
            kfull = e.path().string();
    REQUIRE(fs::exists(kfull));

    // The very kernel: accepted.
    auto same = run(driver(diff, w + "/b", "--kernel-file " + shell_quote(kfull)));
    INFO(same.output);
    CHECK(same.status == 0);
    CHECK(same.output.find("(matches ") != std::string::npos);

    // Another build of it (one byte of its build-id changed): refused.
    fs::copy_file(kfull, w + "/other.kernel");
    std::string id = rep.at("target_build_id").get<std::string>();
    auto bytes = read_text(w + "/other.kernel");
    std::string raw;
    for (size_t i = 0; i + 1 < id.size(); i += 2)
        raw += char(std::stoi(id.substr(i, 2), nullptr, 16));
    size_t at = bytes.find(raw);
    REQUIRE(at != std::string::npos);
    bytes[at] = char(bytes[at] ^ 0xff);
    std::ofstream(w + "/other.kernel", std::ios::binary) << bytes;
    // Another build-id, the same code: the patch is for that kernel.
    auto other = run(driver(diff, w + "/c", "--kernel-file " + shell_quote(w + "/other.kernel")));
    INFO(other.output);
    CHECK(other.status == 0);
    CHECK(other.output.find("each replaced function is checked against it") != std::string::npos);
    auto crep = nlohmann::json::parse(read_text(w + "/c/mq_send_msgsize_errno.json"));
    CHECK(crep.at("target_build_id") == module::KernelImage::load(w + "/other.kernel").build_id);
    CHECK(crep.at("target_build_id") != rep.at("target_build_id"));
    CHECK(crep.at("original_build_id") == rep.at("target_build_id"));
}

TEST_CASE("check runs the source analysis only and refuses in seconds without a patched build",
          "[e2e][driver]") {
    std::string w = work_dir("e2e/check");
    std::string tree_before = tree_checksum(minikern());
    // A struct layout change: refused at source level, exit 2, nothing built.
    auto r = run(patchgen() + " check --src " +
                 shell_quote(minikern() + "/patches/netflt-stats-layout.diff") +
                 " --kernel GENERIC --srcdir " + shell_quote(minikern()) + " --cache " +
                 shell_quote(shared_cache()) + " --output " + shell_quote(w));
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find("[3/7] source analysis") != std::string::npos);
    CHECK(r.output.find("patched build") == std::string::npos);
    CHECK(r.output.find("struct nf_stats: changed struct definition") != std::string::npos);
    nlohmann::json rep = nlohmann::json::parse(read_text(w + "/netflt_stats_layout.json"));
    CHECK(rep.at("result") == "refused");
    REQUIRE(rep.at("preflight").size() == 1);
    CHECK(rep["preflight"][0].at("file") == "sys/net/netflt.h");
    // A plain fix passes: the touched function is named, exit 0, no module.
    auto ok = run(patchgen() + " check --src " +
                  shell_quote(minikern() + "/patches/mq-send-full-off-by-one.diff") +
                  " --kernel GENERIC --srcdir " + shell_quote(minikern()) + " --cache " +
                  shell_quote(shared_cache()) + " --output " + shell_quote(w));
    INFO(ok.output);
    CHECK(ok.status == 0);
    CHECK(ok.output.find("touched: function mq_send (sys/kern/kern_mq.c:") != std::string::npos);
    CHECK_FALSE(fs::exists(w + "/mq_send_full_off_by_one.ko"));
    nlohmann::json rep2 = nlohmann::json::parse(read_text(w + "/mq_send_full_off_by_one.json"));
    CHECK(rep2.at("result") == "ok");
    CHECK(rep2.at("preflight").empty());
    CHECK(tree_checksum(minikern()) == tree_before);
}

TEST_CASE("the driver's report reconciles every changed function with the source",
          "[e2e][driver]") {
    // A header inline: each changed caller carries the touched function.
    std::string w = work_dir("e2e/reconcile");
    auto r = run(driver(minikern() + "/patches/pkt-maxlen-inline.diff", w, "--strict"));
    INFO(r.output);
    REQUIRE(r.status == 0);
    nlohmann::json rep = nlohmann::json::parse(read_text(w + "/pkt_maxlen_inline.json"));
    const auto &rec = rep.at("reconciliation");
    CHECK(rec.at("summary").at("unexplained") == 0);
    CHECK(rec.at("summary").at("inlines-touched") == 3);
    std::set<std::string> carriers;
    for (const auto &o : rec.at("objects"))
        for (const auto &c : o.at("changed")) {
            CHECK(c.at("class") == "inlines-touched");
            CHECK(c.at("detail").get<std::string>().find("pkt_len_ok") != std::string::npos);
            carriers.insert(c.at("function").get<std::string>());
        }
    CHECK(carriers == std::set<std::string>{"ifr_enqueue", "nf_check", "fakenic_rx"});
    bool touched = false;
    for (const auto &t : rep.at("touched"))
        touched |= t.at("name") == "pkt_len_ok" && t.at("file") == "sys/net/pkt.h";
    CHECK(touched);
}

TEST_CASE("a binary change the fix does not explain is a warning and with --strict a refusal",
          "[e2e][driver]") {
    // The original build runs clean; the patched build runs in an
    // environment that makes the compiler optimise differently, as a
    // changed CFLAGS or compiler would: functions the fix does not touch
    // change too.
    std::string w = work_dir("e2e/strict");
    std::ofstream(w + "/envcc") << "#!/bin/sh\ncase \" $* \" in *\" -c \"*)\n"
                                   "  [ -n \"$FBSDLP_TEST_O1\" ] && set -- \"$@\" -O1;;\nesac\n"
                                   "exec clang \"$@\"\n";
    fs::permissions(w + "/envcc", fs::perms::owner_all);
    std::string base = patchgen() + " --src " + minikern() +
                       "/patches/mq-send-full-off-by-one.diff --kernel GENERIC --srcdir " +
                       shell_quote(minikern()) + " --cache " + shell_quote(w + "/cache") +
                       " --cc " + shell_quote(w + "/envcc") + " --output ";
    auto unexplained = [&](const std::string &dir) {
        auto rep = nlohmann::json::parse(read_text(dir + "/mq_send_full_off_by_one.json"));
        return rep.at("reconciliation").at("summary").at("unexplained").get<int>();
    };
    auto clean = run(base + shell_quote(w + "/clean") + " --strict");
    INFO(clean.output);
    REQUIRE(clean.status == 0);
    CHECK(unexplained(w + "/clean") == 0);

    auto warn = run("FBSDLP_TEST_O1=1 " + base + shell_quote(w + "/warn"));
    INFO(warn.output);
    CHECK(warn.status == 0);
    CHECK(warn.output.find("warning: kern_mq.o: ") != std::string::npos);
    CHECK(warn.output.find("the fix does not explain it") != std::string::npos);
    CHECK(unexplained(w + "/warn") > 0);

    auto strict = run("FBSDLP_TEST_O1=1 " + base + shell_quote(w + "/strict") + " --strict");
    INFO(strict.output);
    CHECK(strict.status == 2);
    CHECK(strict.output.find("unexplained binary change(s) with --strict") != std::string::npos);
    CHECK_FALSE(fs::exists(w + "/strict/mq_send_full_off_by_one.ko"));
    CHECK(unexplained(w + "/strict") > 0);
}

// The module glue is checked, not trusted: a stub that lost its
// MODULE_DEPEND, its DECLARE_MODULE or its call of livepatch_register, or
// that does not compile with the kernel's flags, gives no NAME.ko and a
// message naming what is missing.  Each stub is a copy of kmod-template
// whose patch/fbsdlp_patch.c wraps the real one.
TEST_CASE("a patch module without its kld glue is refused by name", "[e2e][driver][kld]") {
    std::string w = work_dir("e2e/kld-glue");
    std::string diff = minikern() + "/patches/mq-send-msgsize-errno.diff";
    std::string real = source_dir() + "/kmod-template/patch/fbsdlp_patch.c";
    const char *quiet = "#pragma clang diagnostic ignored \"-Wunused-variable\"\n"
                        "#pragma clang diagnostic ignored \"-Wunused-function\"\n";
    struct Variant {
        const char *name, *prologue, *message;
        int status;
    } variants[] = {
        {"nodep",
         "#include <sys/param.h>\n#include <sys/module.h>\n#undef MODULE_DEPEND\n"
         "#define MODULE_DEPEND(m, d, a, b, c) struct __hack\n",
         "no MODULE_DEPEND on livepatch", 2},
        {"nomodule",
         "#include <sys/param.h>\n#include <sys/module.h>\n#undef DECLARE_MODULE_TIED\n"
         "#define DECLARE_MODULE_TIED(n, d, s, o) struct __hack\n",
         "declares module 'mq_send_msgsize_errno' 0 times", 2},
        {"noregister", "#define livepatch_register livepatch_bogus\n",
         "undefined symbol 'livepatch_bogus' is not a global of", 2},
        {"broken", "#error this stub does not compile\n",
         "the module stub does not compile with the kernel's command", 1},
    };
    for (const auto &v : variants) {
        DYNAMIC_SECTION(v.name) {
            std::string kmod = w + "/kmod-" + v.name;
            fs::remove_all(kmod);
            fs::copy(source_dir() + "/kmod-template", kmod, fs::copy_options::recursive);
            std::ofstream(kmod + "/patch/fbsdlp_patch.c")
                << quiet << v.prologue << "#include \"" << real << "\"\n";
            std::string out = w + "/" + v.name;
            auto r = run("FBSDLP_KMOD_DIR=" + shell_quote(kmod) + " " + driver(diff, out, "-q"));
            INFO("driver (exit " << r.status << "):\n" << r.output);
            CHECK(r.status == v.status);
            CHECK(r.output.find(v.message) != std::string::npos);
            CHECK_FALSE(fs::exists(out + "/mq_send_msgsize_errno.ko"));
            CHECK_FALSE(fs::exists(out + "/mq_send_msgsize_errno.lpbundle"));
        }
    }
}

// A kernel whose code the rebuild with function sections does not
// reproduce is refused, the function named; never patched on a guess.
// Built with other flags (-fstack-protector-all: mq_send grows a canary),
// or one byte of mq_send's code different (as another source revision
// would give): the first differing byte is named.
TEST_CASE("a target kernel built with other flags is refused with the function named",
          "[e2e][driver][stock]") {
    std::string w = work_dir("e2e/stock-other-flags");
    std::string diff = minikern() + "/patches/mq-send-msgsize-errno.diff";
    std::string k = stock_kernel("ssp-all", "-fstack-protector-all");
    auto r = run(driver(diff, w, "-q --kernel-file " + shell_quote(k)));
    INFO("driver (exit " << r.status << "):\n" << r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find("function 'mq_send' (kern_mq.c): ") != std::string::npos);
    CHECK(r.output.find(" in the rebuild with function sections") != std::string::npos);
    CHECK_FALSE(fs::exists(w + "/mq_send_msgsize_errno.ko"));
    CHECK_FALSE(fs::exists(w + "/mq_send_msgsize_errno.lpbundle"));

    std::string plain = stock_kernel("plain", "");
    module::KernelImage img = module::KernelImage::load(plain);
    const module::ImageSymbol *s = img.lookup("mq_send", "kern_mq.c", 0);
    REQUIRE(s != nullptr);
    const uint8_t *code = img.code_at(s->value, 32);
    REQUIRE(code != nullptr);
    std::string bytes = read_text(plain), head(reinterpret_cast<const char *>(code), 32);
    size_t at = bytes.find(head);
    REQUIRE(at != std::string::npos);
    REQUIRE(bytes.find(head, at + 1) == std::string::npos);
    bytes[at + 0xf] = char(bytes[at + 0xf] ^ 0x01); // mov $22,%ebx becomes mov $23,%ebx
    std::ofstream(w + "/byte.kernel", std::ios::binary) << bytes;
    auto b = run(driver(diff, w + "/b", "-q --kernel-file " + shell_quote(w + "/byte.kernel")));
    INFO("driver (exit " << b.status << "):\n" << b.output);
    CHECK(b.status == 2);
    CHECK(b.output.find("function 'mq_send' (kern_mq.c): the code in") != std::string::npos);
    CHECK(b.output.find("first at +0xf") != std::string::npos);
    CHECK_FALSE(fs::exists(w + "/b/mq_send_msgsize_errno.ko"));

    // A kernel from another compiler: refused before anything is built,
    // with the compiler to use.
    std::string gk = w + "/gcc.kernel";
    fs::copy_file(k, gk, fs::copy_options::overwrite_existing);
    REQUIRE(run("objcopy --remove-section .comment --add-section .comment=/dev/stdin " +
                shell_quote(gk) + " <<'EOF'\nGCC: (Debian 12.2.0-14) 12.2.0\nEOF")
                .status == 0);
    auto g = run(driver(diff, w + "/g", "-q --kernel-file " + shell_quote(gk)));
    INFO("driver (exit " << g.status << "):\n" << g.output);
    CHECK(g.status == 1);
    CHECK(g.output.find("the target kernel was built by 'GCC: (Debian 12.2.0-14) 12.2.0'") !=
          std::string::npos);
}

// Names and paths are checked before anything is built; relative paths
// work (the builds run elsewhere); a run leaves one run's outputs, never a
// new report beside an old module.
TEST_CASE("names and paths are checked up front; outputs are never mixed", "[e2e][driver]") {
    std::string w = work_dir("e2e/upfront");
    std::string ok = minikern() + "/patches/mq-send-msgsize-errno.diff";
    std::string refused = minikern() + "/patches/netflt-stats-layout.diff";
    struct Bad {
        std::string out;
        const char *extra, *message;
    } bad[] = {
        {w + "/out", "--name ../evil", "a patch name is 1 to 64 letters, digits, '_' or '-'"},
        {w + "/out", "--sign-key /nonexistent/k.sec", "/nonexistent/k.sec: cannot be read"},
        {w + "/out", "--kernel-file /nonexistent/kernel", "/nonexistent/kernel: cannot be read"},
        {"/proc/no-such-dir", "", "the output directory cannot be written"},
    };
    for (const auto &b : bad) {
        auto r = run(driver(ok, b.out, b.extra));
        INFO(b.extra << " (exit " << r.status << "):\n" << r.output);
        CHECK(r.status == 1);
        CHECK(r.output.find(b.message) != std::string::npos);
        CHECK(r.output.find("[2/7]") == std::string::npos);
    }
    CHECK_FALSE(fs::exists(w + "/evil.ko"));
    CHECK_FALSE(fs::exists(w + "/evil.json"));
    auto missing = run(driver(w + "/no-such.diff", w + "/out"));
    CHECK(missing.status == 1);
    CHECK(missing.output.find("no such fix") != std::string::npos);

    // Relative --cache, --output and --src, from another directory.
    fs::create_directories(w + "/cwd");
    fs::copy_file(ok, w + "/cwd/fix.diff", fs::copy_options::overwrite_existing);
    auto rel = run("cd " + shell_quote(w + "/cwd") + " && " + patchgen() +
                   " --src fix.diff --kernel GENERIC --srcdir " + shell_quote(minikern()) +
                   " --cache rel/cache --output rel/out --name same -q");
    INFO("relative paths (exit " << rel.status << "):\n" << rel.output);
    REQUIRE(rel.status == 0);
    CHECK(fs::exists(w + "/cwd/rel/out/same.ko"));
    CHECK(fs::exists(w + "/cwd/rel/out/same.lpbundle"));
    CHECK(fs::exists(w + "/cwd/rel/cache"));

    // A refused run under the same name takes the old module and bundle away.
    auto r2 = run("cd " + shell_quote(w + "/cwd") + " && " + patchgen() + " --src " +
                  shell_quote(refused) + " --kernel GENERIC --srcdir " + shell_quote(minikern()) +
                  " --cache rel/cache --output rel/out --name same -q");
    INFO("refused (exit " << r2.status << "):\n" << r2.output);
    CHECK(r2.status == 2);
    CHECK(nlohmann::json::parse(read_text(w + "/cwd/rel/out/same.json")).at("result") == "refused");
    CHECK_FALSE(fs::exists(w + "/cwd/rel/out/same.ko"));
    CHECK_FALSE(fs::exists(w + "/cwd/rel/out/same.lpbundle"));
}

// check is the source analysis: when the scanner cannot run it fails, never
// "ok".  The driver warns (the binary diff still runs), and with --strict
// fails as well.
TEST_CASE("check never says ok when the source analysis could not run", "[e2e][driver]") {
    std::string w = work_dir("e2e/no-scanner");
    std::string env = "FBSDLP_CLANG_SCAN=/nonexistent/fbsdlp-clang-scan ";
    std::string refused = minikern() + "/patches/netflt-stats-layout.diff";
    auto c = run(env + patchgen() + " check --src " + shell_quote(refused) +
                 " --kernel GENERIC --srcdir " + shell_quote(minikern()) + " --cache " +
                 shell_quote(shared_cache()) + " --output " + shell_quote(w + "/c"));
    INFO("check (exit " << c.status << "):\n" << c.output);
    CHECK(c.status == 1);
    CHECK(c.output.find("the source analysis failed for") != std::string::npos);
    CHECK(c.output.find("nothing in the fix a live patch cannot carry") == std::string::npos);

    std::string ok = minikern() + "/patches/mq-send-msgsize-errno.diff";
    auto d = run(env + driver(ok, w + "/d"));
    INFO("driver (exit " << d.status << "):\n" << d.output);
    CHECK(d.status == 0);
    CHECK(d.output.find("this patch rests on the binary diff alone") != std::string::npos);
    auto s = run(env + driver(ok, w + "/s", "--strict"));
    INFO("driver --strict (exit " << s.status << "):\n" << s.output);
    CHECK(s.status == 1);
    CHECK_FALSE(fs::exists(w + "/s/mq_send_msgsize_errno.ko"));
}

// The original-build cache can be listed and pruned; an entry in use is
// never removed.
TEST_CASE("cache list shows the original builds and prune removes them", "[e2e][driver]") {
    std::string w = work_dir("e2e/cache");
    std::string cache = w + "/cache";
    fs::remove_all(cache);
    auto empty = run(patchgen() + " cache list --cache " + shell_quote(cache));
    CHECK(empty.status == 0);
    CHECK(empty.output.find("0 entries") != std::string::npos);
    std::string ok = minikern() + "/patches/mq-send-msgsize-errno.diff";
    auto d = run(patchgen() + " --src " + shell_quote(ok) + " --kernel GENERIC --srcdir " +
                 shell_quote(minikern()) + " --cache " + shell_quote(cache) + " --output " +
                 shell_quote(w + "/out"));
    INFO(d.output);
    REQUIRE(d.status == 0);
    // A build says where its log is before it starts (the count it shows
    // on a terminal is not printed here, stdout being a pipe).
    CHECK(d.output.find("building the original kernel (log: " + cache + "/") != std::string::npos);
    CHECK(d.output.find("units compiled") == std::string::npos);
    auto l = run(patchgen() + " cache list --cache " + shell_quote(cache));
    INFO(l.output);
    CHECK(l.status == 0);
    CHECK(l.output.find(minikern() + " GENERIC, ") != std::string::npos);
    CHECK(l.output.find("1 entry in " + cache) != std::string::npos);
    CHECK(l.output.find("clang version") != std::string::npos);
    // Recently used: kept by the default age; taken by --all, except while
    // a build holds its lock.
    auto keep = run(patchgen() + " cache prune --cache " + shell_quote(cache));
    CHECK(keep.output.find("0 entries removed") != std::string::npos);
    std::string entry = l.output.substr(0, l.output.find('\n'));
    auto busy = run("flock " + shell_quote(entry + ".lock") + " " + patchgen() +
                    " cache prune --all --cache " + shell_quote(cache));
    INFO(busy.output);
    CHECK(busy.output.find("0 entries removed") != std::string::npos);
    CHECK(fs::exists(entry));
    auto all = run(patchgen() + " cache prune --all --cache " + shell_quote(cache));
    INFO(all.output);
    CHECK(all.status == 0);
    CHECK(all.output.find("removed " + entry) != std::string::npos);
    CHECK_FALSE(fs::exists(entry));
    CHECK(run(patchgen() + " cache frobnicate").status == 1);
}

// --json puts the report alone on standard output, quiet or not: the
// progress goes to standard error.
TEST_CASE("the report on stdout with --json is one JSON document", "[e2e][driver]") {
    std::string w = work_dir("e2e/json-stdout");
    for (const char *extra : {"--json", "--json -q"}) {
        std::string ok = minikern() + "/patches/mq-send-msgsize-errno.diff";
        // The harness adds 2>&1 after the command: drop stderr inside.
        auto r = run("{ " + driver(ok, w, extra) + " 2>/dev/null; }");
        INFO(extra << " (exit " << r.status << "):\n" << r.output);
        REQUIRE(r.status == 0);
        nlohmann::json j;
        REQUIRE_NOTHROW(j = nlohmann::json::parse(r.output));
        CHECK(j.at("result") == "patch");
        auto c = run("{ " + patchgen() + " check --src " + shell_quote(ok) +
                     " --kernel GENERIC --srcdir " + shell_quote(minikern()) + " --cache " +
                     shell_quote(shared_cache()) + " --output " + shell_quote(w) + " " + extra +
                     " 2>/dev/null; }");
        INFO("check " << extra << ":\n" << c.output);
        REQUIRE_NOTHROW(j = nlohmann::json::parse(c.output));
        CHECK(j.at("result") == "ok");
    }
}

// fbsd-patchgen bundle signs what the manifest says: a patch module, for
// the manifest's name, build-id and __FreeBSD_version.
TEST_CASE("bundle refuses a module that is not the one its manifest names", "[e2e][driver]") {
    std::string w = work_dir("e2e/bundle-check");
    auto d = run(driver(minikern() + "/patches/mq-send-msgsize-errno.diff", w, "-q"));
    INFO(d.output);
    REQUIRE(d.status == 0);
    std::string ko = w + "/mq_send_msgsize_errno.ko";
    auto rep = nlohmann::json::parse(read_text(w + "/mq_send_msgsize_errno.json"));
    std::string id = rep.at("target_build_id");
    auto bundle = [&](const std::string &module, const std::string &name, const std::string &bid,
                      const std::string &extra = "") {
        return run(patchgen() + " bundle --module " + shell_quote(module) + " --name " + name +
                   " --build-id " + bid + " --freebsd-version 1500000 --kernconf GENERIC -q -o " +
                   shell_quote(w + "/b.lpbundle") + " " + extra);
    };
    CHECK(bundle(ko, "mq_send_msgsize_errno", id).status == 0);
    auto name = bundle(ko, "other_name", id);
    CHECK(name.status == 1);
    CHECK(name.output.find("the module is patch 'mq_send_msgsize_errno', the manifest says "
                           "'other_name'") != std::string::npos);
    std::string other = id;
    other[0] = other[0] == '0' ? '1' : '0';
    auto bid = bundle(ko, "mq_send_msgsize_errno", other);
    CHECK(bid.status == 1);
    CHECK(bid.output.find("the module is built for build-id " + id + ", the manifest says " +
                          other) != std::string::npos);
    auto ver = run(patchgen() + " bundle --module " + shell_quote(ko) +
                   " --name mq_send_msgsize_errno --build-id " + id +
                   " --freebsd-version 1400000 --kernconf GENERIC -q -o " +
                   shell_quote(w + "/b.lpbundle"));
    CHECK(ver.status == 1);
    CHECK(ver.output.find("__FreeBSD_version 1500000, the manifest says 1400000") !=
          std::string::npos);
    std::ofstream(w + "/plain.c") << "int plain(void) { return 1; }\n";
    REQUIRE(
        run("cc -c -o " + shell_quote(w + "/plain.o") + " " + shell_quote(w + "/plain.c")).status ==
        0);
    auto plain = bundle(w + "/plain.o", "plain", id);
    CHECK(plain.status == 1);
    CHECK(plain.output.find("not a live-patch object or module") != std::string::npos);
    CHECK(bundle(w + "/plain.o", "plain", id, "--unchecked").status == 0);
}

// Issue 12 finding 2: without DWARF (a kernel built without -g) the diff
// cannot see a changed struct layout that unpatched code uses, so the
// driver refuses to run unless --allow-no-layout-checks says so; with it,
// the patch is made, with one warning, and the report says the checks
// were skipped.  The kernel is the fixture kernel with -g0 after its -g.
TEST_CASE("the driver refuses objects without DWARF unless --allow-no-layout-checks",
          "[e2e][driver][dwarf]") {
    std::string w = work_dir("e2e/no-layout-checks");
    std::string diff = minikern() + "/patches/mq-send-msgsize-errno.diff";
    std::string base =
        patchgen() + " --src " + shell_quote(diff) + " --kernel GENERIC --srcdir " +
        shell_quote(minikern()) + " --cache " +
        shell_quote((fs::current_path() / "test-cache" / "minikern-g0").string()) + " --make-var " +
        shell_quote("CONF_CFLAGS=-ffunction-sections -fdata-sections -g0") + " --output ";
    auto refused = run(base + shell_quote(w + "/refused"));
    INFO("driver (exit " << refused.status << "):\n" << refused.output);
    CHECK(refused.status == 1);
    CHECK(refused.output.find("kern_mq.o: no type-layout checks: the original object has no "
                              "DWARF") != std::string::npos);
    CHECK(refused.output.find("--allow-no-layout-checks") != std::string::npos);
    CHECK_FALSE(fs::exists(w + "/refused/mq_send_msgsize_errno.ko"));
    CHECK_FALSE(fs::exists(w + "/refused/mq_send_msgsize_errno.lpbundle"));

    auto allowed = run(base + shell_quote(w + "/allowed") + " --allow-no-layout-checks");
    INFO("driver (exit " << allowed.status << "):\n" << allowed.output);
    CHECK(allowed.status == 0);
    size_t warn = allowed.output.find("warning: kern_mq.o: the original object has no DWARF");
    CHECK(warn != std::string::npos);
    CHECK(allowed.output.find("type-layout checks skipped", warn) != std::string::npos);
    CHECK(fs::exists(w + "/allowed/mq_send_msgsize_errno.ko"));
    std::string rep = read_text(w + "/allowed/mq_send_msgsize_errno.json");
    CHECK(rep.find("\"layout_checked\": false") != std::string::npos);

    // The same fix on the kernel built with -g runs without the option.
    auto checked = run(driver(diff, w + "/checked", "-q"));
    INFO("driver (exit " << checked.status << "):\n" << checked.output);
    CHECK(checked.status == 0);
    CHECK(checked.output.find("type-layout checks skipped") == std::string::npos);
}

// A kernel installed without its symbols, with them in a separate
// kernel.debug (objcopy --only-keep-debug, as FreeBSD installs
// /usr/lib/debug/boot/kernel/kernel.debug): the symbols come from the debug
// file, whose build-id must be the kernel's.
TEST_CASE("a stripped kernel is patched with its kernel.debug", "[e2e][driver][stock]") {
    std::string w = work_dir("e2e/kernel-debug");
    std::string diff = minikern() + "/patches/mq-send-msgsize-errno.diff";
    std::string k = stock_kernel("plain", "");
    std::string stripped = w + "/kernel", dbg = w + "/kernel.debug";
    REQUIRE(run("objcopy --only-keep-debug " + shell_quote(k) + " " + shell_quote(dbg)).status ==
            0);
    REQUIRE(run("objcopy --strip-all " + shell_quote(k) + " " + shell_quote(stripped)).status == 0);
    CHECK(run("readelf -S " + shell_quote(stripped) + " | grep -c symtab").output.find('0') == 0);

    auto alone = run(driver(diff, w + "/a", "-q --kernel-file " + shell_quote(stripped)));
    INFO("stripped, no --kernel-debug (exit " << alone.status << "):\n" << alone.output);
    CHECK(alone.status == 1);
    CHECK(alone.output.find("has no symbol table") != std::string::npos);
    CHECK(alone.output.find("--kernel-debug") != std::string::npos);

    auto ok = run(driver(diff, w + "/b",
                         "-q --kernel-file " + shell_quote(stripped) + " --kernel-debug " +
                             shell_quote(dbg)));
    INFO("with --kernel-debug (exit " << ok.status << "):\n" << ok.output);
    REQUIRE(ok.status == 0);
    auto rep = nlohmann::json::parse(read_text(w + "/b/mq_send_msgsize_errno.json"));
    CHECK(rep.at("target_build_id") == module::KernelImage::load(k).build_id);

    std::string other_dbg = w + "/other.debug";
    REQUIRE(run("objcopy --only-keep-debug " +
                shell_quote(stock_kernel("ssp-all", "-fstack-protector-all")) + " " +
                shell_quote(other_dbg))
                .status == 0);
    auto wrong = run(driver(diff, w + "/c",
                            "-q --kernel-file " + shell_quote(stripped) + " --kernel-debug " +
                                shell_quote(other_dbg)));
    INFO("another kernel's debug file (exit " << wrong.status << "):\n" << wrong.output);
    CHECK(wrong.status == 1);
    CHECK(wrong.output.find("is not the kernel's") != std::string::npos);
}
