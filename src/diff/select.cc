// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Stages 4 and 5, classify and select: decide what the patch carries and
// what it cannot carry.  The rules, each a named function below:
//
//  - a changed function is replaced; a new function is added; a ".cold"
//    child travels with its parent and is never a jump target itself;
//  - new data is added; changed read-only data is added as a new copy, and
//    every function that uses it is replaced so none keeps the old copy;
//  - changed writable data is refused: the running kernel holds live state
//    in it, which a new initialiser cannot reach;
//  - per-CPU (set_pcpu) and VNET (set_vnet) variables are always the
//    kernel's own: a new or changed one is refused;
//  - linker-set entries (set_sysinit_set, set_sysctl_set, ...) are
//    registration data; a new, changed or removed entry is refused, and
//    unchanged ones are never copied;
//  - a changed SYSINIT function that no code of the file calls has already
//    run at boot and never runs again: refused; so is a changed ifunc
//    resolver;
//  - a function too small for a 5-byte jump is refused, and so is one
//    whose first 5 patchable bytes an SDT probe or ifunc call site owns;
//  - an object not built with -ffunction-sections is refused.
// Every refusal names the symbol, the section, the reason and a hint.

#include "context.h"
#include "patchsite.h"

#include <algorithm>
#include <elf.h>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace fbsdlp::diff {

namespace {

struct SetInfo {
    const char *what;
    const char *hint;
};

SetInfo describe_set(std::string_view set) {
    if (set == "set_sysinit_set")
        return {"SYSINIT", "a live patch cannot run boot-time initialisation; do the one-time work "
                           "in a post-patch hook instead"};
    if (set == "set_sysuninit_set")
        return {"SYSUNINIT", "remove the SYSUNINIT change from the fix; it only runs at unload"};
    if (set == "set_sysctl_set")
        return {"sysctl", "a live patch cannot add, remove or change a sysctl; keep the OID as it "
                          "is and change only its handler"};
    if (set == "set_modmetadata_set")
        return {"module metadata", "a live patch cannot change module declarations"};
    if (set.starts_with("set_sdt_"))
        return {"SDT probe", "a live patch cannot register new DTrace probes; use an existing "
                             "probe or leave the probe out of the fix"};
    return {"linker-set", "a live patch cannot change linker-set registrations; keep the set "
                          "entries of the original"};
}

class Selector {
  public:
    Selector(const ObjIndex &o, const ObjIndex &p, const Correlation &c, Comparator &cmp)
        : o_(o), p_(p), c_(c), cmp_(cmp) {}

    Selected run() {
        compare_functions();
        compare_data();
        propagate_rodata_changes();
        check_linker_sets();
        check_init_only();
        check_patchable();
        collect_cold_children();
        return std::move(sel_);
    }

  private:
    void refuse(std::string sym, std::string_view sec, std::string reason, std::string hint) {
        sel_.refusals.push_back(
            Refusal{std::move(sym), std::string(sec), std::move(reason), std::move(hint)});
    }
    std::string pname(uint32_t s) const { return std::string(p_.sym(s).name); }
    std::string_view psec(uint32_t s) const { return p_.sec(p_.sym(s).shndx).name; }

    // A function and its .cold children compared as one unit.
    bool function_same(uint32_t os, uint32_t ps, uint64_t *at, std::string *why) {
        if (!cmp_.same_entity(os, ps, at, why))
            return false;
        const auto &oc = o_.cold_children(os), &pc = p_.cold_children(ps);
        if (oc.size() != pc.size()) {
            *why = "its .cold part was added or removed";
            *at = 0;
            return false;
        }
        for (uint32_t child : pc) {
            int32_t twin = c_.p2o[child];
            uint64_t a;
            std::string w;
            if (twin == kNone || !cmp_.same_entity(uint32_t(twin), child, &a, &w)) {
                *why = "its .cold part changed";
                *at = 0;
                return false;
            }
        }
        return true;
    }

