// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Every directory under tests/cases is one regression case (see
// tests/cases/README.md).  ctest runs each case as its own test, selected by
// FBSDLP_CASE; without it, all cases run.

#include "harness.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

using namespace fbsdlp::test;
namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::set<std::string> names(const nlohmann::json &list) {
    std::set<std::string> s;
    for (const auto &f : list)
        s.insert(f.at("name").get<std::string>());
    return s;
}

// Output object checks with independent tools.
void check_output_object(const std::string &w, const std::string &out, const Expect &e,
                         size_t nchanged) {
    // The FreeBSD module build links patch objects with `ld -r`.
    auto ld = run("ld.lld -r " + shell_quote(out) + " -o " + shell_quote(w + "/linked.o"));
    INFO("ld.lld -r: " << ld.output);
    CHECK(ld.status == 0);

    // readelf must find nothing to complain about.
    auto ra = run("readelf -aW " + shell_quote(out) + " >/dev/null");
    INFO("readelf -a: " << ra.output);
    CHECK(ra.status == 0);
    CHECK(ra.output.find("arning") == std::string::npos);
    CHECK(ra.output.find("rror") == std::string::npos);

    // Only the relocation types the FreeBSD amd64 kernel linker accepts.
    auto rr = run("readelf -rW " + shell_quote(out));
    std::istringstream in(rr.output);
    std::string line;
    while (std::getline(in, line)) {
        auto at = line.find("R_X86_64_");
        if (at == std::string::npos)
            continue;
        std::string type = line.substr(at, line.find(' ', at) - at);
        INFO("relocation: " << line);
        CHECK((type == "R_X86_64_64" || type == "R_X86_64_PC32" || type == "R_X86_64_PLT32" ||
               type == "R_X86_64_32S"));
    }

    // One function record (64 bytes) per replaced function.
    auto rs = run("readelf -SW " + shell_quote(out));
    size_t records = 0;
    std::istringstream sin(rs.output);
    while (std::getline(sin, line)) {
        std::istringstream ls(line.substr(line.find(']') + 1));
        std::string name, type, addr, off, size;
        ls >> name >> type >> addr >> off >> size;
        if (name == "set_fbsdlp_funcs")
            records = std::stoul(size, nullptr, 16) / 64;
    }
    CHECK(records == nchanged);

    // Statics become livepatch relocation records naming them.
    auto strings = run("readelf -p .fbsdlp.strings " + shell_quote(out));
    for (const auto &sym : e.local_reloc) {
        INFO("expected a livepatch relocation for " << sym << "; strings: " << strings.output);
        CHECK(strings.output.find("]  " + sym + "\n") != std::string::npos);
    }
    // Kernel globals stay undefined for the kernel linker.
    auto syms = run("readelf -sW " + shell_quote(out));
    for (const auto &sym : e.undef) {
        bool found = false;
        std::istringstream s2(syms.output);
        while (std::getline(s2, line))
            if (line.find(" UND " + sym) != std::string::npos &&
                line.size() == line.find(" UND " + sym) + 5 + sym.size())
                found = true;
        INFO("expected undefined symbol " << sym << "\n" << syms.output);
        CHECK(found);
    }
}

// Offsets of the SDT probe sites (struct sdt_tracepoint.patchpoint, the
// second pointer of each 32-byte record) in function fn, read with readelf
// from the relocations of set_sdt_tracepoint_set.
std::vector<uint64_t> sdt_patchpoints(const std::string &obj, const std::string &fn) {
    auto rr = run("readelf -rW " + shell_quote(obj));
    std::vector<uint64_t> out;
    std::istringstream in(rr.output);
    std::string line;
    bool in_set = false;
    while (std::getline(in, line)) {
        if (line.rfind("Relocation section", 0) == 0) {
            in_set = line.find("set_sdt_tracepoint_set'") != std::string::npos;
            continue;
        }
        if (!in_set)
            continue;
        std::istringstream ls(line);
        std::string off, info, type, value, sym, plus, addend;
        if (!(ls >> off >> info >> type >> value >> sym >> plus >> addend) || plus != "+")
            continue;
        if (std::stoull(off, nullptr, 16) % 32 == 8 && sym == ".text." + fn)
            out.push_back(std::stoull(addend, nullptr, 16));
    }
    return out;
}

// Each probe site's 5 bytes lie inside a mask of fn's function record, as
// fbsd-patchgen inspect decodes it from the output object.
void check_sdt_masked(const std::string &orig, const std::string &out, const std::string &fn) {
    auto pps = sdt_patchpoints(orig, fn);
    INFO("SDT probe sites of " << fn);
    REQUIRE_FALSE(pps.empty());
    auto r = run(patchgen() + " inspect --json " + shell_quote(out));
    INFO("inspect: " << r.output);
    REQUIRE(r.status == 0);
    auto j = nlohmann::json::parse(r.output);
    bool seen = false;
    for (const auto &f : j.at("functions")) {
        if (f.at("old_name") != fn)
            continue;
        seen = true;
        for (uint64_t pp : pps) {
            bool covered = false;
            for (const auto &m : f.at("masks")) {
                uint64_t o = m.at("offset"), l = m.at("len");
                covered |= o <= pp && pp + 5 <= o + l;
            }
            INFO("probe site at +" << pp << " masked");
            CHECK(covered);
        }
    }
    CHECK(seen);
}

