// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Source-level regression cases (tests/source/<case>): orig.c and
// patched.c, the fix made from them by diff -u, both compiled by clang with
// the kernel's flags as recorded compile commands, both parsed by the
// libclang scanner with those commands, the objects diffed by the diff
// engine, and the touched definitions, the preflight refusals and the
// reconciliation compared with the case's expect file.

#include "harness.h"

#include "fbsdlp/diff/diff.h"
#include "fbsdlp/elf/object.h"
#include "fbsdlp/source/source.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace fbsdlp;
using namespace fbsdlp::test;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::vector<std::string>> read_case_expect(const std::string &path) {
    std::map<std::string, std::vector<std::string>> e;
    std::istringstream in(read_text(path));
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#')
            continue;
        auto colon = line.find(':');
        REQUIRE(colon != std::string::npos);
        std::string key = line.substr(0, colon), rest = line.substr(colon + 1);
        rest.erase(0, rest.find_first_not_of(" \t"));
        if (key == "refuse" || key == "detail") {
            e[key].push_back(rest);
            continue;
        }
        auto &v = e[key];
        std::istringstream ws(rest);
        for (std::string w; ws >> w;)
            v.push_back(w);
    }
    return e;
}

std::vector<std::string> kernel_flags() {
    std::string flags = read_text(source_dir() + "/tests/cases/flags-clang.txt");
    std::vector<std::string> out;
    std::istringstream ws(flags);
    for (std::string w; ws >> w;) {
        for (size_t at; (at = w.find("@TESTS@")) != std::string::npos;)
            w.replace(at, 7, source_dir() + "/tests");
        out.push_back(w);
    }
    return out;
}

// A compile command as the original build's recorder would log it.
kbuild::CompileCommand command(const std::string &dir, const std::vector<std::string> &extra) {
    kbuild::CompileCommand c;
    c.cwd = dir;
    c.argv = {"clang"};
    for (const auto &f : kernel_flags())
        c.argv.push_back(f);
    c.argv.insert(c.argv.end(), extra.begin(), extra.end());
    c.argv.insert(c.argv.end(), {"sys/x.c", "-o", "x.o"});
    c.source = dir + "/sys/x.c";
    c.output = dir + "/x.o";
    return c;
}

std::set<std::string> as_set(const std::vector<std::string> &v) { return {v.begin(), v.end()}; }

} // namespace

