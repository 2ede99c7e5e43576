// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Internal types shared by the diff stages: the per-object index, resolved
// relocation targets, the correlation and the selection.  Symbols and
// sections are named by their ELF index in their own object; links between
// the two objects live in side tables (Correlation), never in pointers.
#pragma once

#include "fbsdlp/analysis/disasm.h"
#include "fbsdlp/diff/diff.h"
#include "fbsdlp/elf/object.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fbsdlp::diff {

constexpr int32_t kNone = -1;

// What a section is to a live patch.
enum class SecKind : uint8_t {
    None,      // null, symtab, strtab, relocation sections
    Text,      // code
    RoData,    // read-only data
    RoStrings, // SHF_MERGE|SHF_STRINGS literals, compared by content
    Data,      // writable, initialised
    Bss,       // writable, zero-filled
    LinkerSet, // set_<name>: registration data (sysinit, sysctl, ...)
    PerCpu,    // set_pcpu: DPCPU variables, always the kernel's own
    Vnet,      // set_vnet: VNET variables, always the kernel's own
    Ignored,   // not loaded or irrelevant to a patch: debug, notes, comments
};

const char *sec_kind_name(SecKind k);

// What a code section is to a live patch, from its name.  Only ordinary
// text may be patched or receive new code; the rest is refused by name.
enum class TextClass : uint8_t {
    Ordinary, // .text, .text.NAME, .text.unlikely[.NAME], .text.hot[.NAME], .text.split[.NAME]
    InitOnly, // runs once at start-up and may be freed: .init.text, .text.startup[.NAME], .init
    ExitOnly, // runs only at exit/unload, may be discarded: .exit.text, .text.exit[.NAME], .fini
    Unknown,  // any other executable section (hand-written assembly, a foreign toolchain)
};

// function is the name of a function in it: ".text.startup" is ordinary
// when it holds a function named "startup".
TextClass classify_text(std::string_view section_name, std::string_view function = {});

struct PatchSite; // patchsite.h

// Every lookup the stages need, built once per object (DESIGN.md 4.1).
class ObjIndex {
  public:
    ObjIndex(const elf::ObjectFile &obj, const analysis::Disassembler &dis);

    const elf::ObjectFile &obj;
    const analysis::Disassembler &dis;

    const elf::Section &sec(uint32_t i) const { return obj.section(i); }
    const elf::Symbol &sym(uint32_t i) const { return obj.symbol(i); }
    SecKind kind(uint32_t sec) const { return kind_[sec]; }

    // Named, defined function and data symbols, the units we correlate.
    const std::vector<uint32_t> &entities() const { return entities_; }
    bool is_entity(uint32_t sym) const { return is_entity_[sym]; }
    // For an alias (same section, value, size and kind as an entity), the
    // entity that stands for it; else kNone.  resolve() follows it.
    int32_t alias_of(uint32_t sym) const { return alias_of_[sym]; }
    // The entity covering [pos] in section sec, or kNone.
    int32_t covering(uint32_t sec, uint64_t pos) const;
    // Compiler-renamed locals normalised: "x.12" -> "x", "f.isra.0" -> "f.isra".
    const std::string &norm(uint32_t sym) const { return norm_[sym]; }
    // For a ".cold" child, its parent function; else kNone.
    int32_t cold_parent(uint32_t sym) const { return cold_parent_[sym]; }
    const std::vector<uint32_t> &cold_children(uint32_t sym) const;
    // Functions whose code refers to this entity (by resolved target).
    const std::vector<uint32_t> &referrers(uint32_t sym) const;
    // The function or data symbol that owns a section (the one covering its
    // start), for messages.
    std::string describe(uint32_t sec, uint64_t off) const;

    // Distance from a PC-relative relocation field to the end of its
    // instruction (4 unless an immediate follows the displacement).
    uint64_t pc_bias(uint32_t sec, const elf::Reloc &r) const;
    // Start offsets of instructions of an executable section (decoded once).
    const std::vector<uint32_t> &insn_starts(uint32_t sec) const;
    // End of the anonymous data chunk starting at pos (strings: the NUL).
    uint64_t chunk_end(uint32_t sec, uint64_t pos) const;

  private:
    void classify_sections();
    void collect_entities();
    void link_cold_children();

