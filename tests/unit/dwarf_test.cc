// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The DWARF pass (docs/layout-checks.md): what the reader finds agrees with
// llvm-dwarfdump, objects without DWARF warn once, and corrupt DWARF ends in
// a clear error or a result, never a crash (also under ASan+UBSan).

#include "harness.h"

#include "fbsdlp/analysis/dwarf.h"
#include "fbsdlp/diff/diff.h"
#include "fbsdlp/elf/object.h"
#include "fbsdlp/util/error.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <random>

using namespace fbsdlp;
using namespace fbsdlp::test;

namespace {

const char *kSource = "#include <sys/param.h>\n#include <sys/systm.h>\n"
                      "struct foo_sc { int a; unsigned b : 3; unsigned c : 5; long d; "
                      "union { int i; char s[6]; } u; };\n"
                      "enum foo_st { FOO_A = -1, FOO_B = 7 };\n"
                      "struct foo_sc foo_sc0;\nenum foo_st foo_state;\n"
                      "static __inline int foo_get(void) { return foo_sc0.a + foo_state; }\n"
                      "int foo_read(void) { static int ncalls; ncalls++; "
                      "return foo_get() + foo_sc0.u.s[1]; }\n";

std::string compile(const std::string &cc, const std::string &extra = {}) {
    std::string w = work_dir("unit/dwarf-" + cc + (extra.empty() ? "" : "-nog"));
    std::ofstream(w + "/d.c") << kSource;
    auto r = compile_kernel_c(cc, w + "/d.c", w + "/o", "dwarfsample", extra);
    INFO(r.output);
    REQUIRE(r.status == 0);
    return w + "/o/dwarfsample.o";
}

} // namespace

TEST_CASE("the DWARF reader agrees with llvm-dwarfdump", "[dwarf]") {
    for (const char *cc : {"clang", "gcc"})
        for (const char *ver : {"", " -gdwarf-5"}) {
            INFO(cc << ver);
            std::string path = compile(cc, ver);
            auto d = analysis::read_dwarf(elf::ObjectFile::load(path));
            REQUIRE(d);
            CHECK(d->version == (*ver ? 5u : 4u));
            const auto &t = d->types.at("struct foo_sc");
            CHECK(t.size == 24);
            REQUIRE(t.members.size() == 5);
            CHECK(t.members[0].name == "a");
            CHECK(t.members[3].name == "d");
            CHECK(t.members[3].offset == 8);
            CHECK(t.members[2].bit_size == 5);
            CHECK(t.members[4].type == "union foo_sc.u");
            CHECK(d->types.at("union foo_sc.u").size == 8);
            const auto &e = d->types.at("enum foo_st");
            REQUIRE(e.enumerators.size() == 2);
            CHECK(e.enumerators[1].second == 7);
            CHECK(d->variables.at("foo_sc0").type == "struct foo_sc");
            CHECK(d->variables.at("foo_read::ncalls").size == 4);
            CHECK(d->used_types.count("enum foo_st"));
            // The independent tool sees the same member offset.
            auto dump = run("llvm-dwarfdump-14 --debug-info " + shell_quote(path));
            CHECK(dump.output.find("DW_AT_data_member_location\t(0x08)") != std::string::npos);
            // foo_read inlines foo_get, found by its ELF address.
            elf::ObjectFile obj = elf::ObjectFile::load(path);
            bool inlined = false;
            for (const auto &[at, f] : d->functions)
                if (f.name == "foo_read")
                    for (const auto &ch : f.chains)
                        inlined |= ch == std::vector<std::string>{"foo_get"};
            CHECK(inlined);
        }
}

TEST_CASE("objects without DWARF skip the layout checks with one warning", "[dwarf][cli]") {
    std::string a = compile("clang", " -g0");
    auto r = run(patchgen() + " diff " + shell_quote(a) + " " + shell_quote(a) + " --json -");
    CHECK(r.status == 3);
    CHECK(r.output.find("\"layout_checked\": false") != std::string::npos);
    size_t first = r.output.find("warning:");
    REQUIRE(first != std::string::npos);
    CHECK(r.output.find("type-layout checks skipped") != std::string::npos);
    CHECK(r.output.find("warning:", first + 1) == std::string::npos);
}