    void compare_functions() {
        for (uint32_t ps : p_.entities()) {
            if (!p_.sym(ps).is_func() || p_.cold_parent(ps) != kNone)
                continue;
            if (!is_patch_text(ps))
                continue;
            int32_t os = c_.p2o[ps];
            if (os == kNone) {
                sel_.added.push_back({ps, kNone, "new function", 0});
                continue;
            }
            uint64_t at = 0;
            std::string why;
            if (!function_same(uint32_t(os), ps, &at, &why))
                mark_changed(ps, why, at);
        }
        for (uint32_t os : o_.entities())
            if (o_.sym(os).is_func() && o_.cold_parent(os) == kNone && c_.o2p[os] == kNone)
                sel_.deleted.push_back(std::string(o_.sym(os).name));
    }

    bool is_patch_text(uint32_t ps) const { return p_.kind(p_.sym(ps).shndx) == SecKind::Text; }

    void mark_changed(uint32_t ps, const std::string &why, uint64_t at) {
        if (changed_.count(ps))
            return;
        int32_t os = c_.p2o[ps];
        if (os == kNone)
            return; // new anyway
        changed_.insert(ps);
        sel_.changed.push_back({ps, os, why, at});
    }

    void compare_data() {
        std::unordered_set<std::string> unpaired_orig_data;
        for (uint32_t os : o_.entities())
            if (!o_.sym(os).is_func() && c_.o2p[os] == kNone)
                unpaired_orig_data.insert(o_.norm(os));

        for (uint32_t ps : p_.entities()) {
            const elf::Symbol &s = p_.sym(ps);
            if (s.is_func())
                continue;
            SecKind k = p_.kind(s.shndx);
            if (k == SecKind::LinkerSet || k == SecKind::Text)
                continue; // set entries: check_linker_sets(); data in text: nothing to do
            int32_t os = c_.p2o[ps];
            if (os == kNone) {
                new_data(ps, k, unpaired_orig_data.count(p_.norm(ps)) != 0);
                continue;
            }
            uint64_t at = 0;
            std::string why;
            if (cmp_.same_entity(uint32_t(os), ps, &at, &why))
                continue;
            changed_data(ps, k, why);
        }
    }

    void new_data(uint32_t ps, SecKind k, bool maybe_renamed) {
        if (k == SecKind::PerCpu || k == SecKind::Vnet) {
            refuse(pname(ps), psec(ps),
                   std::string("new ") + (k == SecKind::PerCpu ? "DPCPU" : "VNET") + " variable",
                   "per-CPU and per-VNET storage is laid out at boot; allocate the state the fix "
                   "needs dynamically, or keep the existing variables");
            return;
        }
        if (maybe_renamed && name_repeats(ps)) {
            // Typically a macro's own "static int warned" (a once-flag or
            // rate-limit state): the author cannot rename it.
            refuse(pname(ps), psec(ps),
                   "cannot tell which original static variable this is: several statics are "
                   "named '" +
                       p_.norm(ps) +
                       "' (as a macro declares them) and their uses do not show which one is the "
                       "kernel's",
                   "make the new use distinguishable from the existing one (a different message "
                   "or call next to it), or move it into a function of its own, so that each "
                   "static is used by different code");
            return;
        }
        if (maybe_renamed) {
            refuse(pname(ps), psec(ps),
                   "cannot tell which original static variable this is (its compiler-generated "
                   "name changed and its users differ)",
                   "give the static variable a name unique in the file, or keep its users "
                   "unchanged, so that the patch keeps using the kernel's variable");
            return;
        }
        sel_.data.push_back(ps);
        new_data_.insert(ps);
    }

    void changed_data(uint32_t ps, SecKind k, const std::string &why) {
        std::string set = set_referring_to(ps);
        if (k == SecKind::PerCpu || k == SecKind::Vnet) {
            refuse(pname(ps), psec(ps),
                   std::string("changed ") + (k == SecKind::PerCpu ? "DPCPU" : "VNET") +
                       " variable (" + why + ")",
                   "the kernel's per-CPU/per-VNET copies keep their values; set the new value "
                   "in a post-patch hook instead");
        } else if (k == SecKind::Data || k == SecKind::Bss) {
            std::string what = set.empty() ? "changed initialiser of existing writable data"
                                           : "changed " + std::string(describe_set(set).what) +
                                                 " data registered in " + set;
            refuse(pname(ps), psec(ps), what + " (" + why + ")",
                   set.empty() ? "the running kernel keeps the old value; leave the initialiser "
                                 "alone and set the new value in a post-patch hook, or use a new "
                                 "variable"
                               : describe_set(set).hint);
        } else {
            // Read-only data: a new copy, used by every function that used the old.
            sel_.data.push_back(ps);
            changed_rodata_.push_back(ps);
        }
    }

