// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Stage 2, correlate: pair every function and data symbol of the original
// object with its twin in the patched one.  A funnel of levels, the most
// certain first; each level only looks at what the previous ones left:
//
//   1. exact name, for names the compiler did not number (globals, statics,
//      clang's "func.var" static locals): unique on both sides;
//   2. normalised name ("x.3" -> "x", "f.isra.0" -> "f.isra"), unique on
//      both sides among the symbols still unpaired;
//   3. normalised name plus the set of functions that refer to the symbol:
//      GCC numbers static locals per file, so two "count.N" of different
//      functions are told apart by who uses them;
//   4. exact numbered name plus the same referrers (clang's per-field
//      split of a static struct: "s.0", "s.1");
//   5. LOCAL names made from __LINE__/__COUNTER__: digits masked, paired
//      when their contents agree (repeated, so records pointing at paired
//      symbols pair in turn);
//   6. nothing: an unpaired original symbol was deleted, an unpaired patched
//      one is new.  We never pair by position: a wrong pair would make the
//      patch read or write the wrong variable.
//
// Kind must agree (function with function, data with data) at every level.
// Anonymous data (.L strings, jump tables) has no symbol; it is matched
// through the relocations of its referrers during comparison.

#include "context.h"

#include <algorithm>
#include <unordered_map>

namespace fbsdlp::diff {

namespace {

bool numbered(std::string_view name, const std::string &norm) { return name != norm; }

char kind_of(const elf::Symbol &s) { return s.is_func() ? 'F' : 'D'; }

struct Funnel {
    const ObjIndex &o, &p;
    Correlation &c;
    std::vector<std::string> *log;

    void pair(uint32_t a, uint32_t b, const char *level) {
        c.o2p[a] = int32_t(b);
        c.p2o[b] = int32_t(a);
        if (log)
            log->push_back(std::string("correlate: ") + level + ": " + std::string(o.sym(a).name) +
                           " <-> " + std::string(p.sym(b).name));
    }

