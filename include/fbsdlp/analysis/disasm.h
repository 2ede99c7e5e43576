// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// x86-64 instruction decoding and printing (AT&T syntax, FreeBSD's default)
// through the LLVM MC disassembler.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace fbsdlp::analysis {

class Disassembler {
  public:
    Disassembler();
    ~Disassembler();
    Disassembler(const Disassembler &) = delete;
    Disassembler &operator=(const Disassembler &) = delete;

    // Length of the instruction at code[off], or 0 if it does not decode.
    unsigned length(std::span<const uint8_t> code, uint64_t off) const;
    // Its text, e.g. "movl $0x5, %eax"; empty when it does not decode.
    std::string text(std::span<const uint8_t> code, uint64_t off, unsigned *len = nullptr) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace fbsdlp::analysis
