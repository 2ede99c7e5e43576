// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Preflight at source level: the changes the binary analysis would refuse
// after two kernel builds, found in the hunks in seconds.  Reasons and
// hints are worded as the diff engine words its refusals (src/diff/select.cc)
// so that the author reads one message, whichever stage finds it.

#include "hunks.h"

#include "fbsdlp/source/source.h"

#include <algorithm>

namespace fbsdlp::source {

namespace {

struct Registration {
    const char *prefix, *what, *hint;
};

// What each registration macro puts where, and what to do instead.
const Registration kRegistrations[] = {
    {"SYSUNINIT", "SYSUNINIT", "remove the SYSUNINIT change from the fix; it only runs at unload"},
    {"VNET_SYSUNINIT", "SYSUNINIT",
     "remove the SYSUNINIT change from the fix; it only runs at unload"},
    {"SYSINIT", "SYSINIT",
     "a live patch cannot run boot-time initialisation; do the one-time work in a post-patch "
     "hook instead"},
    {"VNET_SYSINIT", "SYSINIT",
     "a live patch cannot run boot-time initialisation; do the one-time work in a post-patch "
     "hook instead"},
    {"SYSCTL_", "sysctl",
     "a live patch cannot add, remove or change a sysctl; keep the OID as it is and change only "
     "its handler"},
    {"MALLOC_DEFINE", "MALLOC_DEFINE (a SYSINIT)",
     "malloc types are registered at boot; use an existing malloc type"},
    {"MODULE_", "module metadata", "a live patch cannot change module declarations"},
    {"DECLARE_MODULE", "module metadata", "a live patch cannot change module declarations"},
    {"DRIVER_MODULE", "module metadata", "a live patch cannot change module declarations"},
    {"SDT_", "SDT probe",
     "a live patch cannot register new DTrace probes; use an existing probe or leave the probe "
     "out of the fix"},
    {"DPCPU_DEFINE", "DPCPU variable",
     "per-CPU and per-VNET storage is laid out at boot; allocate the state the fix needs "
     "dynamically, or keep the existing variables"},
    {"VNET_DEFINE", "VNET variable",
     "per-CPU and per-VNET storage is laid out at boot; allocate the state the fix needs "
     "dynamically, or keep the existing variables"},
    {"", "linker-set",
     "a live patch cannot change linker-set registrations; keep the set entries of the original"},
};

const Registration &registration(const std::string &macro) {
    for (const auto &r : kRegistrations)
        if (macro.rfind(r.prefix, 0) == 0)
            return r;
    return kRegistrations[std::size(kRegistrations) - 1];
}

bool inside_function(const UnitScan &u, const MacroUse &m) {
    for (const auto &d : u.defs)
        if (d.kind == "function" && d.file == m.file && m.begin >= d.begin && m.end <= d.end)
            return true;
    return false;
}

bool hits(unsigned begin, unsigned end, const std::vector<unsigned> &lines) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](unsigned l) { return l >= begin && l <= end; });
}

} // namespace

