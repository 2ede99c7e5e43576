// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// DWARF of one ET_REL object, read with LLVM's DWARF parser, reduced to what the live
// patch checks need: the layout of every named type, the type of every
// variable, and which functions each function inlines.  docs/layout-checks.md
// describes the rules built on it.
#pragma once

#include "fbsdlp/elf/object.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fbsdlp::analysis {

struct DwMember {
    std::string name; // "<anon>" for an unnamed struct/union member
    uint64_t offset = 0;
    uint64_t bit_size = 0;   // 0: not a bit field
    uint64_t bit_offset = 0; // from the start of the member's storage unit
    std::string type;        // "unsigned int", "struct foo *", "char[16]"
    uint64_t type_size = 0;
};

struct DwType {
    enum Kind { Struct, Union, Enum, Typedef } kind = Struct;
    std::string key; // "struct foo", "enum bar", "typedef baz_t"; anonymous
                     // aggregates nested in a named one: "struct foo.member"
    uint64_t size = 0;
    std::string file; // declaration, for messages
    uint64_t line = 0;
    std::vector<DwMember> members;
    std::vector<std::pair<std::string, int64_t>> enumerators;
    std::string target; // typedef: the type it names
};

struct DwVariable {
    std::string key; // "foo_count", or "foo_read::ncalls" for a function-local static
    std::string type;
    uint64_t size = 0;
    std::string file;
    uint64_t line = 0;
};

// One function body in the object.
struct DwFunction {
    std::string name;
    // Every path of inlining below it, outermost callee first:
    // f inlines a, which inlines b: {"a"}, {"a", "b"}.
    std::vector<std::vector<std::string>> chains;
};

struct DwarfInfo {
    unsigned version = 0; // of the first compilation unit
    std::map<std::string, DwType> types;
    std::map<std::string, DwVariable> variables;
    // Keys of the types that variables and functions of the object refer
    // to, directly or through pointers, typedefs, arrays and members.
    std::set<std::string> used_types;
    // Function bodies by their ELF location (section index, offset), and by
    // DWARF name for bodies whose address could not be placed.
    std::map<std::pair<uint32_t, uint64_t>, DwFunction> functions;
    std::map<std::string, DwFunction> functions_by_name;
    // Every subprogram the object describes (with or without a body).
    std::set<std::string> subprograms;
};

// Reads obj's DWARF.  Returns nullopt when the object has no .debug_info.
// Corrupt DWARF throws fbsdlp::Error naming the object.
// With uses == false, parameters are not read and used_types stays empty:
// the patched object's references decide nothing (docs/layout-checks.md).
std::optional<DwarfInfo> read_dwarf(const elf::ObjectFile &obj, bool uses = true);

// A type or variable whose layout differs between orig and patched.
struct LayoutChange {
    std::string what;         // "struct foo", "variable foo_count"
    std::string reason;       // member, old and new offset/size, file:line
    bool used_by_orig = true; // false: only new code uses it (allowed)
};

std::vector<LayoutChange> layout_diff(const DwarfInfo &orig, const DwarfInfo &patched);

} // namespace fbsdlp::analysis
