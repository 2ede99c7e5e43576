// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Builds a new x86-64 ET_REL object from scratch: sections, symbols and
// RELA relocations are added by handle; write() orders the symbol table
// (null, locals, globals) as ELF requires and lays the file out.
#pragma once

#include "fbsdlp/util/bytes.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fbsdlp::elf {

class ObjectWriter {
  public:
    using SectionId = uint32_t; // index in the output section header table
    using SymbolId = uint32_t;  // handle, not the final index

    ObjectWriter();

    SectionId add_section(std::string name, uint32_t type, uint64_t flags, uint64_t align,
                          Bytes data, uint64_t entsize = 0);
    // For SHT_NOBITS.
    SectionId add_nobits(std::string name, uint64_t flags, uint64_t align, uint64_t size);
    Bytes &data(SectionId s) { return sections_.at(s).data; }
    uint64_t size(SectionId s) const;

    SymbolId add_symbol(std::string name, uint8_t type, uint8_t bind, SectionId shndx,
                        uint64_t value, uint64_t size, uint8_t other = 0);
    SymbolId add_undefined(const std::string &name); // deduplicated by name
    SymbolId section_symbol(SectionId s);            // created on first use

    void add_reloc(SectionId target, uint64_t offset, uint32_t type, SymbolId sym, int64_t addend);

    Bytes write(const std::string &file_symbol);

  private:
    struct Sec {
        std::string name;
        uint32_t type;
        uint64_t flags, align, entsize, nobits_size;
        Bytes data;
        struct R {
            uint64_t offset;
            uint32_t type;
            SymbolId sym;
            int64_t addend;
        };
        std::vector<R> relocs;
        SymbolId secsym = ~0u;
    };
    struct Sym {
        std::string name;
        uint8_t type, bind, other;
        SectionId shndx;
        uint64_t value, size;
    };
    std::vector<Sec> sections_;
    std::vector<Sym> symbols_;
    std::vector<std::pair<std::string, SymbolId>> undef_;
};

} // namespace fbsdlp::elf