    // Another writable static of the patched or original object has the
    // same normalised name.
    bool name_repeats(uint32_t ps) const {
        const std::string &n = p_.norm(ps);
        for (const ObjIndex *ix : {&o_, &p_}) {
            int k = 0;
            for (uint32_t e : ix->entities())
                k += !ix->sym(e).is_func() && ix->norm(e) == n;
            if (k > 1)
                return true;
        }
        return false;
    }

    // The linker set whose entries point at this data, if any.
    std::string set_referring_to(uint32_t ps) const {
        for (uint32_t r : p_.referrers(ps))
            if (p_.kind(p_.sym(r).shndx) == SecKind::LinkerSet)
                return std::string(p_.sec(p_.sym(r).shndx).name);
        return {};
    }

    void propagate_rodata_changes() {
        std::vector<uint32_t> work = changed_rodata_;
        std::unordered_set<uint32_t> seen(work.begin(), work.end());
        while (!work.empty()) {
            uint32_t d = work.back();
            work.pop_back();
            for (uint32_t r : p_.referrers(d)) {
                const elf::Symbol &rs = p_.sym(r);
                SecKind k = p_.kind(rs.shndx);
                if (rs.is_func() && k == SecKind::Text) {
                    uint32_t f = p_.cold_parent(r) != kNone ? uint32_t(p_.cold_parent(r)) : r;
                    mark_changed(f, "uses changed read-only data " + pname(d), 0);
                } else if (k == SecKind::RoData || k == SecKind::RoStrings) {
                    if (seen.insert(r).second && !new_data_.count(r)) {
                        sel_.data.push_back(r);
                        work.push_back(r);
                    }
                } else if ((k == SecKind::Data || k == SecKind::Bss) && !new_data_.count(r)) {
                    refuse(pname(r), psec(r),
                           "writable data refers to changed read-only data " + pname(d),
                           "the kernel's copy keeps pointing at the old data; reach the new data "
                           "only from code, or update the pointer in a post-patch hook");
                }
            }
        }
    }

    // Entries of every set_* section, as symbols of the patched object.
    using Entries = std::multiset<std::string>;
    Entries entries(const ObjIndex &ix, const std::string &set, bool map_to_patched) const {
        Entries out;
        for (const elf::Section &s : ix.obj.sections()) {
            if (ix.kind(s.index) != SecKind::LinkerSet || s.name != set)
                continue;
            for (const elf::Reloc &r : ix.obj.relocs(s.index)) {
                Target t = resolve(ix, s.index, r);
                std::string key;
                if (t.kind == Target::Chunk)
                    key = "<anonymous data>";
                else if (!ix.is_entity(t.sym))
                    key = std::string(ix.sym(t.sym).name);
                else if (map_to_patched)
                    key = c_.o2p[t.sym] == kNone
                              ? "<deleted " + std::string(ix.sym(t.sym).name) + ">"
                              : std::string(p_.sym(uint32_t(c_.o2p[t.sym])).name);
                else
                    key = std::string(ix.sym(t.sym).name);
                out.insert(key);
            }
        }
        return out;
    }

    void check_linker_sets() {
        std::set<std::string> sets;
        for (const ObjIndex *ix : {&o_, &p_})
            for (const elf::Section &s : ix->obj.sections())
                if (ix->kind(s.index) == SecKind::LinkerSet)
                    sets.insert(std::string(s.name));
        for (const std::string &set : sets) {
            Entries oe = entries(o_, set, true), pe = entries(p_, set, false);
            SetInfo info = describe_set(set);
            for (const std::string &e : pe)
                if (oe.count(e) < pe.count(e) && oe.count(e) == 0)
                    refuse(e, set, std::string("new ") + info.what + " entry", info.hint);
            for (const std::string &e : oe)
                if (pe.count(e) == 0)
                    refuse(e, set, std::string("removed ") + info.what + " entry", info.hint);
        }
    }