std::vector<Finding> preflight(const srcpatch::FilePatch &fp, const std::string &path_abs,
                               const std::vector<Touched> &touched, const UnitScan &orig,
                               const UnitScan &patched) {
    std::vector<Finding> out;
    auto add = [&](unsigned line, const std::string &sym, const std::string &reason,
                   const std::string &hint) {
        for (const auto &f : out)
            if (f.symbol == sym && f.reason == reason)
                return;
        out.push_back({fp.path, line, sym, reason, hint});
    };
    auto hl = hunk_lines(fp, path_abs);

    // Registrations at file scope in changed lines: new, removed or changed.
    std::vector<unsigned> reg_lines; // lines of registration macros already reported
    for (size_t i = 0; i < hl.size(); i++)
        for (const auto *side : {&orig, &patched}) {
            const auto &lines = side == &orig ? hl[i].removed : hl[i].added;
            for (const auto &m : side->macro_uses) {
                if (m.file != path_abs || !hits(m.begin, m.end, lines) || inside_function(*side, m))
                    continue;
                bool known = false;
                for (const char *p : {"SYSINIT",          "SYSUNINIT",
                                      "SYSCTL_",          "MALLOC_DEFINE",
                                      "DATA_SET",         "TEXT_SET",
                                      "BSS_SET",          "ABS_SET",
                                      "SET_ENTRY",        "EVENTHANDLER_DEFINE",
                                      "SDT_PROBE_DEFINE", "SDT_PROVIDER_DEFINE",
                                      "MODULE_DEPEND",    "MODULE_VERSION",
                                      "DECLARE_MODULE",   "DRIVER_MODULE",
                                      "DPCPU_DEFINE",     "VNET_DEFINE",
                                      "VNET_SYSINIT",     "VNET_SYSUNINIT"})
                    known |= m.name.rfind(p, 0) == 0;
                if (!known)
                    continue;
                const Registration &r = registration(m.name);
                std::string sym = m.args.empty() ? m.name : m.args.front();
                add(m.begin, sym,
                    std::string(side == &orig ? "removed or changed " : "new or changed ") +
                        r.what + " declaration (" + m.name + ")",
                    r.hint);
                reg_lines.push_back(m.begin);
            }
        }

    for (const auto &t : touched) {
        if (!t.tokens_changed)
            continue; // comments and white space only
        bool both = t.in_orig && t.in_patched;
        if (both &&
            (t.kind == "struct" || t.kind == "union" || t.kind == "enum" || t.kind == "typedef"))
            add(t.line, t.kind + " " + t.name,
                "changed " + t.kind +
                    " definition: every existing instance and every unpatched "
                    "user in the running kernel keep the old " +
                    (t.kind == "enum" ? std::string("values") : std::string("layout")),
                "keep the type as it is; put new state in a separate structure the patched code "
                "allocates, or use a spare field");
        if (both && t.kind == "variable" && !t.is_const) {
            // A registration macro's own variable is reported above.
            if (std::find(reg_lines.begin(), reg_lines.end(), t.line) != reg_lines.end())
                continue;
            bool set_var = false;
            for (const auto &m : patched.macro_uses)
                set_var |= m.file == path_abs && t.line >= m.begin && t.line <= m.end &&
                           registration(m.name).prefix[0] != 0;
            if (set_var)
                continue;
            if (t.orig_type != t.patched_type)
                add(t.line, t.name,
                    "changed type of existing writable data (" + t.orig_type + " -> " +
                        t.patched_type + ")",
                    "the running kernel's variable keeps its old size and layout; add a new "
                    "variable instead");
            else
                add(t.line, t.name, "changed initialiser of existing writable data",
                    "the running kernel keeps the old value; leave the initialiser alone and set "
                    "the new value in a post-patch hook, or use a new variable");
        }
    }

    // A changed function that a SYSINIT runs at boot, and nothing calls.
    for (const auto &t : touched) {
        if (t.kind != "function" || !t.tokens_changed || !t.in_orig || !t.in_patched)
            continue;
        bool sysinit = false, called = false;
        for (const auto &m : patched.macro_uses)
            if ((m.name.rfind("SYSINIT", 0) == 0 || m.name.rfind("VNET_SYSINIT", 0) == 0) &&
                std::find(m.args.begin(), m.args.end(), t.name) != m.args.end())
                sysinit = true;
        for (const auto &d : patched.defs)
            called |= d.kind == "function" && d.name != t.name && d.calls.count(t.name);
        if (sysinit && !called)
            add(t.line, t.name,
                "changed SYSINIT function: it ran once at boot and never runs again, so the change "
                "would have no effect",
                "fix the state it set up from a post-patch hook, or move the fix into code that "
                "runs after boot");
    }

    // Inline assembly in changed lines.
    for (size_t i = 0; i < hl.size(); i++)
        for (const auto *side : {&orig, &patched}) {
            const auto &lines = side == &orig ? hl[i].removed : hl[i].added;
            for (const auto &d : side->defs)
                for (unsigned a : d.asm_lines)
                    if (d.file == path_abs && hits(a, a, lines))
                        add(a, d.name, "changed inline assembly",
                            "the generator compares machine code but cannot tell what inline "
                            "assembly does to the machine state, the stack or other CPUs; keep "
                            "the assembly as it is and change the C around it");
        }
    return out;
}

} // namespace fbsdlp::source
