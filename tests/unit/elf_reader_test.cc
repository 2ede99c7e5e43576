// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The ELF reader against readelf, on a real object built with the kernel flags.

#include "harness.h"

#include "fbsdlp/elf/object.h"

#include <catch2/catch.hpp>
#include <elf.h>
#include <fstream>
#include <sstream>

using namespace fbsdlp;
using namespace fbsdlp::test;

static std::string build_sample(const std::string &compiler) {
    std::string w = work_dir("unit/reader-" + compiler);
    std::ofstream(w + "/s.c")
        << "#include <sys/param.h>\n#include <sys/systm.h>\n"
           "static int counter;\nint total;\n"
           "static int bump(int x) { counter += x; return counter; }\n"
           "int api(int x) { if (x > 3) printf(\"big %d\\n\", x); total++; return bump(x); }\n";
    auto r = compile_kernel_c(compiler, w + "/s.c", w + "/o", "sample");
    INFO(r.output);
    REQUIRE(r.status == 0);
    return w + "/o/sample.o";
}

TEST_CASE("reader agrees with readelf on symbols and relocations", "[elf]") {
    for (const char *cc : {"clang", "gcc"}) {
        DYNAMIC_SECTION(cc) {
            std::string path = build_sample(cc);
            elf::ObjectFile obj = elf::ObjectFile::load(path);

            // Every named function/object symbol readelf lists, we have too.
            auto syms = run("readelf -sW " + path);
            std::istringstream in(syms.output);
            std::string line;
            size_t listed = 0;
            while (std::getline(in, line)) {
                std::istringstream ls(line);
                std::string num, value, size, type, bind, vis, ndx, name;
                if (!(ls >> num >> value >> size >> type >> bind >> vis >> ndx >> name))
                    continue;
                if (type != "FUNC" && type != "OBJECT")
                    continue;
                listed++;
                bool found = false;
                for (const auto &s : obj.symbols())
                    found |= s.name == name && s.size == std::stoull(size) &&
                             s.local() == (bind == "LOCAL");
                INFO(name);
                CHECK(found);
            }
            CHECK(listed >= 3); // api, total, counter (bump is inlined)

            // Relocation counts per section.
            auto rel = run("readelf -rW " + path);
            size_t total_readelf = 0;
            std::istringstream rin(rel.output);
            while (std::getline(rin, line))
                total_readelf += line.find("R_X86_64_") != std::string::npos;
            size_t total_ours = 0;
            for (const auto &s : obj.sections())
                total_ours += obj.relocs(s.index).size();
            CHECK(total_ours == total_readelf);
            CHECK(obj.source_file() == "sample.c");

            // Section contents are the file's bytes.
            for (const auto &s : obj.sections())
                if (s.name == ".text.api") {
                    CHECK(s.exec());
                    CHECK(s.data.size() == s.size);
                }
        }
    }
}
