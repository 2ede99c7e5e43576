// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The LLVM MC disassembler as the diff engine uses it: AT&T text with
// relocation operands named, and the decoded facts the trampoline-site
// checks rely on (length, nop, call, branch); the first changed instruction
// as `fbsd-patchgen diff --show-first-changed` prints it.

#include "harness.h"

#include "fbsdlp/analysis/disasm.h"
#include "fbsdlp/elf/object.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <elf.h>
#include <fstream>
#include <map>
#include <vector>

using fbsdlp::analysis::Disassembler;
using fbsdlp::analysis::SymbolLookup;

namespace {

// Relocations by field offset: name and addend to show.
SymbolLookup table(std::map<uint64_t, std::pair<std::string, int64_t>> t) {
    return [t](uint64_t field, std::string &name, int64_t &addend) {
        auto it = t.find(field);
        if (it == t.end())
            return false;
        name = it->second.first;
        addend = it->second.second;
        return true;
    };
}

} // namespace

TEST_CASE("relocation operands are printed as their targets", "[disasm]") {
    Disassembler d;
    // 0: callq <rel32 at 1>; 5: movq disp32(%rip), %rax (field at 8);
    // 12: movq $imm32, %rdi (field at 15, R_X86_64_32S); 19: ret
    std::vector<uint8_t> code{0xe8, 0, 0,    0,    0,    0x48, 0x8b, 0x05, 0, 0,
                              0,    0, 0x48, 0xc7, 0xc7, 0,    0,    0,    0, 0xc3};
    auto syms = table({{1, {"foo_lookup", 0}}, {8, {"foo_list", 0}}, {15, {".rodata.str1.1", 21}}});
    unsigned len = 0;
    CHECK(d.text(code, 0, &len, syms) == "callq foo_lookup");
    CHECK(len == 5);
    CHECK(d.text(code, 5, &len, syms) == "movq foo_list(%rip), %rax");
    CHECK(len == 7);
    CHECK(d.text(code, 12, &len, syms) == "movq $.rodata.str1.1+21, %rdi");
    // Without a relocation the placeholder shows, as before.
    CHECK(d.text(code, 5) == "movq (%rip), %rax");
    CHECK(d.text(code, 19) == "retq");
}

TEST_CASE("decoded facts: length, nop, call, branch", "[disasm]") {
    Disassembler d;
    std::vector<uint8_t> code{0x66, 0x0f, 0x1f, 0x04, 0x00, // nopw (%rax,%rax,1): SDT site
                              0x90,                         // nop
                              0xe8, 0,    0,    0,    0,    // callq
                              0xe9, 0,    0,    0,    0,    // jmp
                              0x31, 0xc0,                   // xorl %eax, %eax
                              0x0f, 0x0b};                  // ud2 (truncated below)
    auto n = d.info(code, 0);
    CHECK(n.length == 5);
    CHECK(n.nop);
    CHECK_FALSE(n.call);
    CHECK(d.info(code, 5).nop);
    CHECK(d.info(code, 5).length == 1);
    CHECK(d.info(code, 6).call);
    CHECK(d.info(code, 11).branch);
    CHECK_FALSE(d.info(code, 11).call);
    auto x = d.info(code, 16);
    CHECK(x.length == 2);
    CHECK_FALSE(x.nop);
    CHECK_FALSE(x.branch);
    // A cut-off instruction does not decode.
    std::vector<uint8_t> cut{0xe8, 0, 0};
    CHECK(d.info(cut, 0).length == 0);
    CHECK(d.info(cut, 7).length == 0);
}