    // Pairs symbols whose key is unique among the unpaired on each side.
    template <class KeyFn> void by_unique_key(KeyFn key, const char *level) {
        std::unordered_map<std::string, std::pair<int32_t, int>> ok, pk;
        for (uint32_t e : o.entities())
            if (c.o2p[e] == kNone)
                if (auto k = key(o, e); !k.empty()) {
                    auto &slot = ok[k];
                    slot.first = int32_t(e);
                    slot.second++;
                }
        for (uint32_t e : p.entities())
            if (c.p2o[e] == kNone)
                if (auto k = key(p, e); !k.empty()) {
                    auto &slot = pk[k];
                    slot.first = int32_t(e);
                    slot.second++;
                }
        // Deterministic order: walk the original's symbols.
        for (uint32_t e : o.entities()) {
            if (c.o2p[e] != kNone)
                continue;
            auto k = key(o, e);
            if (k.empty())
                continue;
            auto a = ok.find(k);
            auto b = pk.find(k);
            if (a == ok.end() || b == pk.end())
                continue;
            if (a->second.second == 1 && b->second.second == 1)
                pair(uint32_t(a->second.first), uint32_t(b->second.first), level);
            else if (log && a->second.first == int32_t(e))
                log->push_back("correlate: " + std::string(level) + ": ambiguous key '" + k +
                               "' (" + std::to_string(a->second.second) + " orig, " +
                               std::to_string(b->second.second) + " patched)");
        }
    }
};

std::string mask_digits(std::string_view name) {
    std::string out;
    for (char ch : name) {
        bool d = ch >= '0' && ch <= '9';
        if (!d)
            out += ch;
        else if (out.empty() || out.back() != '#')
            out += '#';
    }
    return out;
}

// Name with digits masked, size, bytes outside relocation fields, and each
// relocation's target: a paired symbol by its original index, anything else
// by masked name or content.
std::string content_key(const ObjIndex &ix, uint32_t s, bool is_orig, const Correlation &c) {
    const elf::Symbol &sym = ix.sym(s);
    if (!sym.local() || mask_digits(sym.name) == std::string(sym.name))
        return {};
    std::string k =
        std::string(1, kind_of(sym)) + mask_digits(sym.name) + "/" + std::to_string(sym.size);
    const elf::Section &sec = ix.sec(sym.shndx);
    if (sec.nobits() || sym.size > 4096)
        return k;
    std::string bytes(reinterpret_cast<const char *>(sec.data.data() + sym.value), sym.size);
    for (const elf::Reloc &r : ix.obj.relocs(sym.shndx)) {
        if (r.offset < sym.value || r.offset >= sym.value + sym.size)
            continue;
        uint64_t off = r.offset - sym.value;
        for (unsigned q = 0; q < elf::reloc_field_size(r.type) && off + q < bytes.size(); q++)
            bytes[off + q] = 0;
        Target t = resolve(ix, sym.shndx, r);
        k += "|" + std::to_string(off) + ":" + std::to_string(r.type) + ":" +
             std::to_string(t.addend) + ":";
        if (t.kind == Target::Chunk) {
            k += "c" +
                 std::string(reinterpret_cast<const char *>(ix.sec(t.sec).data.data() + t.start),
                             ix.sec(t.sec).nobits() ? 0 : std::min<uint64_t>(t.end - t.start, 256));
        } else if (ix.is_entity(t.sym)) {
            int32_t orig =
                is_orig ? (c.o2p[t.sym] != kNone ? int32_t(t.sym) : kNone) : c.p2o[t.sym];
            k += orig != kNone ? "p" + std::to_string(orig) : "n" + mask_digits(ix.sym(t.sym).name);
        } else {
            k += "u" + std::string(ix.sym(t.sym).name);
        }
    }
    return k + "|" + bytes;
}

} // namespace

Correlation correlate(const ObjIndex &o, const ObjIndex &p, std::vector<std::string> *log) {
    Correlation c;
    c.o2p.assign(o.obj.symbols().size(), kNone);
    c.p2o.assign(p.obj.symbols().size(), kNone);
    Funnel f{o, p, c, log};

    // Level 1: exact, un-numbered names.
    f.by_unique_key(
        [](const ObjIndex &ix, uint32_t s) -> std::string {
            const elf::Symbol &sym = ix.sym(s);
            if (numbered(sym.name, ix.norm(s)))
                return {};
            return std::string(1, kind_of(sym)) + std::string(sym.name);
        },
        "name");

    // Level 2: normalised names.
    f.by_unique_key(
        [](const ObjIndex &ix, uint32_t s) -> std::string {
            return std::string(1, kind_of(ix.sym(s))) + ix.norm(s);
        },
        "normalised name");

    // Level 3: normalised name + who refers to it.  Referrers are named by
    // their twin-independent normalised names, so the key is comparable.
    auto referrer_key = [](const ObjIndex &ix, uint32_t s) -> std::string {
        std::vector<std::string> names;
        for (uint32_t r : ix.referrers(s))
            if (ix.sym(r).is_func())
                names.push_back(ix.norm(r));
        if (names.empty())
            return {};
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        std::string k(1, kind_of(ix.sym(s)));
        k += ix.norm(s);
        for (const auto &n : names)
            k += "|" + n;
        return k;
    };
    f.by_unique_key(referrer_key, "referrers");

    // Level 4: the exact numbered name plus referrers.  Clang splits a static
    // struct into per-field globals "s.0", "s.1" used by the same functions;
    // the field number is stable where GCC's counter is not, and requiring
    // the same users keeps a shifted GCC number from pairing wrongly.
    f.by_unique_key(
        [&](const ObjIndex &ix, uint32_t s) -> std::string {
            std::string k = referrer_key(ix, s);
            return k.empty() ? k : k + "#" + std::string(ix.sym(s).name);
        },
        "exact name and referrers");

    // Level 5: names generated from __LINE__ or __COUNTER__
    // ("__tunable_int_120", "__Tunable_init_120_sys_init") shift whenever
    // lines are added above them.  Pair LOCAL symbols whose names agree with
    // digits masked and whose contents agree, where references to symbols
    // already paired count as equal.  Repeat: pairing the tunable lets its
    // SYSINIT record pair, which lets the linker-set entry pair.
    for (int round = 0; round < 4; round++) {
        size_t before =
            std::count_if(c.o2p.begin(), c.o2p.end(), [](int32_t x) { return x != kNone; });
        f.by_unique_key(
            [&](const ObjIndex &ix, uint32_t s) { return content_key(ix, s, &ix == &o, c); },
            "masked name and content");
        size_t after =
            std::count_if(c.o2p.begin(), c.o2p.end(), [](int32_t x) { return x != kNone; });
        if (after == before)
            break;
    }

    if (log)
        for (uint32_t e : o.entities())
            if (c.o2p[e] == kNone)
                log->push_back("correlate: unpaired in orig: " + std::string(o.sym(e).name));
    return c;
}

} // namespace fbsdlp::diff
