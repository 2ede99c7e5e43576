// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Hunks to definitions.  A hunk's removed lines are looked up in the
// original parse, its added lines in the patched one; context lines do not
// count (they often reach into the neighbouring function).

#include "hunks.h"

#include "fbsdlp/source/source.h"
#include "fbsdlp/util/file.h"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace fbsdlp::source {

// Removed (original numbering) and added (patched numbering) lines of each
// hunk, where the hunk really applied.
std::vector<HunkLines> hunk_lines(const srcpatch::FilePatch &fp, const std::string &path_abs) {
    std::vector<srcpatch::HunkPlace> places;
    if (fs::exists(path_abs))
        srcpatch::apply_file_patch(read_file(path_abs), fp, false, &places);
    std::vector<HunkLines> out;
    for (size_t i = 0; i < fp.hunks.size(); i++) {
        const srcpatch::Hunk &h = fp.hunks[i];
        unsigned o = i < places.size() ? unsigned(places[i].old_start) : unsigned(h.old_start);
        unsigned n = i < places.size() ? unsigned(places[i].new_start) : unsigned(h.new_start);
        HunkLines hl;
        for (const auto &l : h.lines) {
            if (l[0] == '-') {
                hl.removed.push_back(o++);
                if (!hl.patched_at)
                    hl.patched_at = n;
            } else if (l[0] == '+') {
                hl.added.push_back(n++);
            } else {
                o++;
                n++;
            }
        }
        out.push_back(std::move(hl));
    }
    return out;
}

namespace {

bool overlaps(const Definition &d, const std::string &file, const std::vector<unsigned> &lines) {
    if (d.file != file)
        return false;
    for (unsigned l : lines)
        if (l >= d.begin && l <= d.end)
            return true;
    return false;
}

const Definition *find_def(const UnitScan &u, const std::string &kind, const std::string &name,
                           const std::string &file) {
    for (const auto &d : u.defs)
        if (d.kind == kind && d.name == name && d.file == file)
            return &d;
    return nullptr;
}

} // namespace

std::vector<Touched> touched_definitions(const srcpatch::FilePatch &fp, const std::string &path_abs,
                                         const UnitScan &orig, const UnitScan &patched) {
    std::vector<Touched> out;
    auto add = [&](const Definition &d, bool from_orig, unsigned line, int hunk) {
        for (auto &t : out)
            if (t.kind == d.kind && t.name == d.name) {
                (from_orig ? t.in_orig : t.in_patched) = true;
                return;
            }
        Touched t;
        t.kind = d.kind;
        t.name = d.name;
        t.file = fp.path;
        t.line = line;
        t.hunk = hunk;
        (from_orig ? t.in_orig : t.in_patched) = true;
        out.push_back(std::move(t));
    };
    auto hl = hunk_lines(fp, path_abs);
    for (size_t i = 0; i < hl.size(); i++) {
        std::vector<unsigned> patched_lines = hl[i].added;
        if (patched_lines.empty() && hl[i].patched_at) {
            // A pure removal inside a definition touches it on both sides.
            patched_lines.push_back(hl[i].patched_at);
            if (hl[i].patched_at > 1)
                patched_lines.push_back(hl[i].patched_at - 1);
        }
        for (const auto &d : patched.defs)
            if (overlaps(d, path_abs, patched_lines)) {
                // The boundary lines of a pure removal only count when the
                // removed lines were inside the definition in the original.
                if (hl[i].added.empty() && !find_def(orig, d.kind, d.name, path_abs))
                    continue;
                if (hl[i].added.empty()) {
                    const Definition *od = find_def(orig, d.kind, d.name, path_abs);
                    if (!overlaps(*od, path_abs, hl[i].removed))
                        continue;
                }
                add(d, false, hl[i].added.empty() ? hl[i].patched_at : hl[i].added.front(),
                    int(i + 1));
            }
        for (const auto &d : orig.defs)
            if (overlaps(d, path_abs, hl[i].removed))
                add(d, true, hl[i].removed.front(), int(i + 1));
    }
    for (auto &t : out) {
        const Definition *o = find_def(orig, t.kind, t.name, path_abs);
        const Definition *p = find_def(patched, t.kind, t.name, path_abs);
        // Present on both sides even when the hunk only touched one of them.
        t.in_orig = o != nullptr;
        t.in_patched = p != nullptr;
        t.tokens_changed = !o || !p || o->hash != p->hash;
        const Definition *d = p ? p : o;
        t.is_static = d->is_static;
        t.is_inline = d->is_inline;
        t.is_const = d->is_const;
        if (o)
            t.orig_type = o->type;
        if (p)
            t.patched_type = p->type;
    }
    return out;
}

std::string source_name(const std::string &symbol) {
    // GCC: name.isra.0, name.cold, name.part.1, name.constprop.0; clang:
    // name.llvm.123, and static locals func.var (not functions).
    auto dot = symbol.find('.');
    return dot == std::string::npos || dot == 0 ? symbol : symbol.substr(0, dot);
}

} // namespace fbsdlp::source