    // Functions reachable from SYSINIT records: they ran at boot.
    void check_init_only() {
        std::unordered_set<uint32_t> init_funcs;
        for (const elf::Section &s : p_.obj.sections()) {
            if (p_.kind(s.index) != SecKind::LinkerSet || s.name != "set_sysinit_set")
                continue;
            for (const elf::Reloc &r : p_.obj.relocs(s.index)) {
                Target rec = resolve(p_, s.index, r);
                if (rec.kind != Target::Symbol || !p_.is_entity(rec.sym))
                    continue;
                const elf::Symbol &rs = p_.sym(rec.sym);
                for (const elf::Reloc &f : p_.obj.relocs(rs.shndx)) {
                    if (f.offset < rs.value || f.offset >= rs.value + rs.size)
                        continue;
                    Target t = resolve(p_, rs.shndx, f);
                    if (t.kind == Target::Symbol && p_.is_entity(t.sym) && p_.sym(t.sym).is_func())
                        init_funcs.insert(t.sym);
                }
            }
        }
        // A SYSINIT function that code also calls (a sysctl handler, say)
        // is run-time code as well: the fix takes effect at its next call.
        auto called_at_run_time = [&](uint32_t fn) {
            for (uint32_t r : p_.referrers(fn))
                if (p_.sym(r).is_func())
                    return true;
            return false;
        };
        for (const auto &f : sel_.changed)
            if (init_funcs.count(f.psym) && !called_at_run_time(f.psym))
                refuse(pname(f.psym), psec(f.psym),
                       "changed SYSINIT function: it ran once at boot and never runs again, so the "
                       "change would have no effect",
                       "fix the state it set up from a post-patch hook, or move the fix into code "
                       "that runs after boot");
        for (const auto &f : sel_.changed)
            if (p_.sym(f.psym).type == STT_GNU_IFUNC)
                refuse(pname(f.psym), psec(f.psym),
                       "changed ifunc resolver: the kernel resolved it once at boot",
                       "patch the implementations the resolver selects, not the resolver");
    }

    // Code outside ordinary text: an init section is freed after boot (a
    // jump into it lands in freed memory), an exit section may be discarded,
    // and a section we do not know may be either.
    bool check_text_class(const ObjIndex &ix, uint32_t s) {
        std::string_view sec = ix.sec(ix.sym(s).shndx).name;
        switch (classify_text(sec, ix.sym(s).name)) {
        case TextClass::Ordinary: return true;
        case TextClass::InitOnly:
            refuse(std::string(ix.sym(s).name), sec,
                   "function in init-only section " + std::string(sec) +
                       ": it runs once at start-up and its memory may be freed after boot",
                   "a live patch cannot change start-up code; do the work in a post-patch hook "
                   "or move the fix into code that runs after boot");
            return false;
        case TextClass::ExitOnly:
            refuse(std::string(ix.sym(s).name), sec,
                   "function in exit-only section " + std::string(sec) +
                       ": it runs only at exit or unload and may be discarded",
                   "leave exit-time code out of the fix");
            return false;
        case TextClass::Unknown: break;
        }
        refuse(std::string(ix.sym(s).name), sec,
               "function in code section " + std::string(sec) +
                   ", which is not one of the kinds fbsd-patchgen knows (.text, .text.NAME, "
                   ".text.unlikely, .text.hot, .text.split)",
               "the section may be freed after boot or run from elsewhere; move the function "
               "to ordinary .text, or report the section kind");
        return false;
    }

    void check_patchable() {
        for (const auto &list : {&sel_.changed, &sel_.added})
            for (const auto &f : *list) {
                if (!check_text_class(p_, f.psym) || (f.osym != kNone &&
                                                      o_.sec(o_.sym(uint32_t(f.osym)).shndx).name !=
                                                          p_.sec(p_.sym(f.psym).shndx).name &&
                                                      !check_text_class(o_, uint32_t(f.osym))))
                    continue;
                for (uint32_t c : p_.cold_children(f.psym))
                    check_text_class(p_, c);
            }
        for (const auto &list : {&sel_.changed, &sel_.added})
            for (const auto &f : *list)
                if (!sole_function_of_section(p_, f.psym))
                    refuse_shared_section(f.psym);
        for (const auto &f : sel_.changed)
            check_trampoline_site(uint32_t(f.osym));
    }

