// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Stage 3, compare: are two correlated symbols the same?  Bytes are compared
// with every relocation field masked, because the fields hold placeholders
// that differ for meaningless reasons (a string moved within .rodata.str1.1).
// Relocations are compared by meaning instead: same offset, type and addend,
// and the same target - a twin symbol, an undefined symbol of the same name,
// or an anonymous chunk with the same content (compared recursively, with a
// memo that also breaks reference cycles).

#include "context.h"

#include <algorithm>
#include <cstdio>
#include <elf.h>

namespace fbsdlp::diff {

namespace {

std::string hex(uint64_t v) {
    char b[32];
    snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
    return b;
}

std::pair<size_t, size_t> relocs_in(const std::vector<elf::Reloc> &rs, uint64_t start,
                                    uint64_t len) {
    auto lo = std::lower_bound(rs.begin(), rs.end(), start,
                               [](const elf::Reloc &r, uint64_t v) { return r.offset < v; });
    auto hi = std::lower_bound(lo, rs.end(), start + len,
                               [](const elf::Reloc &r, uint64_t v) { return r.offset < v; });
    return {size_t(lo - rs.begin()), size_t(hi - rs.begin())};
}

} // namespace

bool Comparator::same_target(const Target &a, const Target &b) {
    if (a.kind != b.kind || a.addend != b.addend)
        return false;
    if (a.kind == Target::Symbol) {
        if (o_.is_entity(a.sym))
            return c_.o2p[a.sym] == int32_t(b.sym);
        if (p_.is_entity(b.sym))
            return false;
        const elf::Symbol &x = o_.sym(a.sym), &y = p_.sym(b.sym);
        return x.name == y.name && x.defined() == y.defined() && !x.name.empty();
    }
    uint64_t len = a.end - a.start;
    if (len != b.end - b.start || o_.kind(a.sec) != p_.kind(b.sec))
        return false;
    auto key = std::make_tuple(a.sec, a.start, b.sec, b.start);
    auto [it, fresh] = chunk_memo_.emplace(key, 1); // in progress: assume equal
    if (!fresh)
        return it->second != 0;
    bool same =
        o_.sec(a.sec).nobits() || same_range(a.sec, a.start, b.sec, b.start, len, nullptr, nullptr);
    chunk_memo_[key] = same ? 1 : 0;
    return same;
}

bool Comparator::same_range(uint32_t osec, uint64_t ostart, uint32_t psec, uint64_t pstart,
                            uint64_t len, uint64_t *at, std::string *why) {
    const elf::Section &os = o_.sec(osec), &ps = p_.sec(psec);
    const auto &orl = o_.obj.relocs(osec), &prl = p_.obj.relocs(psec);
    auto [oa, ob] = relocs_in(orl, ostart, len);
    auto [pa, pb] = relocs_in(prl, pstart, len);

    uint64_t first = UINT64_MAX;
    std::string reason;
    auto note = [&](uint64_t off, std::string r) {
        if (off < first) {
            first = off;
            reason = std::move(r);
        }
    };

    // Relocations, pairwise by relative offset.
    size_t i = oa, j = pa;
    while (i < ob || j < pb) {
        if (i < ob && j < pb && orl[i].offset - ostart == prl[j].offset - pstart) {
            const elf::Reloc &x = orl[i], &y = prl[j];
            uint64_t off = x.offset - ostart;
            if (x.type != y.type)
                note(off, "relocation type changed");
            else if (!same_target(resolve(o_, osec, x), resolve(p_, psec, y)))
                note(off, "reference changed");
            if (!at && first != UINT64_MAX)
                return false;
            i++, j++;
            continue;
        }
        uint64_t off = (i < ob && (j >= pb || orl[i].offset - ostart < prl[j].offset - pstart))
                           ? orl[i++].offset - ostart
                           : prl[j++].offset - pstart;
        note(off, "relocations differ");
        if (!at)
            return false;
    }

    // Bytes outside the relocation fields of either side.
    if (!os.nobits() && !ps.nobits()) {
        std::vector<bool> masked(len, false);
        auto mask = [&](const std::vector<elf::Reloc> &rl, size_t a, size_t b, uint64_t start) {
            for (size_t k = a; k < b; k++) {
                uint64_t off = rl[k].offset - start;
                unsigned w = elf::reloc_field_size(rl[k].type);
                for (unsigned q = 0; q < w && off + q < len; q++)
                    masked[off + q] = true;
            }
        };
        mask(orl, oa, ob, ostart);
        mask(prl, pa, pb, pstart);
        const uint8_t *x = os.data.data() + ostart, *y = ps.data.data() + pstart;
        for (uint64_t k = 0; k < len && k < first; k++)
            if (!masked[k] && x[k] != y[k]) {
                note(k, "code or data bytes differ");
                break;
            }
    }
    if (first == UINT64_MAX)
        return true;
    if (at)
        *at = first;
    if (why)
        *why = reason + " at offset " + hex(first);
    return false;
}

bool Comparator::same_entity(uint32_t osym, uint32_t psym, uint64_t *at, std::string *why) {
    const elf::Symbol &x = o_.sym(osym), &y = p_.sym(psym);
    const elf::Section &xs = o_.sec(x.shndx), &ys = p_.sec(y.shndx);
    if (x.is_func() != y.is_func() || x.type != y.type) {
        if (at)
            *at = 0;
        if (why)
            *why = "symbol type changed";
        return false;
    }
    if (xs.nobits() != ys.nobits() || o_.kind(x.shndx) != p_.kind(y.shndx)) {
        if (at)
            *at = 0;
        if (why)
            *why = std::string("moved from ") + sec_kind_name(o_.kind(x.shndx)) + " to " +
                   sec_kind_name(p_.kind(y.shndx));
        return false;
    }
    uint64_t len = std::min(x.size, y.size);
    uint64_t first = 0;
    std::string reason;
    bool same = same_range(x.shndx, x.value, y.shndx, y.value, len, &first, &reason);
    if (same && x.size == y.size)
        return true;
    if (same) {
        first = len;
        reason = "size changed from " + std::to_string(x.size) + " to " + std::to_string(y.size);
    }
    if (at)
        *at = first;
    if (why)
        *why = reason;
    return false;
}

} // namespace fbsdlp::diff