    std::vector<SecKind> kind_;
    std::vector<uint32_t> entities_;
    std::vector<bool> is_entity_;
    std::vector<int32_t> alias_of_;
    std::vector<std::vector<uint32_t>> by_section_; // entities per section, by value
    std::vector<std::string> norm_;
    std::vector<int32_t> cold_parent_;
    std::unordered_map<uint32_t, std::vector<uint32_t>> cold_children_;
    mutable std::unordered_map<uint32_t, std::vector<uint32_t>> referrers_;
    mutable bool referrers_done_ = false;
    mutable std::unordered_map<uint32_t, std::vector<uint32_t>> insn_starts_;
    mutable std::unordered_map<uint32_t, std::vector<uint64_t>> boundaries_;
    // analyse_patch_site() per function: select, the SDT notes and emit
    // all ask, and it decodes the function.
    mutable std::unordered_map<uint32_t, std::shared_ptr<const PatchSite>> patch_sites_;
    friend const PatchSite &analyse_patch_site(const ObjIndex &ix, uint32_t sym);
    void compute_referrers() const;
    const std::vector<uint64_t> &boundaries(uint32_t sec) const;
};

// A relocation's target with section symbols replaced by what they point at.
struct Target {
    enum Kind : uint8_t { Symbol, Chunk } kind = Symbol;
    uint32_t sym = 0;   // Symbol: an entity or an undefined symbol
    uint32_t sec = 0;   // Chunk: anonymous data (string, jump table, ...)
    uint64_t start = 0; // Chunk: [start, end) in sec
    uint64_t end = 0;
    int64_t addend = 0; // relative to the symbol's or chunk's start
};

Target resolve(const ObjIndex &ix, uint32_t sec, const elf::Reloc &r);

// Symbol twins between orig (o) and patched (p).
struct Correlation {
    std::vector<int32_t> o2p, p2o;
};

Correlation correlate(const ObjIndex &o, const ObjIndex &p, std::vector<std::string> *log);

// Relocation-aware comparison (DESIGN.md 4.3).
class Comparator {
  public:
    Comparator(const ObjIndex &o, const ObjIndex &p, const Correlation &c) : o_(o), p_(p), c_(c) {}

    // Compare two correlated entities (functions or data).  On a difference,
    // *at receives the offset of the first differing byte or relocation.
    bool same_entity(uint32_t osym, uint32_t psym, uint64_t *at = nullptr,
                     std::string *why = nullptr);
    bool same_target(const Target &a, const Target &b);

  private:
    bool same_range(uint32_t osec, uint64_t ostart, uint32_t psec, uint64_t pstart, uint64_t len,
                    uint64_t *at, std::string *why);
    const ObjIndex &o_, &p_;
    const Correlation &c_;
    std::map<std::tuple<uint32_t, uint64_t, uint32_t, uint64_t>, int> chunk_memo_;
};

// What goes into the patch (DESIGN.md 4.4, 4.5).
struct Selected {
    struct Func {
        uint32_t psym;
        int32_t osym; // kNone for a new function
        std::string why;
        uint64_t first_diff = 0;
    };
    std::vector<Func> changed;
    std::vector<Func> added;
    std::vector<uint32_t> cold;       // .cold children carried with an included parent
    std::vector<uint32_t> data;       // data entities copied into the patch (patched symbols)
    std::vector<std::string> deleted; // orig functions with no twin
    std::vector<std::string> notes;
    std::vector<Refusal> refusals;
};

Selected select(const ObjIndex &o, const ObjIndex &p, const Correlation &c, Comparator &cmp);

// DWARF checks (layout.cc): type-layout refusals and notes go into sel;
// inline chains and their explanations into res's functions.
void dwarf_checks(const ObjIndex &o, const ObjIndex &p, Selected &sel, Result &res);

// Emission (DESIGN.md 4.6); appends refusals for relocations it cannot express.
struct Emitted {
    std::vector<uint8_t> bytes;
    std::vector<KernelSymbol> kernel_symbols;
    size_t livepatch_relocs = 0;
    std::vector<Refusal> refusals;
    std::vector<std::string> notes;
};

Emitted emit(const ObjIndex &o, const ObjIndex &p, const Correlation &c, const Selected &sel,
             Profile profile);

// A GOTPCRELX load that the linker turns into a direct lea (kernel.full
// has it relaxed; patch objects get it relaxed by emit()).
bool is_relaxable_gotpcrel(const elf::Section &sec, const elf::Reloc &r);

} // namespace fbsdlp::diff
