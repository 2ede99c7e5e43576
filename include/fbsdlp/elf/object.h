// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// A read-only model of one x86-64 ET_REL object: sections, symbols and the
// relocations that apply to each section, all indexed by their ELF index.
// Everything the file supplies (offsets, sizes, indexes, string offsets) is
// validated once, here, so that later stages can index without checks.
#pragma once

#include "fbsdlp/util/bytes.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fbsdlp::elf {

struct Section {
    uint32_t index = 0;
    std::string_view name;
    uint32_t type = 0;
    uint64_t flags = 0;
    uint64_t size = 0;
    uint64_t addralign = 0;
    uint64_t entsize = 0;
    uint32_t link = 0;
    uint32_t info = 0;
    std::span<const uint8_t> data; // empty for SHT_NOBITS

    bool alloc() const;
    bool exec() const;
    bool write() const;
    bool nobits() const;
    bool merge_strings() const;
};

struct Symbol {
    uint32_t index = 0;
    std::string_view name;
    uint8_t type = 0; // STT_*
    uint8_t bind = 0; // STB_*
    uint8_t other = 0;
    uint32_t shndx = 0;     // resolved through SHT_SYMTAB_SHNDX
    uint16_t raw_shndx = 0; // st_shndx as in the file (SHN_UNDEF, SHN_ABS, ...)
    uint64_t value = 0;
    uint64_t size = 0;

    bool defined() const; // in a real section of this object
    bool local() const { return bind == 0; }
    bool is_func() const;   // STT_FUNC or STT_GNU_IFUNC
    bool is_object() const; // STT_OBJECT or STT_TLS
    bool is_section() const;
    bool is_file() const;
};

struct Reloc {
    uint64_t offset = 0;
    uint32_t type = 0;
    uint32_t sym = 0;
    int64_t addend = 0;
};

// Bytes a relocation of this type writes, or 0 for types we do not know.
unsigned reloc_field_size(uint32_t type);
std::string reloc_type_name(uint32_t type);

// The largest file load() reads (kernel objects with debug information
// are a few MiB; the largest FreeBSD ones stay far below this).
constexpr uint64_t kMaxObjectSize = uint64_t(256) << 20;

class ObjectFile {
  public:
    // Reads and validates path; throws fbsdlp::Error naming the file.
    static ObjectFile load(const std::string &path);
    // Same from memory; name is used in messages.
    static ObjectFile parse(std::string name, Bytes bytes);

    ObjectFile(ObjectFile &&) noexcept;
    ObjectFile &operator=(ObjectFile &&) noexcept;
    ~ObjectFile();

    const std::string &name() const { return name_; }
    const std::vector<Section> &sections() const { return sections_; }
    const std::vector<Symbol> &symbols() const { return symbols_; }
    const Section &section(uint32_t i) const { return sections_.at(i); }
    const Symbol &symbol(uint32_t i) const { return symbols_.at(i); }
    // Relocations applying to section i, sorted by offset.
    const std::vector<Reloc> &relocs(uint32_t i) const { return relocs_.at(i); }
    // The first STT_FILE symbol's name: the source file, as the kernel's
    // symbol table records it.  Empty when the object has none.
    std::string_view source_file() const { return source_file_; }

  private:
    ObjectFile() = default;
    void index(const std::string &path);
    void index_sections(const std::string &path, size_t shstrndx);
    const Section &index_symbols(const std::string &path);
    void index_relocations(const std::string &path, uint32_t symtab_index);

    std::string name_;
    std::unique_ptr<Bytes> bytes_;
    void *elf_ = nullptr; // Elf *, kept for the string tables
    std::vector<Section> sections_;
    std::vector<Symbol> symbols_;
    std::vector<std::vector<Reloc>> relocs_;
    std::string_view source_file_;
};

} // namespace fbsdlp::elf
