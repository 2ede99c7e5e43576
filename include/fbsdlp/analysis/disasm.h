// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// x86-64 instruction decoding and printing (AT&T syntax, FreeBSD's default)
// through the LLVM MC disassembler.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

namespace fbsdlp::analysis {

// What a relocation field of an instruction refers to, for printing: the
// target's name and the addend to show (for PC-relative fields already
// corrected by the distance to the instruction's end, so that
// "call foo" shows no "-4").  Called with the field's offset in the code;
// returns false when no relocation applies there.
using SymbolLookup = std::function<bool(uint64_t field_off, std::string &name, int64_t &addend)>;

// Decoded facts about one instruction.
struct InsnInfo {
    unsigned length = 0; // 0: does not decode
    bool nop = false;    // nop, nopw, nopl (any length)
    bool call = false;
    bool branch = false; // jmp or jcc
};

// Length of the instruction at code[off] for the common general-purpose
// and x87 encodings of 64-bit code, from the opcode maps alone; 0 for
// anything else (VEX, EVEX, 3DNow!, invalid opcodes, a truncated
// instruction), which Disassembler::length leaves to LLVM.  It does not
// validate: a byte sequence LLVM rejects may get a length here.
unsigned fast_insn_length(std::span<const uint8_t> code, uint64_t off);

class Disassembler {
  public:
    Disassembler();
    ~Disassembler();
    Disassembler(const Disassembler &) = delete;
    Disassembler &operator=(const Disassembler &) = delete;

    // Length of the instruction at code[off], or 0 if it does not decode.
    unsigned length(std::span<const uint8_t> code, uint64_t off) const;
    // The same, always from LLVM's decoder (tests compare the two).
    unsigned llvm_length(std::span<const uint8_t> code, uint64_t off) const;
    // Its text, e.g. "movl $0x5, %eax"; empty when it does not decode.
    std::string text(std::span<const uint8_t> code, uint64_t off, unsigned *len = nullptr) const;
    // The same with operands covered by a relocation printed symbolically,
    // e.g. "callq foo" or "movq bar(%rip), %rax" instead of a placeholder 0.
    std::string text(std::span<const uint8_t> code, uint64_t off, unsigned *len,
                     const SymbolLookup &lookup) const;
    InsnInfo info(std::span<const uint8_t> code, uint64_t off) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace fbsdlp::analysis
