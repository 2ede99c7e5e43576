// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The LLVM MC disassembler as the diff engine uses it: AT&T text with
// relocation operands named, and the decoded facts the trampoline-site
// checks rely on (length, nop, call, branch); the first changed instruction
// as `fbsd-patchgen diff --show-first-changed` prints it.

#include "harness.h"

#include "fbsdlp/analysis/disasm.h"

#include <catch2/catch.hpp>
#include <cstdio>
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
