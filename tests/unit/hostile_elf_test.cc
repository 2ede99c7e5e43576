// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Hostile input: every malformed object must end in fbsdlp::Error with a
// clear message, never a crash (these tests also run under ASan+UBSan).

#include "harness.h"

#include "fbsdlp/diff/diff.h"
#include "fbsdlp/elf/object.h"
#include "fbsdlp/util/error.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <elf.h>
#include <fstream>
#include <random>
#include <sys/stat.h>
#include <thread>

using namespace fbsdlp;
using namespace fbsdlp::test;

namespace {

std::vector<uint8_t> read_bytes(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const std::vector<uint8_t> &sample_object() {
    static std::vector<uint8_t> bytes =
        [] {
            std::string w = work_dir("unit/hostile");
            std::ofstream(w + "/h.c")
                << "#include <sys/param.h>\n#include <sys/systm.h>\n"
                   "static int state[4];\nconst char *names[] = {\"a\", \"b\"};\n"
                   "static int step(int i) { return state[i & 3]++; }\n"
                   "int run(int n) { switch (n) { case 0: return step(1); case 1: "
                   "return step(2); case 2: return 7; case 3: return 9; case 4: return "
                   "step(3); default: printf(\"%s\\n\", names[n & 1]); return -1; } }\n";
            auto r = compile_kernel_c("clang", w + "/h.c", w + "/o", "hostile");
            REQUIRE(r.status == 0);
            return read_bytes(w + "/o/hostile.o");
        }();
    return bytes;
}

std::string error_of(std::vector<uint8_t> bytes) {
    try {
        elf::ObjectFile::parse("bad.o", std::move(bytes));
    } catch (const Error &e) {
        return e.what();
    }
    return {};
}

Elf64_Ehdr ehdr(const std::vector<uint8_t> &b) {
    Elf64_Ehdr h;
    std::memcpy(&h, b.data(), sizeof h);
    return h;
}

Elf64_Shdr *shdr(std::vector<uint8_t> &b, size_t i) {
    return reinterpret_cast<Elf64_Shdr *>(b.data() + ehdr(b).e_shoff + i * sizeof(Elf64_Shdr));
}

size_t find_section(std::vector<uint8_t> &b, uint32_t type) {
    for (size_t i = 0; i < ehdr(b).e_shnum; i++)
        if (shdr(b, i)->sh_type == type)
            return i;
    FAIL("no section of type " << type);
    return 0;
}

} // namespace

TEST_CASE("non-ELF, empty and wrong-kind files are refused clearly", "[hostile]") {
    CHECK(error_of({}).find("not an ELF file") != std::string::npos);
    std::string text = "int main() { return 0; }\n";
    CHECK(error_of({text.begin(), text.end()}).find("not an ELF file") != std::string::npos);

    auto b = sample_object();
    b[EI_CLASS] = ELFCLASS32;
    CHECK(error_of(b).find("64-bit") != std::string::npos);

    b = sample_object();
    uint16_t machine = EM_AARCH64;
    std::memcpy(b.data() + offsetof(Elf64_Ehdr, e_machine), &machine, 2);
    CHECK(error_of(b).find("another machine") != std::string::npos);

    b = sample_object();
    uint16_t type = ET_EXEC;
    std::memcpy(b.data() + offsetof(Elf64_Ehdr, e_type), &type, 2);
    CHECK(error_of(b).find("not a relocatable object") != std::string::npos);
}

TEST_CASE("every truncation is refused", "[hostile]") {
    const auto &full = sample_object();
    for (size_t n = 0; n < full.size(); n += std::max<size_t>(1, full.size() / 300)) {
        std::vector<uint8_t> b(full.begin(), full.begin() + n);
        INFO("truncated to " << n << " of " << full.size() << " bytes");
        CHECK_FALSE(error_of(b).empty());
    }
}

TEST_CASE("a truncated object says where its section headers should be", "[hostile]") {
    const auto &full = sample_object();
    Elf64_Ehdr h = ehdr(full);
    // Cut inside the section header table (compilers write it last).
    std::vector<uint8_t> b(full.begin(), full.begin() + h.e_shoff + 10);
    std::string e = error_of(b);
    INFO(e);
    CHECK(e.find("section header table at offset " + std::to_string(h.e_shoff)) !=
          std::string::npos);
    CHECK(e.find("past the end of the file (" + std::to_string(b.size()) + " bytes)") !=
          std::string::npos);
    CHECK(e.find("no sections") == std::string::npos);
    b.assign(full.begin(), full.begin() + h.e_shoff - 1);
    CHECK(error_of(b).find("lies past the end of the file") != std::string::npos);
}

TEST_CASE("directories, FIFOs and devices are clear errors with bounded reads", "[hostile]") {
    std::string w = work_dir("unit/hostile-files");
    auto load_error = [](const std::string &path) {
        try {
            elf::ObjectFile::load(path);
        } catch (const Error &e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(load_error(w).find("is a directory") != std::string::npos);
    // /dev/zero: stops after the identification bytes.
    CHECK(load_error("/dev/zero").find("not an ELF file") != std::string::npos);
    // A FIFO fed a valid object is read like the file.
    std::string fifo = w + "/fifo";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] {
        std::ofstream out(fifo, std::ios::binary);
        const auto &obj = sample_object();
        out.write(reinterpret_cast<const char *>(obj.data()), std::streamsize(obj.size()));
    });
    std::string e = load_error(fifo);
    writer.join();
    CHECK(e.empty());
    CHECK(load_error(w + "/missing.o").find("cannot open") != std::string::npos);
}

TEST_CASE("corrupt indexes and flags name the problem", "[hostile]") {
    SECTION("relocation with an out-of-range symbol index") {
        auto b = sample_object();
        auto *rs = shdr(b, find_section(b, SHT_RELA));
        auto *r = reinterpret_cast<Elf64_Rela *>(b.data() + rs->sh_offset);
        r->r_info = ELF64_R_INFO(0xfffffu, ELF64_R_TYPE(r->r_info));
        CHECK(error_of(b).find("invalid symbol index") != std::string::npos);
    }
    SECTION("relocation outside its section") {
        auto b = sample_object();
        auto *rs = shdr(b, find_section(b, SHT_RELA));
        reinterpret_cast<Elf64_Rela *>(b.data() + rs->sh_offset)->r_offset = 1u << 30;
        CHECK(error_of(b).find("lies outside") != std::string::npos);
    }
    SECTION("section data past the end of the file") {
        auto b = sample_object();
        shdr(b, 1)->sh_offset = b.size() + 100;
        shdr(b, 1)->sh_type = SHT_PROGBITS;
        CHECK(error_of(b).find("outside the file") != std::string::npos);
    }
    SECTION("code section without SHF_EXECINSTR") {
        auto b = sample_object();
        auto e = ehdr(b);
        const char *names =
            reinterpret_cast<const char *>(b.data() + shdr(b, e.e_shstrndx)->sh_offset);
        for (size_t i = 0; i < e.e_shnum; i++)
            if (std::strcmp(names + shdr(b, i)->sh_name, ".text.run") == 0)
                shdr(b, i)->sh_flags &= ~uint64_t(SHF_EXECINSTR);
        CHECK(error_of(b).find("SHF_EXECINSTR") != std::string::npos);
    }
    SECTION("symbol name offset out of range") {
        auto b = sample_object();
        auto *ss = shdr(b, find_section(b, SHT_SYMTAB));
        reinterpret_cast<Elf64_Sym *>(b.data() + ss->sh_offset)[2].st_name = 0x7fffffff;
        CHECK(error_of(b).find("name offset out of range") != std::string::npos);
    }
    SECTION("no symbol table") {
        auto b = sample_object();
        shdr(b, find_section(b, SHT_SYMTAB))->sh_type = SHT_PROGBITS;
        CHECK(error_of(b).find("symbol table") != std::string::npos);
    }
}

TEST_CASE("random corruption never crashes the reader or the diff", "[hostile]") {
    const auto &full = sample_object();
    elf::ObjectFile good = elf::ObjectFile::parse("good.o", full);
    std::mt19937 rng(20261124);
    auto e = ehdr(full);
    size_t accepted = 0, refused = 0;
    for (int round = 0; round < 600; round++) {
        std::vector<uint8_t> b = full;
        int flips = 1 + int(rng() % 4);
        for (int k = 0; k < flips; k++) {
            // Aim at the structural parts: headers, section headers, and the
            // symbol and relocation tables near the end of the file.
            size_t pos;
            switch (rng() % 3) {
            case 0: pos = rng() % sizeof(Elf64_Ehdr); break;
            case 1: pos = e.e_shoff + rng() % (size_t(e.e_shnum) * sizeof(Elf64_Shdr)); break;
            default: pos = rng() % b.size(); break;
            }
            b[pos] ^= uint8_t(1u << (rng() % 8));
        }
        try {
            elf::ObjectFile bad = elf::ObjectFile::parse("bad.o", std::move(b));
            accepted++;
            // The diff must also cope, in both directions.
            for (int dir = 0; dir < 2; dir++) {
                try {
                    diff::Result r =
                        dir ? diff::diff_objects(good, bad, {}) : diff::diff_objects(bad, good, {});
                    (void)r;
                } catch (const Error &) {
                }
            }
        } catch (const Error &err) {
            refused++;
            CHECK(std::string(err.what()).size() > 10);
        }
    }
    CHECK(refused > 0);
    INFO(accepted << " accepted, " << refused << " refused");
    SUCCEED();
}

TEST_CASE("the CLI reports bad input in one line with exit 1", "[hostile][cli]") {
    std::string w = work_dir("unit/cli-bad");
    std::ofstream(w + "/not-elf.o") << "hello\n";
    auto r = run(patchgen() + " diff " + w + "/not-elf.o " + w + "/not-elf.o -o " + w + "/out.o");
    CHECK(r.status == 1);
    CHECK(r.output.rfind("fbsd-patchgen: error: ", 0) == 0);
    CHECK(r.output.find("not an ELF file") != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);

    auto missing = run(patchgen() + " diff " + w + "/nope.o " + w + "/nope.o");
    CHECK(missing.status == 1);
    CHECK(missing.output.find("cannot open") != std::string::npos);

    auto usage = run(patchgen() + " diff only-one.o");
    CHECK(usage.status == 1);
    auto unknown = run(patchgen() + " frobnicate");
    CHECK(unknown.status == 1);
}

TEST_CASE("objects with more than 65280 sections (SHN_XINDEX) diff correctly", "[elf]") {
    // 40,000 functions, each in its own section with its own relocation
    // section: more sections than st_shndx can hold, as in a large kernel
    // object built with -ffunction-sections.
    std::string w = work_dir("unit/xindex");
    auto gen = [&](const std::string &name, bool change) {
        std::ofstream s(w + "/" + name + ".s");
        s << ".file \"big.c\"\n";
        for (int i = 0; i < 40000; i++)
            s << ".section .text.f" << i << ",\"ax\",@progbits\n.globl f" << i << "\n.type f" << i
              << ",@function\nf" << i << ":\ncall g\n"
              << (change && i == 39999 ? "nop\n" : "") << "ret\n.size f" << i << ",.-f" << i
              << "\n";
        s.close();
        auto r = run("clang -c --target=x86_64-unknown-freebsd " + w + "/" + name + ".s -o " + w +
                     "/" + name + ".o");
        INFO(r.output);
        REQUIRE(r.status == 0);
        return elf::ObjectFile::load(w + "/" + name + ".o");
    };
    elf::ObjectFile a = gen("a", false), b = gen("b", true);
    REQUIRE(a.sections().size() > 65280);
    // The highest functions sit in sections numbered past SHN_LORESERVE.
    size_t high = 0;
    for (const auto &s : b.symbols())
        high += s.is_func() && s.defined() && s.shndx >= SHN_LORESERVE;
    CHECK(high > 1000);
    diff::Result same = diff::diff_objects(a, a, {});
    CHECK(same.no_change());
    diff::Result r = diff::diff_objects(a, b, {});
    REQUIRE(r.changed_functions.size() == 1);
    CHECK(r.changed_functions[0].name == "f39999");
}
