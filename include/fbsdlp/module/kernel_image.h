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

struct KernelImage {
    std::string path;
    std::string build_id; // hex
    std::string comment;  // .comment, compiler identification
    std::vector<ImageSymbol> symbols;

    static KernelImage load(const std::string &path);
    // Defined symbols named name in source file file (any file if empty).
    std::vector<const ImageSymbol *> find(const std::string &name,
                                          const std::string &file = {}) const;
    bool exports(const std::string &name) const; // defined GLOBAL or WEAK
    bool imports(const std::string &name) const; // undefined: from a shared library (hosted images)

  private:
    std::multimap<std::string, size_t> by_name_;
};

} // namespace fbsdlp::module
