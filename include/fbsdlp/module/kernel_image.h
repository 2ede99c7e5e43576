// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The linked kernel (kernel.full): its build-id, compiler note and full
// symbol table with each LOCAL symbol's source file, as livepatch.ko will
// see them through the kernel linker.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fbsdlp::module {

struct ImageSymbol {
    std::string name;
    std::string file; // the STT_FILE in force ("" before the first)
    uint8_t type = 0, bind = 0;
    uint64_t value = 0, size = 0;
    bool defined = false;
};

// An executable section's contents at its address.
struct ImageCode {
    uint64_t addr = 0;
    std::vector<uint8_t> bytes;
};

struct KernelImage {
    std::string path;
    std::string build_id; // hex
    std::string comment;  // .comment, compiler identification
    std::vector<ImageSymbol> symbols;
    std::vector<ImageCode> code;

    // debug_path: FreeBSD's separate kernel.debug (objcopy
    // --only-keep-debug), whose symbol table is used when given; its
    // build-id must be the kernel's.
    static KernelImage load(const std::string &path, const std::string &debug_path = {});

    // The symbol livepatch.ko's lookup finds (kmod-template/freebsd
    // livepatch.c, lpk_lookup): the sympos-th LOCAL of that name in file
    // objname, or with sympos 0 the only one, else the GLOBAL; null when
    // there is none, and ambiguous set when sympos 0 matches several.
    const ImageSymbol *lookup(const std::string &name, const std::string &objname, uint32_t sympos,
                              bool *ambiguous = nullptr) const;
    // size bytes at addr, or null when they are not all inside one
    // executable section with contents.
    const uint8_t *code_at(uint64_t addr, uint64_t size) const;
    // Defined symbols named name in source file file (any file if empty).
    std::vector<const ImageSymbol *> find(const std::string &name,
                                          const std::string &file = {}) const;
    bool exports(const std::string &name) const; // defined GLOBAL or WEAK
    bool imports(const std::string &name) const; // undefined: from a shared library (hosted images)

  private:
    std::multimap<std::string, size_t> by_name_;
};

} // namespace fbsdlp::module