    // The runtime writes a 5-byte jmp at the old entry (after endbr64): the
    // function must have those bytes, and no other mechanism may own them.
    void check_trampoline_site(uint32_t osym) {
        const elf::Symbol &os = o_.sym(osym);
        std::string_view sec = o_.sec(os.shndx).name;
        const PatchSite &site = analyse_patch_site(o_, osym);
        uint64_t need = site.entry + kJumpSize;
        if (os.size < need) {
            refuse(std::string(os.name), sec,
                   "function is " + std::to_string(os.size) + " bytes, too small for the " +
                       std::to_string(kJumpSize) + "-byte jump" +
                       (site.entry ? " after its endbr64" : ""),
                   "patch its callers instead: mark it __noinline and change them too");
            return;
        }
        for (const std::string &p : site.problems)
            refuse(std::string(os.name), sec, p,
                   "fbsd-patchgen does not understand this patch point; please report it");
        for (const ForeignPatch &fp : site.foreign)
            if (fp.offset < need && fp.offset + fp.len > site.entry)
                refuse(std::string(os.name), sec,
                       "its entry bytes are owned by another mechanism: " + fp.what + " at byte " +
                           std::to_string(fp.offset) +
                           (fp.kind == ForeignPatch::SdtProbe
                                ? " (DTrace rewrites it when the probe is enabled)"
                                : " (the kernel rewrites it at boot)"),
                       "patch its callers instead, or move the " +
                           std::string(fp.kind == ForeignPatch::SdtProbe ? "probe" : "call") +
                           " away from the function's first instructions");
    }

    // The function does not fill its section.  With -ffunction-sections
    // (the section is named after it) what else is there is padding or a
    // prefix symbol (inline assembly, -fpatchable-function-entry, CFI
    // prefixes), not another function the author could split off.
    void refuse_shared_section(uint32_t ps) {
        const elf::Symbol &fs = p_.sym(ps);
        std::string_view sec = psec(ps);
        bool own = sec.ends_with("." + std::string(fs.name)) || sec == ".text." + p_.norm(ps);
        std::vector<std::string> others;
        for (const elf::Symbol &s : p_.obj.symbols())
            if (s.defined() && s.shndx == fs.shndx && s.index != ps && !s.is_section() &&
                !s.name.empty() && others.size() < 4)
                others.push_back(std::string(s.name));
        std::string list;
        for (const auto &n : others)
            list += (list.empty() ? "" : ", ") + n;
        if (own)
            refuse(pname(ps), sec,
                   "section " + std::string(sec) + " holds more than the function" +
                       (list.empty() ? std::string(" (bytes no symbol covers)")
                                     : " (also: " + list + ")") +
                       ": padding or a prefix symbol the replacement cannot be placed with",
                   "the object was built with -ffunction-sections; remove the inline assembly "
                   "or option that puts other symbols or bytes into the function's section, or "
                   "report the shape");
        else
            refuse(pname(ps), sec,
                   "section holds more than one function" +
                       (list.empty() ? std::string() : " (also: " + list + ")"),
                   "build the kernel with -ffunction-sections -fdata-sections "
                   "(CONF_CFLAGS) for both builds");
    }

    static bool sole_function_of_section(const ObjIndex &ix, uint32_t s) {
        const elf::Symbol &sym = ix.sym(s);
        const elf::Section &sec = ix.sec(sym.shndx);
        return sym.value == 0 && sym.size == sec.size;
    }

    void collect_cold_children() {
        for (const auto &list : {&sel_.changed, &sel_.added})
            for (const auto &f : *list)
                for (uint32_t c : p_.cold_children(f.psym))
                    sel_.cold.push_back(c);
    }

    const ObjIndex &o_, &p_;
    const Correlation &c_;
    Comparator &cmp_;
    Selected sel_;
    std::unordered_set<uint32_t> changed_, new_data_;
    std::vector<uint32_t> changed_rodata_;
};

} // namespace

Selected select(const ObjIndex &o, const ObjIndex &p, const Correlation &c, Comparator &cmp) {
    return Selector(o, p, c, cmp).run();
}

} // namespace fbsdlp::diff
