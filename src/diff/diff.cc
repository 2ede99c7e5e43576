// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The diff engine's table of contents: index, correlate, compare, select,
// emit, report - in that order, each stage in its own file.

#include "context.h"

#include "fbsdlp/util/error.h"

#include <algorithm>
#include <cstdio>

namespace fbsdlp::diff {

namespace {

std::string basename_of(const std::string &path) { return path.substr(path.find_last_of('/') + 1); }

// The instruction containing byte off of a function, with the target of
// any relocation inside it named, e.g. "callq 0x0 <panic>".
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
    unsigned len = 0;
    std::string text = ix.dis.text(sec.data, start, &len);
    if (text.empty())
        return "(undecodable)";
    for (const elf::Reloc &r : ix.obj.relocs(s.shndx)) {
        if (r.offset < start || r.offset >= start + len)
            continue;
        Target t = resolve(ix, s.shndx, r);
        std::string name = t.kind == Target::Symbol
                               ? std::string(ix.sym(t.sym).name)
                               : std::string(ix.sec(t.sec).name) + "+" + std::to_string(t.start);
        if (t.kind == Target::Chunk && ix.kind(t.sec) == SecKind::RoStrings) {
            std::string str(reinterpret_cast<const char *>(ix.sec(t.sec).data.data() + t.start));
            if (str.size() > 40)
                str = str.substr(0, 37) + "...";
            name = "\"" + str + "\"";
        }
        text += " <" + name +
                (t.addend && t.kind == Target::Symbol && ix.is_entity(t.sym) && t.addend != -4
                     ? (t.addend > 0 ? "+" : "") + std::to_string(t.addend)
                     : "") +
                ">";
    }
    return text;
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
    for (uint32_t d : sel.data)
        if (c.p2o[d] == kNone)
            res.new_data.push_back(std::string(p.sym(d).name));
    res.deleted_functions = sel.deleted;
    res.notes = sel.notes;
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