void check_case(const std::string &name, const std::string &cc) {
    Expect e = load_expect(name, cc);
    std::string src = source_dir() + "/tests/cases/" + name;
    std::string w = work_dir("cases/" + name + "/" + cc);
    auto a = compile_kernel_c(cc, src + "/orig.c", w + "/orig", name, e.cflags);
    INFO("compile orig.c: " << a.output);
    REQUIRE(a.status == 0);
    auto b = compile_kernel_c(cc, src + "/patched.c", w + "/patched", name, e.cflags);
    INFO("compile patched.c: " << b.output);
    REQUIRE(b.status == 0);

    std::string out = w + "/out.o", json = w + "/report.json";
    auto r = run(patchgen() + " diff " + shell_quote(w + "/orig/" + name + ".o") + " " +
                 shell_quote(w + "/patched/" + name + ".o") + " -o " + shell_quote(out) +
                 " --json " + shell_quote(json) + " --show-first-changed");
    INFO("fbsd-patchgen diff (exit " << r.status << "):\n" << r.output);
    REQUIRE((r.status == 0 || r.status == 2 || r.status == 3));
    nlohmann::json rep = nlohmann::json::parse(read_text(json));
    REQUIRE(rep.at("tool") == "fbsd-patchgen");
    const auto &obj = rep.at("objects").at(0);
    // The cases are built with -g: the DWARF checks must have run.
    CHECK(obj.at("layout_checked") == true);
    for (const auto &want : e.notes) {
        bool found = false;
        for (const auto &n : obj.at("notes"))
            found |= lower(n.get<std::string>()).find(lower(want)) != std::string::npos;
        INFO("expected a note matching '" << want << "'; notes: " << obj.at("notes").dump());
        CHECK(found);
    }

    if (!e.refuse.empty()) {
        CHECK(r.status == 2);
        CHECK_FALSE(fs::exists(out));
        for (const auto &want : e.refuse) {
            bool found = false;
            for (const auto &x : obj.at("refusals")) {
                std::string all = x.at("symbol").get<std::string>() + " " +
                                  x.at("section").get<std::string>() + " " +
                                  x.at("reason").get<std::string>();
                found |= lower(all).find(lower(want)) != std::string::npos;
                CHECK_FALSE(x.at("hint").get<std::string>().empty());
            }
            INFO("expected a refusal matching '" << want << "'");
            CHECK(found);
        }
        return;
    }
    if (e.nochange) {
        CHECK(r.status == 3);
        CHECK(obj.at("changed_functions").empty());
        CHECK(obj.at("new_functions").empty());
        return;
    }
    REQUIRE(r.status == 0);
    auto changed = names(obj.at("changed_functions"));
    auto added = names(obj.at("new_functions"));
    if (e.has_changed)
        CHECK(changed == e.changed);
    CHECK(added == e.added);
    if (e.has_new_data) {
        auto nd = obj.at("new_data").get<std::set<std::string>>();
        INFO("new data: " << obj.at("new_data").dump());
        CHECK(nd == e.new_data);
    }
    for (const auto &f : obj.at("changed_functions"))
        CHECK(f.contains("first_change"));
    for (const auto &want : e.notes) {
        bool found = false;
        for (const auto &n : obj.at("notes"))
            found |= lower(n.get<std::string>()).find(lower(want)) != std::string::npos;
        INFO("expected a note containing '" << want << "'");
        CHECK(found);
    }
    for (const auto &[fn, texts] : e.first_change) {
        bool seen = false;
        for (const auto &f : obj.at("changed_functions")) {
            if (f.at("name") != fn)
                continue;
            seen = true;
            std::string o = f.at("first_change").at("orig"), p = f.at("first_change").at("patched");
            INFO("first change of " << fn << ": '" << o << "' -> '" << p << "'");
            CHECK(o.find(texts.first) != std::string::npos);
            CHECK(p.find(texts.second) != std::string::npos);
        }
        CHECK(seen);
    }
    // Explanations and inline chains, for changed and new functions.
    std::map<std::string, nlohmann::json> fns;
    for (const char *list : {"changed_functions", "new_functions"})
        for (const auto &f : obj.at(list))
            fns[f.at("name").get<std::string>()] = f;
    for (const auto &[fn, texts] : e.why)
        for (const auto &t : texts) {
            INFO("expected " << fn << "'s why to contain '" << t << "'");
            REQUIRE(fns.count(fn));
            INFO("why: " << fns[fn].at("why"));
            CHECK(lower(fns[fn].at("why").get<std::string>()).find(lower(t)) != std::string::npos);
        }
    for (const auto &[fn, callees] : e.inlines) {
        INFO("expected " << fn << " to inline " << callees.size() << " functions");
        REQUIRE(fns.count(fn));
        auto got = fns[fn].at("inlines").get<std::set<std::string>>();
        for (const auto &c : callees) {
            INFO(fn << " inlines " << fns[fn].at("inlines").dump() << ", expected " << c);
            CHECK(got.count(c));
        }
    }
    check_output_object(w, out, e, changed.size());
    for (const auto &fn : e.sdt_masked)
        check_sdt_masked(w + "/orig/" + name + ".o", out, fn);
}

} // namespace

TEST_CASE("regression cases", "[cases]") {
    const char *only = std::getenv("FBSDLP_CASE");
    for (const auto &name : list_cases()) {
        if (only && name != only)
            continue;
        for (const auto &cc : case_compilers(name))
            DYNAMIC_SECTION(name << " (" << cc << ")") { check_case(name, cc); }
    }
}