TEST_CASE("diff without DWARF checks (--no-dwarf) says that they did not run", "[dwarf][cli]") {
    // A member inserted in the middle of a struct that unchanged code uses:
    // refused with the checks, accepted without them - but never silently.
    std::string w = work_dir("unit/no-dwarf");
    std::ofstream(w + "/a.c") << "#include <sys/param.h>\n#include <sys/systm.h>\n"
                                 "struct foo_sc { int a; long b; } foo_sc0;\n"
                                 "long foo_get(void) { return foo_sc0.b; }\n"
                                 "int foo_set(int v) { foo_sc0.a = v; return 0; }\n";
    std::ofstream(w + "/b.c") << "#include <sys/param.h>\n#include <sys/systm.h>\n"
                                 "struct foo_sc { int a; int flags; long b; } foo_sc0;\n"
                                 "long foo_get(void) { return foo_sc0.b; }\n"
                                 "int foo_set(int v) { foo_sc0.a = v; foo_sc0.flags = 1; "
                                 "return 0; }\n";
    REQUIRE(compile_kernel_c("clang", w + "/a.c", w + "/o", "lay").status == 0);
    REQUIRE(compile_kernel_c("clang", w + "/b.c", w + "/p", "lay").status == 0);
    std::string args = " diff " + shell_quote(w + "/o/lay.o") + " " + shell_quote(w + "/p/lay.o") +
                       " -o " + shell_quote(w + "/out.o");
    auto with = run(patchgen() + args + " --json " + shell_quote(w + "/with.json"));
    CHECK(with.status == 2);
    auto without = run(patchgen() + args + " --no-dwarf --json " + shell_quote(w + "/r.json"));
    INFO(without.output);
    CHECK(without.status == 0);
    CHECK(without.output.find("warning:") != std::string::npos);
    CHECK(without.output.find("--no-dwarf") != std::string::npos);
    std::string rep = read_text(w + "/r.json");
    CHECK(rep.find("\"layout_checked\": false") != std::string::npos);
    CHECK(rep.find("\"layout_skipped\": \"type-layout checks skipped (--no-dwarf)") !=
          std::string::npos);
}

TEST_CASE("corrupt DWARF is an error or a result, never a crash", "[dwarf][hostile]") {
    // Both compilers, DWARF 4 and 5: LLVM's parser (dwarf_reader.cc) read
    // past its sections on mutated GCC and DWARF 5 line tables and DIEs
    // until the reader checked their bounds first.
    std::mt19937 rng(20261125);
    for (const char *cc : {"clang", "gcc"})
        for (const char *ver : {"", " -gdwarf-5"}) {
            INFO(cc << ver);
            std::string path = compile(cc, ver);
            std::ifstream in(path, std::ios::binary);
            std::vector<uint8_t> full{std::istreambuf_iterator<char>(in), {}};
            elf::ObjectFile good = elf::ObjectFile::parse("good.o", full);
            // File ranges of the .debug_* sections, found by their content.
            std::vector<std::pair<size_t, size_t>> debug;
            for (const auto &s : good.sections()) {
                if (!s.name.starts_with(".debug_") || s.data.size() < 16)
                    continue;
                auto it = std::search(full.begin(), full.end(), s.data.begin(), s.data.end());
                if (it != full.end())
                    debug.emplace_back(size_t(it - full.begin()), s.data.size());
            }
            REQUIRE(debug.size() >= 3);
            size_t errors = 0, results = 0;
            for (int round = 0; round < 300; round++) {
                std::vector<uint8_t> b = full;
                for (int k = 0, n = 1 + int(rng() % 6); k < n; k++) {
                    auto [off, len] = debug[rng() % debug.size()];
                    if (rng() % 3 == 0)
                        b[off + rng() % len] = uint8_t(rng());
                    else
                        b[off + rng() % len] ^= uint8_t(1u << (rng() % 8));
                }
                try {
                    elf::ObjectFile bad = elf::ObjectFile::parse("bad.o", std::move(b));
                    diff::Result r = diff::diff_objects(good, bad, {});
                    results++;
                } catch (const Error &e) {
                    errors++;
                    CHECK(std::string(e.what()).size() > 10);
                }
            }
            INFO(results << " results, " << errors << " errors");
            CHECK(results + errors == 300);
        }
}
