// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Stage 1, index: one pass over an object builds every lookup the later
// stages need, so that no stage searches linearly inside a loop.
//
// Relocations against section symbols are the main complication.  Both GNU
// as and LLVM's integrated assembler rewrite references to local symbols as
// "section symbol + offset", so `call helper` to a static function becomes
// `.text.helper - 4`.  resolve() undoes that: it finds the function or data
// symbol covering the referenced byte.  For PC-relative fields the
// referenced byte is addend + (distance to the end of the instruction),
// which is 4 unless an immediate follows the displacement; we decode the
// instruction to know.  Bytes no symbol covers (string literals, jump
// tables, anonymous constants) become "chunks", compared by content.

#include "context.h"

#include "fbsdlp/util/error.h"

#include <algorithm>
#include <cstring>
#include <elf.h>

namespace fbsdlp::diff {

const char *sec_kind_name(SecKind k) {
    switch (k) {
    case SecKind::None: return "none";
    case SecKind::Text: return "text";
    case SecKind::RoData: return "rodata";
    case SecKind::RoStrings: return "strings";
    case SecKind::Data: return "data";
    case SecKind::Bss: return "bss";
    case SecKind::LinkerSet: return "linker set";
    case SecKind::PerCpu: return "per-CPU data";
    case SecKind::Vnet: return "VNET data";
    case SecKind::Ignored: return "ignored";
    }
    return "?";
}

TextClass classify_text(std::string_view n, std::string_view function) {
    if (!function.empty() && n.size() == 6 + function.size() && n.starts_with(".text.") &&
        n.substr(6) == function)
        return TextClass::Ordinary; // -ffunction-sections for this very function
    // "<prefix>" alone or followed by ".NAME" (-ffunction-sections).
    auto form = [&](std::string_view prefix) {
        return n == prefix ||
               (n.size() > prefix.size() + 1 && n.starts_with(prefix) && n[prefix.size()] == '.');
    };
    if (form(".text.startup") || form(".init.text") || n == ".init" || n.starts_with(".init."))
        return TextClass::InitOnly;
    if (form(".text.exit") || form(".exit.text") || n == ".fini" || n.starts_with(".fini."))
        return TextClass::ExitOnly;
    // .text, .text.unlikely, .text.hot, .text.split, .text.unknown and their
    // per-function forms, and .text.NAME itself.
    if (form(".text"))
        return TextClass::Ordinary;
    return TextClass::Unknown;
}

static std::string normalise(std::string_view name) {
    // Drop every all-digit dot component after the first: GCC numbers its
    // static locals (x.3) and clones (f.isra.0, f.constprop.0.isra.0) in an
    // order that shifts whenever the file changes.
    std::string out;
    size_t i = 0;
    bool first = true;
    while (i <= name.size()) {
        size_t dot = name.find('.', i);
        if (dot == std::string_view::npos)
            dot = name.size();
        std::string_view part = name.substr(i, dot - i);
        bool digits = !part.empty() && std::all_of(part.begin(), part.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
        if (first || !digits) {
            if (!first)
                out += '.';
            out += part;
        }
        first = false;
        i = dot + 1;
    }
    return out;
}

ObjIndex::ObjIndex(const elf::ObjectFile &o, const analysis::Disassembler &d) : obj(o), dis(d) {
    classify_sections();
    collect_entities();
    link_cold_children();
}

void ObjIndex::classify_sections() {
    const auto &secs = obj.sections();
    kind_.assign(secs.size(), SecKind::None);
    for (const elf::Section &s : secs) {
        SecKind k;
        switch (s.type) {
        case SHT_NULL:
        case SHT_SYMTAB:
        case SHT_STRTAB:
        case SHT_RELA:
        case SHT_SYMTAB_SHNDX:
        case SHT_GROUP: k = SecKind::None; break;
        default:
            if (!s.alloc() || s.name == ".eh_frame" || s.name.starts_with(".note"))
                k = SecKind::Ignored;
            else if (s.name == "set_pcpu")
                k = SecKind::PerCpu;
            else if (s.name == "set_vnet")
                k = SecKind::Vnet;
            else if (s.name.starts_with("set_"))
                k = SecKind::LinkerSet;
            else if (s.exec())
                k = SecKind::Text;
            else if (s.nobits())
                k = SecKind::Bss;
            else if (s.write())
                k = SecKind::Data;
            else if (s.merge_strings())
                k = SecKind::RoStrings;
            else
                k = SecKind::RoData;
        }
        kind_[s.index] = k;
    }
}

void ObjIndex::collect_entities() {
    const auto &syms = obj.symbols();
    is_entity_.assign(syms.size(), false);
    norm_.resize(syms.size());
    by_section_.assign(obj.sections().size(), {});
    for (const elf::Symbol &s : syms) {
        if (!s.defined() || s.name.empty() || !(s.is_func() || s.is_object()))
            continue;
        SecKind k = kind_[s.shndx];
        if (k == SecKind::None || k == SecKind::Ignored)
            continue;
        is_entity_[s.index] = true;
        entities_.push_back(s.index);
        norm_[s.index] = normalise(s.name);
        by_section_[s.shndx].push_back(s.index);
    }
    for (auto &v : by_section_)
        std::sort(v.begin(), v.end(), [&](uint32_t a, uint32_t b) {
            const elf::Symbol &x = syms[a], &y = syms[b];
            if (x.value != y.value)
                return x.value < y.value;
            // Aliases: prefer the global name, then the larger symbol.
            if (x.local() != y.local())
                return !x.local();
            return x.size > y.size;
        });
}

void ObjIndex::link_cold_children() {
    cold_parent_.assign(obj.symbols().size(), kNone);
    std::unordered_map<std::string, std::vector<uint32_t>> funcs_by_norm;
    for (uint32_t e : entities_)
        if (sym(e).is_func())
            funcs_by_norm[norm_[e]].push_back(e);
    for (uint32_t e : entities_) {
        const std::string &n = norm_[e];
        if (!sym(e).is_func() || !n.ends_with(".cold"))
            continue;
        auto it = funcs_by_norm.find(n.substr(0, n.size() - 5));
        if (it == funcs_by_norm.end() || it->second.size() != 1)
            continue; // an orphan .cold is treated as a function of its own
        cold_parent_[e] = int32_t(it->second[0]);
        cold_children_[it->second[0]].push_back(e);
    }
}

const std::vector<uint32_t> &ObjIndex::cold_children(uint32_t s) const {
    static const std::vector<uint32_t> none;
    auto it = cold_children_.find(s);
    return it == cold_children_.end() ? none : it->second;
}

int32_t ObjIndex::covering(uint32_t sec, uint64_t pos) const {
    const auto &v = by_section_[sec];
    auto it = std::upper_bound(v.begin(), v.end(), pos,
                               [&](uint64_t p, uint32_t s) { return p < sym(s).value; });
    // Walk back over symbols starting at or before pos: an earlier, larger
    // symbol may still cover pos when a zero-sized one sits in between.
    while (it != v.begin()) {
        --it;
        const elf::Symbol &s = sym(*it);
        if (pos < s.value + s.size || (s.size == 0 && pos == s.value))
            return int32_t(*it);
        if (pos - s.value > (1u << 20))
            break;
    }
    return kNone;
}

std::string ObjIndex::describe(uint32_t sec, uint64_t off) const {
    int32_t c = covering(sec, off);
    if (c == kNone)
        return std::string(obj.section(sec).name) + "+0x" + [&] {
            char b[32];
            snprintf(b, sizeof b, "%llx", (unsigned long long)off);
            return std::string(b);
        }();
    return std::string(sym(uint32_t(c)).name);
}

const std::vector<uint32_t> &ObjIndex::insn_starts(uint32_t sec) const {
    auto it = insn_starts_.find(sec);
    if (it != insn_starts_.end())
        return it->second;
    std::vector<uint32_t> starts;
    std::span<const uint8_t> code = obj.section(sec).data;
    uint64_t off = 0;
    while (off < code.size()) {
        unsigned n = dis.length(code, off);
        if (n == 0)
            break; // undecodable: callers fall back to the common case
        starts.push_back(uint32_t(off));
        off += n;
    }
    return insn_starts_.emplace(sec, std::move(starts)).first->second;
}

uint64_t ObjIndex::pc_bias(uint32_t sec, const elf::Reloc &r) const {
    if (kind_[sec] != SecKind::Text)
        return 4;
    const auto &starts = insn_starts(sec);
    auto it = std::upper_bound(starts.begin(), starts.end(), uint32_t(r.offset));
    if (it == starts.begin())
        return 4;
    uint64_t end = it == starts.end() ? obj.section(sec).size : *it;
    if (it == starts.end() && starts.back() + 15 < r.offset)
        return 4; // decoding stopped before this point
    uint64_t bias = end - r.offset;
    return bias >= 4 && bias <= 12 ? bias : 4;
}

static bool pc_relative(uint32_t type) {
    return type == R_X86_64_PC32 || type == R_X86_64_PLT32 || type == R_X86_64_PC64 ||
           type == R_X86_64_GOTPCREL || type == R_X86_64_GOTPCRELX ||
           type == R_X86_64_REX_GOTPCRELX;
}

const std::vector<uint64_t> &ObjIndex::boundaries(uint32_t sec) const {
    if (boundaries_.empty()) {
        // Every position any relocation refers to, per target section: the
        // edges between anonymous chunks.  Computed once for all sections.
        for (const elf::Section &s : obj.sections()) {
            if (kind_[s.index] == SecKind::None || kind_[s.index] == SecKind::Ignored)
                continue;
            for (const elf::Reloc &r : obj.relocs(s.index)) {
                const elf::Symbol &t = sym(r.sym);
                if (!t.is_section())
                    continue;
                uint64_t bias = pc_relative(r.type) ? pc_bias(s.index, r) : 0;
                boundaries_[t.shndx].push_back(uint64_t(r.addend + int64_t(bias)));
            }
        }
        for (uint32_t i = 0; i < by_section_.size(); i++)
            for (uint32_t e : by_section_[i])
                boundaries_[i].push_back(sym(e).value);
        for (auto &[s, v] : boundaries_) {
            std::sort(v.begin(), v.end());
            v.erase(std::unique(v.begin(), v.end()), v.end());
        }
        boundaries_[~0u]; // mark as computed even for an object without any
    }
    static const std::vector<uint64_t> none;
    auto it = boundaries_.find(sec);
    return it == boundaries_.end() ? none : it->second;
}

uint64_t ObjIndex::chunk_end(uint32_t sec, uint64_t pos) const {
    const elf::Section &s = obj.section(sec);
    if (pos >= s.size)
        return s.size;
    if (kind_[sec] == SecKind::RoStrings && !s.data.empty()) {
        uint64_t w = s.entsize ? s.entsize : 1;
        for (uint64_t i = pos; i + w <= s.size; i += w) {
            bool nul = true;
            for (uint64_t k = 0; k < w; k++)
                nul &= s.data[i + k] == 0;
            if (nul)
                return i + w;
        }
        return s.size;
    }
    const auto &b = boundaries(sec);
    auto it = std::upper_bound(b.begin(), b.end(), pos);
    return it == b.end() ? s.size : std::min<uint64_t>(*it, s.size);
}

void ObjIndex::compute_referrers() const {
    for (const elf::Section &s : obj.sections()) {
        SecKind k = kind_[s.index];
        if (k == SecKind::None || k == SecKind::Ignored)
            continue;
        for (const elf::Reloc &r : obj.relocs(s.index)) {
            int32_t from = covering(s.index, r.offset);
            if (from == kNone)
                continue;
            Target t = resolve(*this, s.index, r);
            if (t.kind != Target::Symbol || !is_entity_[t.sym] || t.sym == uint32_t(from))
                continue;
            auto &v = referrers_[t.sym];
            if (v.empty() || v.back() != uint32_t(from))
                v.push_back(uint32_t(from));
        }
    }
    for (auto &[s, v] : referrers_) {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
    }
    referrers_done_ = true;
}

const std::vector<uint32_t> &ObjIndex::referrers(uint32_t s) const {
    static const std::vector<uint32_t> none;
    if (!referrers_done_)
        compute_referrers();
    auto it = referrers_.find(s);
    return it == referrers_.end() ? none : it->second;
}

Target resolve(const ObjIndex &ix, uint32_t sec, const elf::Reloc &r) {
    const elf::Symbol &s = ix.sym(r.sym);
    Target t;
    if (!s.is_section()) {
        t.kind = Target::Symbol;
        t.sym = r.sym;
        t.addend = r.addend;
        return t;
    }
    uint32_t tsec = s.shndx;
    uint64_t size = ix.sec(tsec).size;
    int64_t bias = pc_relative(r.type) ? int64_t(ix.pc_bias(sec, r)) : 0;
    int64_t pos = r.addend + bias;
    if (pos >= 0 && uint64_t(pos) <= size) {
        int32_t cov = ix.covering(tsec, uint64_t(pos));
        if (cov != kNone) {
            t.kind = Target::Symbol;
            t.sym = uint32_t(cov);
            t.addend = r.addend - int64_t(ix.sym(uint32_t(cov)).value);
            return t;
        }
    }
    uint64_t start = pos < 0 ? 0 : std::min<uint64_t>(uint64_t(pos), size);
    t.kind = Target::Chunk;
    t.sec = tsec;
    t.start = start;
    t.end = std::max(start, ix.chunk_end(tsec, start));
    t.addend = r.addend - int64_t(start);
    return t;
}

} // namespace fbsdlp::diff
