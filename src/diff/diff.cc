// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The diff engine's table of contents: index, correlate, compare, select,
// emit, report - in that order, each stage in its own file.

#include "context.h"
#include "patchsite.h"

#include "fbsdlp/util/error.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <elf.h>

namespace fbsdlp::diff {

namespace {

std::string basename_of(const std::string &path) { return path.substr(path.find_last_of('/') + 1); }

bool pc_relative_type(uint32_t type) {
    return type == R_X86_64_PC32 || type == R_X86_64_PLT32 || type == R_X86_64_GOTPCREL ||
           type == R_X86_64_GOTPCRELX || type == R_X86_64_REX_GOTPCRELX;
}

// How a relocation target reads in a disassembly: a symbol by name, a string
// literal by its section and offset (the text itself follows as a comment),
// other anonymous data by its section and offset.
std::string target_name(const ObjIndex &ix, const Target &t, int64_t *addend) {
    if (t.kind == Target::Symbol)
        return std::string(ix.sym(t.sym).name);
    *addend += int64_t(t.start);
    return std::string(ix.sec(t.sec).name);
}

// The instruction containing byte off of a function, with every operand
// a relocation covers printed as its target (AT&T syntax, as objdump shows
// a linked kernel): "callq panic", "movq foo_list(%rip), %rax".
std::string instruction_at(const ObjIndex &ix, uint32_t sym, uint64_t off) {
    const elf::Symbol &s = ix.sym(sym);
    const elf::Section &sec = ix.sec(s.shndx);
    if (sec.nobits() || off >= s.size)
        return "(end of function)";
    const auto &starts = ix.insn_starts(s.shndx);
    uint64_t at = s.value + off;
    auto it = std::upper_bound(starts.begin(), starts.end(), uint32_t(at));
    if (it == starts.begin())
        return "(undecodable)";
    uint64_t start = *(it - 1);
    const auto &relocs = ix.obj.relocs(s.shndx);
    std::string comment;
    analysis::SymbolLookup lookup = [&](uint64_t field, std::string &name, int64_t &addend) {
        auto r = std::lower_bound(relocs.begin(), relocs.end(), field,
                                  [](const elf::Reloc &x, uint64_t v) { return x.offset < v; });
        if (r == relocs.end() || r->offset != field || r->type == R_X86_64_NONE)
            return false;
        Target t = resolve(ix, s.shndx, *r);
        addend = t.addend + (pc_relative_type(r->type) ? int64_t(ix.pc_bias(s.shndx, *r)) : 0);
        name = target_name(ix, t, &addend);
        if (t.kind == Target::Chunk && ix.kind(t.sec) == SecKind::RoStrings &&
            t.start < ix.sec(t.sec).data.size()) {
            const auto &d = ix.sec(t.sec).data;
            std::string str(
                reinterpret_cast<const char *>(d.data() + t.start),
                strnlen(reinterpret_cast<const char *>(d.data() + t.start), d.size() - t.start));
            std::string shown;
            for (char c : str.substr(0, 40))
                shown += c == '\n'                                     ? std::string("\\n")
                         : c == '\t'                                   ? std::string("\\t")
                         : c == '"'                                    ? std::string("\\\"")
                         : std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c)
                                                                       : std::string("?");
            comment += " # \"" + shown + (str.size() > 40 ? "..." : "") + "\"";
        }
        return true;
    };
    unsigned len = 0;
    std::string text = ix.dis.text(sec.data, start, &len, lookup);
    if (text.empty())
        return "(undecodable)";
    return text + comment;
}

} // namespace

Result diff_objects(const elf::ObjectFile &orig, const elf::ObjectFile &patched,
                    const Options &opts) {
    Result res;
    res.object = opts.object_name.empty() ? basename_of(orig.name()) : opts.object_name;
    res.source_file = std::string(orig.source_file());
    if (!orig.source_file().empty() && !patched.source_file().empty() &&
        orig.source_file() != patched.source_file())
        throw Error(res.object,
                    "objects come from different source files (" + std::string(orig.source_file()) +
                        " and " + std::string(patched.source_file()) + ")",
                    "give the original and patched object of the same translation unit");

    analysis::Disassembler dis;
    // 1. Index both objects.
    ObjIndex o(orig, dis), p(patched, dis);
    // 2. Correlate symbols.
    Correlation c = correlate(o, p, opts.debug ? &res.debug_log : nullptr);
    // 3-5. Compare, classify and select, with FreeBSD's special sections.
    Comparator cmp(o, p, c);
    Selected sel = select(o, p, c, cmp);

    for (const auto &f : sel.changed) {
        Function fn{std::string(p.sym(f.psym).name), f.why, std::nullopt, {}};
        if (opts.show_first_changed)
            fn.first_change =
                FirstChange{f.first_diff, instruction_at(o, uint32_t(f.osym), f.first_diff),
                            instruction_at(p, f.psym, f.first_diff)};
        res.changed_functions.push_back(std::move(fn));
    }
    for (const auto &f : sel.added)
        res.new_functions.push_back({std::string(p.sym(f.psym).name), f.why, std::nullopt, {}});
    // The DWARF pass: layout refusals before anything is emitted.
    if (opts.dwarf)
        dwarf_checks(o, p, sel, res);
    else
        res.layout_skipped = "type-layout checks skipped (--no-dwarf): a changed struct, union, "
                             "enum or variable type that unchanged code uses is not detected";
    for (uint32_t d : sel.data)
        if (c.p2o[d] == kNone)
            res.new_data.push_back(std::string(p.sym(d).name));
    res.deleted_functions = sel.deleted;
    res.notes = sel.notes;
    // The patch does not carry set_sdt_tracepoint_set entries (linker-set
    // data is never copied), so DTrace cannot enable probe sites in the
    // replacement code: tell the author rather than let probes go dark
    // silently.
    for (const auto *list : {&sel.changed, &sel.added})
        for (const auto &f : *list) {
            size_t n = 0;
            for (const ForeignPatch &fp : analyse_patch_site(p, f.psym).foreign)
                n += fp.kind == ForeignPatch::SdtProbe;
            if (n)
                res.notes.push_back(std::string(p.sym(f.psym).name) + ": " + std::to_string(n) +
                                    " SDT probe site(s) in the replacement stay disabled while "
                                    "the patch is applied (DTrace knows only the kernel's)");
        }
    res.refusals = sel.refusals;
    if (!res.refusals.empty() || (sel.changed.empty() && sel.added.empty()))
        return res;

    // 6. Emit the patch object.
    Emitted e = emit(o, p, c, sel, opts.profile);
    res.kernel_symbols = std::move(e.kernel_symbols);
    res.livepatch_relocs = e.livepatch_relocs;
    if (!e.refusals.empty()) {
        res.refusals = std::move(e.refusals);
        return res;
    }
    res.output = std::move(e.bytes);
    return res;
}

} // namespace fbsdlp::diff
