// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Trampoline-site analysis (see patchsite.h).
//
// SDT: FreeBSD 15 emits every probe site as an asm goto whose body is a
// 5-byte nop (sys/<arch>/include/sdt_machdep.h) and records a struct
// sdt_tracepoint {probe, patchpoint, target, link} in the linker set
// set_sdt_tracepoint_set; sdt_tracepoint_patch() writes "e9 rel32" over the
// 5 bytes at patchpoint and sdt_tracepoint_restore() five 0x90.  So the
// patchpoint is the first pointer into text of each 32-byte record; the
// bytes there must decode as nops covering exactly 5 bytes, or the object
// has a shape we do not understand.
//
// ifunc: with -z ifunc-noplt the kernel keeps a text relocation at every
// call or jump to an STT_GNU_IFUNC symbol and applies it at boot
// (link_elf_ireloc), so the 4-byte field of that call holds the resolved
// implementation.  Every relocation field is masked for the hash anyway;
// here the sites are identified so that an entry they overlap is refused.
// Only ifuncs defined in the same object are visible: a call to an ifunc
// of another file looks like any other undefined call (still masked).

#include "patchsite.h"
#include "fbsdlp/util/hex.h"

#include <algorithm>
#include <cstdio>
#include <elf.h>
#include <map>

namespace fbsdlp::diff {

namespace {

constexpr const char *kTracepointSet = "set_sdt_tracepoint_set";
constexpr uint64_t kTracepointSize = 32; // struct sdt_tracepoint on LP64

std::string hex(uint64_t v) { return hex_number(v); }

// Where a pointer relocation points: (section, offset), or none.
bool pointee(const ObjIndex &ix, const elf::Reloc &r, uint32_t *sec, uint64_t *off) {
    const elf::Symbol &s = ix.sym(r.sym);
    if (!s.defined())
        return false;
    int64_t pos = (s.is_section() ? 0 : int64_t(s.value)) + r.addend;
    if (pos < 0)
        return false;
    *sec = s.shndx;
    *off = uint64_t(pos);
    return true;
}

// The probe's name from the record's first relocation, for messages.
std::string probe_name(const ObjIndex &ix, const elf::Reloc *probe) {
    if (!probe)
        return "SDT probe";
    std::string_view n = ix.sym(probe->sym).name;
    return n.empty() ? std::string("SDT probe") : "SDT probe " + std::string(n);
}

void find_sdt_sites(const ObjIndex &ix, const elf::Symbol &fn, PatchSite &site) {
    const elf::Section &text = ix.sec(fn.shndx);
    for (const elf::Section &set : ix.obj.sections()) {
        if (set.name != kTracepointSet)
            continue;
        // Per record: its relocations in offset order.
        std::map<uint64_t, std::vector<const elf::Reloc *>> records;
        for (const elf::Reloc &r : ix.obj.relocs(set.index))
            records[r.offset / kTracepointSize].push_back(&r);
        for (const auto &[rec, rs] : records) {
            const elf::Reloc *patchpoint = nullptr, *probe = nullptr;
            uint32_t psec = 0;
            uint64_t poff = 0;
            for (const elf::Reloc *r : rs) {
                uint32_t sec;
                uint64_t off;
                if (!pointee(ix, *r, &sec, &off) || !ix.sec(sec).exec()) {
                    if (!probe)
                        probe = r;
                    continue;
                }
                patchpoint = r, psec = sec, poff = off;
                break; // the first text pointer; the jump target follows it
            }
            if (!patchpoint || psec != fn.shndx || poff < fn.value || poff >= fn.value + fn.size)
                continue;
            uint64_t at = poff - fn.value;
            std::string what = probe_name(ix, probe);
            // Decode: whole nops from the patchpoint, exactly 5 bytes.
            uint64_t end = poff;
            bool ok = true;
            while (end < poff + kJumpSize) {
                analysis::InsnInfo in = ix.dis.info(text.data, end);
                if (in.length == 0 || !in.nop) {
                    ok = false;
                    break;
                }
                end += in.length;
            }
            if (!ok || end != poff + kJumpSize || end > fn.value + fn.size) {
                site.problems.push_back(what + " at +" + hex(at) +
                                        " is not the 5-byte nop the kernel patches");
                continue;
            }
            site.foreign.push_back({ForeignPatch::SdtProbe, at, uint32_t(kJumpSize), what});
        }
    }
}

void find_ifunc_calls(const ObjIndex &ix, const elf::Symbol &fn, PatchSite &site) {
    const elf::Section &text = ix.sec(fn.shndx);
    const auto &starts = ix.insn_starts(fn.shndx);
    for (const elf::Reloc &r : ix.obj.relocs(fn.shndx)) {
        if (r.offset < fn.value || r.offset >= fn.value + fn.size)
            continue;
        const elf::Symbol &t = ix.sym(r.sym);
        if (t.type != STT_GNU_IFUNC)
            continue;
        std::string what = "ifunc call to " + std::string(t.name);
        uint64_t at = r.offset - fn.value;
        // The field must be the displacement of a call or jmp.
        auto it = std::upper_bound(starts.begin(), starts.end(), uint32_t(r.offset));
        analysis::InsnInfo in;
        if (it != starts.begin())
            in = ix.dis.info(text.data, *(it - 1));
        if (in.length == 0 || !(in.call || in.branch) || *(it - 1) + in.length != r.offset + 4) {
            site.problems.push_back("reference to ifunc " + std::string(t.name) + " at +" +
                                    hex(at) + " is not a direct call or jump");
            continue;
        }
        site.foreign.push_back(
            {ForeignPatch::IfuncCall, at, std::max(1u, elf::reloc_field_size(r.type)), what});
    }
}

} // namespace

namespace {

PatchSite compute_patch_site(const ObjIndex &ix, uint32_t sym) {
    PatchSite site;
    const elf::Symbol &fn = ix.sym(sym);
    const elf::Section &text = ix.sec(fn.shndx);
    if (text.nobits() || fn.value + fn.size > text.data.size())
        return site;
    const uint8_t *b = text.data.data() + fn.value;
    if (fn.size >= 4 && b[0] == 0xf3 && b[1] == 0x0f && b[2] == 0x1e && b[3] == 0xfa)
        site.entry = 4; // endbr64: the runtime writes its jump after it
    find_sdt_sites(ix, fn, site);
    find_ifunc_calls(ix, fn, site);
    std::sort(site.foreign.begin(), site.foreign.end(),
              [](const ForeignPatch &a, const ForeignPatch &b) { return a.offset < b.offset; });
    return site;
}

} // namespace

const PatchSite &analyse_patch_site(const ObjIndex &ix, uint32_t sym) {
    auto &slot = ix.patch_sites_[sym];
    if (!slot)
        slot = std::make_shared<const PatchSite>(compute_patch_site(ix, sym));
    return *slot;
}

} // namespace fbsdlp::diff