TEST_CASE("the first changed instruction prints a GOT load as @GOTPCREL", "[disasm][cli]") {
    // Hand-written objects: the first change is a load through the GOT (as
    // clang's stack-protector guard load on FreeBSD) replacing a plain load.
    using namespace fbsdlp::test;
    std::string w = work_dir("unit/first-change-got");
    const char *body = "\t.section .text.foo_get,\"ax\",@progbits\n\t.globl foo_get\n"
                       "\t.type foo_get,@function\nfoo_get:\n\tpushq %%rbp\n\tmovq %%rsp, %%rbp\n"
                       "\tmovq %s(%%rip), %%rax\n\tmovq (%%rax), %%rax\n\tpopq %%rbp\n\tretq\n"
                       "\t.size foo_get, .-foo_get\n";
    char a[512], b[512];
    snprintf(a, sizeof a, body, "foo_guard");
    snprintf(b, sizeof b, body, "__stack_chk_guard@GOTPCREL");
    for (auto [name, text] : {std::pair{"o", a}, std::pair{"p", b}}) {
        std::ofstream(w + "/" + name + ".s") << text;
        auto r =
            run("clang --target=x86_64-unknown-freebsd -c " + shell_quote(w + "/" + name + ".s") +
                " -o " + shell_quote(w + "/" + name + ".o"));
        INFO(r.output);
        REQUIRE(r.status == 0);
    }
    auto r = run(patchgen() + " diff " + shell_quote(w + "/o.o") + " " + shell_quote(w + "/p.o") +
                 " --show-first-changed");
    INFO(r.output);
    CHECK(r.output.find("- movq foo_guard(%rip), %rax") != std::string::npos);
    CHECK(r.output.find("+ movq __stack_chk_guard@GOTPCREL(%rip), %rax") != std::string::npos);
}

// The table-driven length decoder (fast_insn_length) must agree with
// LLVM's wherever both decode: on every instruction of compiled kernel
// code (both compilers), and on random byte strings, which reach the odd
// corners of the opcode maps.  Where it declines (0), LLVM decodes.
TEST_CASE("the fast instruction length agrees with LLVM's", "[disasm]") {
    fbsdlp::analysis::Disassembler dis;
    size_t compared = 0, fast = 0;
    auto check = [&](std::span<const uint8_t> code, uint64_t off) {
        unsigned f = fbsdlp::analysis::fast_insn_length(code, off);
        unsigned l = dis.llvm_length(code, off);
        compared++;
        if (f && l) {
            fast++;
            if (f != l) {
                std::string hex;
                for (uint64_t k = off; k < code.size() && k < off + 15; k++) {
                    char b[4];
                    snprintf(b, sizeof b, "%02x ", code[k]);
                    hex += b;
                }
                FAIL("length " << f << ", LLVM " << l << ": " << hex);
            }
        }
        return l;
    };
    for (const char *cc : {"clang", "gcc"}) {
        std::string w = fbsdlp::test::work_dir(std::string("unit/fastlen-") + cc);
        for (const char *c : {"sdt-probe-use", "cswtch-renumber", "static-local-inline",
                              "cold-function-change", "ifunc-caller-change", "counter-gs"}) {
            std::string src = fbsdlp::test::source_dir() + "/tests/cases/" + c + "/patched.c";
            if (!std::ifstream(src))
                continue;
            auto r = fbsdlp::test::compile_kernel_c(cc, src, w + "/" + c, "f");
            INFO(r.output);
            REQUIRE(r.status == 0);
            fbsdlp::elf::ObjectFile o = fbsdlp::elf::ObjectFile::load(w + "/" + c + "/f.o");
            for (const auto &s : o.sections())
                if ((s.flags & SHF_EXECINSTR) && !s.nobits())
                    for (uint64_t off = 0; off < s.data.size();) {
                        unsigned n = check(s.data, off);
                        if (!n)
                            break;
                        off += n;
                    }
        }
    }
    uint64_t x = 0x9e3779b97f4a7c15ull;
    std::vector<uint8_t> buf(16);
    for (int i = 0; i < 200000; i++) {
        for (auto &b : buf) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            b = uint8_t(x);
        }
        // Bias towards the prefixes and escapes that shape a length.
        static const uint8_t lead[] = {0x66, 0x67, 0x48, 0x0f, 0xf3, 0x41, 0xf0, 0x64};
        if (buf[15] & 1)
            buf[0] = lead[buf[14] & 7];
        check(std::span<const uint8_t>(buf.data(), 15), 0);
    }
    INFO(compared << " compared, " << fast << " decoded by both");
    CHECK(fast > compared / 2);
}
