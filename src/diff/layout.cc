// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The DWARF pass of the diff (docs/layout-checks.md):
//
//  - type layouts: a struct, union, enum or typedef defined in both objects
//    whose layout differs, or a variable whose type differs, is refused -
//    unpatched code keeps using the old layout - unless nothing in the
//    original object refers to the type (only new code uses it): a note;
//  - inline chains: every changed and new function lists the functions
//    inlined into it, and a changed function's "why" names an inlined
//    callee that changed, is new, or was not inlined before.
// An object without DWARF skips both; the result says so and the driver
// warns once.

#include "context.h"

#include "fbsdlp/analysis/dwarf.h"

#include <algorithm>
#include <set>

namespace fbsdlp::diff {

namespace {

// "foo.isra.0" -> "foo": DWARF names the source function, not its clone.
std::string base_name(std::string_view n) { return std::string(n.substr(0, n.find('.'))); }

const analysis::DwFunction *find_function(const analysis::DwarfInfo &d, const ObjIndex &ix,
                                          uint32_t sym) {
    const elf::Symbol &s = ix.sym(sym);
    if (auto it = d.functions.find({s.shndx, s.value}); it != d.functions.end())
        return &it->second;
    if (auto it = d.functions_by_name.find(base_name(s.name)); it != d.functions_by_name.end())
        return &it->second;
    return nullptr;
}

std::vector<std::string> inline_set(const analysis::DwFunction *f) {
    std::set<std::string> s;
    if (f)
        for (const auto &ch : f->chains)
            s.insert(ch.begin(), ch.end());
    return {s.begin(), s.end()};
}

std::string chain_text(const std::vector<std::string> &ch) {
    std::string s;
    for (size_t i = 0; i < ch.size(); i++)
        s += (i ? " -> " : "") + ch[i] + "()";
    return s;
}

} // namespace

void dwarf_checks(const ObjIndex &o, const ObjIndex &p, Selected &sel, Result &res) {
    auto od = analysis::read_dwarf(o.obj);
    auto pd = analysis::read_dwarf(p.obj, false);
    if (!od || !pd) {
        res.layout_skipped = std::string(!od ? "the original" : "the patched") +
                             " object has no DWARF (.debug_info); build with -g";
        return;
    }
    res.layout_checked = true;

    for (const auto &ch : analysis::layout_diff(*od, *pd)) {
        if (ch.used_by_orig)
            sel.refusals.push_back(
                {ch.what, ".debug_info", "layout of " + ch.what + " changed: " + ch.reason,
                 "unpatched code and the kernel's live data keep the old layout; leave " + ch.what +
                     " as it is and keep the new state in a separate (shadow) variable or a new "
                     "structure, or use an existing spare field"});
        else
            sel.notes.push_back("layout of " + ch.what + " changed (" + ch.reason +
                                "), allowed: nothing in the original object uses it, only new "
                                "code");
    }

    // Callees that count as changed: functions the diff reports changed or
    // new (by source name), and functions the original did not have.
    std::set<std::string> changed, added;
    for (const auto &f : sel.changed)
        changed.insert(base_name(p.sym(f.psym).name));
    for (const auto &f : sel.added)
        added.insert(base_name(p.sym(f.psym).name));
    for (const auto &name : pd->subprograms)
        if (!od->subprograms.count(name))
            added.insert(name);

    for (size_t k = 0; k < sel.changed.size(); k++) {
        const auto &f = sel.changed[k];
        Function &fn = res.changed_functions.at(k);
        const analysis::DwFunction *pf = find_function(*pd, p, f.psym);
        const analysis::DwFunction *of = find_function(*od, o, uint32_t(f.osym));
        fn.inlines = inline_set(pf);
        if (!pf)
            continue;
        std::string self = base_name(fn.name);
        std::vector<std::string> why;
        std::set<std::string> told;
        // Shortest chain first, so the nearest changed callee is named.
        auto chains = pf->chains;
        std::stable_sort(chains.begin(), chains.end(),
                         [](const auto &a, const auto &b) { return a.size() < b.size(); });
        for (const auto &ch : chains) {
            const std::string &callee = ch.back();
            if (callee == self || told.count(callee))
                continue;
            const char *state = changed.count(callee) ? "changed"
                                : added.count(callee) ? "new"
                                                      : nullptr;
            if (state) {
                why.push_back("inlines " + chain_text(ch) + " (" + state + ")");
                told.insert(callee);
            }
        }
        if (of) {
            auto before = inline_set(of), after = fn.inlines;
            for (const auto &c : after)
                if (!told.count(c) && !std::binary_search(before.begin(), before.end(), c))
                    why.push_back("now inlines " + c + "()");
            for (const auto &c : before)
                if (!std::binary_search(after.begin(), after.end(), c))
                    why.push_back("no longer inlines " + c + "()");
        }
        for (const auto &w : why)
            fn.why += "; " + w;
    }
    for (size_t k = 0; k < sel.added.size(); k++)
        res.new_functions.at(k).inlines = inline_set(find_function(*pd, p, sel.added[k].psym));
}

} // namespace fbsdlp::diff