TEST_CASE("source-level regression case", "[source]") {
    const char *name = std::getenv("FBSDLP_SOURCE_CASE");
    if (!name)
        return; // run by ctest, one case per test (tests/CMakeLists.txt)
    std::string dir = source_dir() + "/tests/source/" + name;
    auto e = read_case_expect(dir + "/expect");
    std::string w = work_dir(std::string("source/") + name);
    std::string orig_tree = w + "/orig", patched_tree = w + "/patched";
    fs::create_directories(orig_tree + "/sys");
    fs::create_directories(patched_tree + "/sys");
    fs::copy_file(dir + "/orig.c", orig_tree + "/sys/x.c");

    // The fix, as an author would make it.
    auto d = run("cd " + shell_quote(dir) +
                 " && diff -u --label a/sys/x.c --label b/sys/x.c orig.c patched.c");
    REQUIRE(d.status == 1);
    srcpatch::SourcePatch sp = srcpatch::parse_unified_diff(d.output, "fix.diff");
    REQUIRE(sp.files.size() == 1);
    const srcpatch::FilePatch &fp = sp.files[0];
    std::string orig_text = read_text(orig_tree + "/sys/x.c");
    // The patched build compiles the #line version; the scanner gets the
    // plain patched text, as the driver does.
    std::ofstream(patched_tree + "/sys/x.c") << srcpatch::apply_file_patch(orig_text, fp, true);
    std::string plain = w + "/x.patched.c";
    std::ofstream(plain) << srcpatch::apply_file_patch(orig_text, fp, false);

    std::vector<std::string> pflags = e["patched-flags"];
    kbuild::CompileCommand oc = command(orig_tree, {}), pc = command(patched_tree, pflags);
    std::string scanner = source::find_scanner(patchgen());
    std::string file = orig_tree + "/sys/x.c";
    source::UnitScan os, ps;
    if (pflags.empty()) {
        // As the driver parses: one job, the patched parse reusing the
        // original's precompiled preamble.
        source::ScanJob job{oc, {file}, {}, {{file, plain}}, true};
        auto r = source::scan_units(scanner, {job}, 1, w);
        os = r.at(0).first;
        ps = r.at(0).second;
    } else {
        os = source::scan_unit(scanner, oc, {file}, {}, w);
        // Parsed with the patched build's own command (its -D flags too).
        kbuild::CompileCommand pscan = command(orig_tree, pflags);
        ps = source::scan_unit(scanner, pscan, {file}, {{file, plain}}, w);
    }
    INFO("scanner errors: " << (os.errors.empty() ? "" : os.errors[0])
                            << (ps.errors.empty() ? "" : ps.errors[0]));
    REQUIRE(os.ok);
    REQUIRE(ps.ok);
    CHECK(os.errors.empty());
    CHECK(ps.errors.empty());

    auto touched = source::touched_definitions(fp, file, os, ps);
    auto findings = source::preflight(fp, file, touched, os, ps);
    std::string fsum;
    for (const auto &f : findings)
        fsum += f.symbol + " " + f.reason + "\n";
    INFO("findings:\n" << fsum);
    if (e.count("refuse")) {
        for (const auto &want : e["refuse"]) {
            INFO("expected a refusal matching '" << want << "'");
            CHECK(fsum.find(want) != std::string::npos);
        }
        return;
    }
    CHECK(findings.empty());
    std::set<std::string> tnames;
    for (const auto &t : touched)
        if (t.tokens_changed)
            tnames.insert(t.name);
    CHECK(tnames == as_set(e["touched"]));

    // The two real builds and the diff engine.
    for (const auto *c : {&oc, &pc}) {
        std::string cmd = "cd " + shell_quote(c->cwd) + " &&";
        for (const auto &a : c->argv)
            cmd += " " + shell_quote(a);
        auto r = run(cmd);
        INFO(r.output);
        REQUIRE(r.status == 0);
    }
    elf::ObjectFile a = elf::ObjectFile::load(oc.output), b = elf::ObjectFile::load(pc.output);
    diff::Result res = diff::diff_objects(a, b, {});
    source::BinaryObject bin;
    bin.object = "x.o";
    for (const auto *fl : {&res.changed_functions, &res.new_functions})
        for (const auto &f : *fl)
            bin.changed.push_back(f.name);
    for (const auto &s : b.symbols())
        if (s.is_func() && s.defined())
            bin.out_of_line.insert(std::string(s.name));
    auto rec = source::reconcile(bin, touched, ps);
    std::set<std::string> binary, src;
    std::string details;
    for (const auto &x : rec.changed) {
        binary.insert(x.function + "=" + x.cls);
        details += x.detail + "\n";
    }
    for (const auto &x : rec.touched) {
        src.insert(x.function + "=" + x.cls);
        details += x.detail + "\n";
    }
    INFO("details:\n" << details);
    CHECK(binary == as_set(e["binary"]));
    CHECK(src == as_set(e["source"]));
    for (const auto &want : e["detail"]) {
        INFO("expected a detail matching '" << want << "'");
        CHECK(details.find(want) != std::string::npos);
    }
}

TEST_CASE("a unit the scanner cannot parse is a clear error, never a crash", "[source-scan]") {
    std::string w = work_dir("source/bad-unit");
    std::string scanner = source::find_scanner(patchgen());
    kbuild::CompileCommand c;
    c.cwd = w;
    c.argv = {"clang", "-c", "missing.c", "-o", "missing.o"};
    c.source = w + "/missing.c";
    c.output = w + "/missing.o";
    source::UnitScan u = source::scan_unit(scanner, c, {c.source}, {}, w);
    CHECK_FALSE(u.ok);
    REQUIRE_FALSE(u.errors.empty());
    CHECK(u.errors[0].find("missing.c") != std::string::npos);
    // A unit with a syntax error parses, with the error reported.
    std::ofstream(w + "/broken.c") << "int f(void) { return 1 }\nint g(void) { return 2; }\n";
    c.source = w + "/broken.c";
    c.argv = {"clang", "-c", "broken.c"};
    source::UnitScan b = source::scan_unit(scanner, c, {c.source}, {}, w);
    CHECK(b.ok);
    REQUIRE_FALSE(b.errors.empty());
    CHECK(b.errors[0].find("expected ';'") != std::string::npos);
    // No scanner at all: every unit says so.
    source::UnitScan n = source::scan_unit(w + "/no-such-scanner", c, {c.source}, {}, w);
    CHECK_FALSE(n.ok);
    REQUIRE_FALSE(n.errors.empty());
    CHECK(n.errors[0].find("scanner") != std::string::npos);
}
