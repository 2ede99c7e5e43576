// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The diff engine: two ET_REL objects of one translation unit, before and
// after a fix, in; one ET_REL object with exactly what the live patch needs,
// plus a report, out.  DESIGN.md section 4 describes the stages.
#pragma once

#include "fbsdlp/util/bytes.h"

#include "fbsdlp/elf/object.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fbsdlp::diff {

// Which relocation types the output may carry.
enum class Profile {
    FreeBsdKernel, // what the FreeBSD amd64 kernel linker accepts: 64, PC32, PLT32, 32S
    Hosted,        // the userspace host's non-PIC programs: also R_X86_64_32
};

struct Options {
    Profile profile = Profile::FreeBsdKernel;
    bool show_first_changed = false;
    bool debug = false;      // trace correlation decisions into Result::debug_log
    bool dwarf = true;       // type-layout checks and inline chains from DWARF
    std::string object_name; // for the report; default: orig's file name
};

// A change the live patch cannot express safely.
struct Refusal {
    std::string symbol;
    std::string section;
    std::string reason;
    std::string hint;
};

// Where two versions of a function first differ.
struct FirstChange {
    uint64_t offset = 0;
    std::string orig; // disassembled instruction, or a description
    std::string patched;
};

struct Function {
    std::string name;
    std::string why; // "code changed", "uses changed read-only data x", ...
    std::optional<FirstChange> first_change;
    // Sorted, transitive names of the functions inlined into it (DWARF
    // DW_TAG_inlined_subroutine chains); empty without DWARF.
    std::vector<std::string> inlines;
};

struct KernelSymbol {
    std::string name;
    bool local = false; // resolved by livepatch.ko (LOCAL) or the kernel linker
};

struct Result {
    std::string object;
    std::string source_file;
    std::vector<Function> changed_functions;
    std::vector<Function> new_functions;
    std::vector<std::string> deleted_functions;
    std::vector<std::string> new_data;
    std::vector<Refusal> refusals;
    std::vector<KernelSymbol> kernel_symbols;
    std::vector<std::string> notes; // harmless facts worth telling the author
    // Both objects had DWARF and their type layouts were compared; when
    // false, layout_skipped says why (the driver warns once).
    bool layout_checked = false;
    std::string layout_skipped;
    std::vector<std::string> debug_log;
    size_t livepatch_relocs = 0;
    Bytes output; // the ET_REL object; empty unless patchable

    bool refused() const { return !refusals.empty(); }
    bool no_change() const {
        return changed_functions.empty() && new_functions.empty() && !refused();
    }
};

Result diff_objects(const elf::ObjectFile &orig, const elf::ObjectFile &patched,
                    const Options &opts);

} // namespace fbsdlp::diff
