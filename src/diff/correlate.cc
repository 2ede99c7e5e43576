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
//   3b. usage, for writable data whose normalised name occurs more than
//      once on a side (a macro's "static int warned" used twice in one
//      function): both compilers renumber those ("warned.0"/"warned.1",
//      clang "f.warned"/"f.warned.1", the first in source order taking the
//      plain name), so their names say nothing.  Their references are
//      placed in an alignment of the old and new bodies of the functions
//      using them (below) and paired when every reference agrees;
//   4. exact numbered name plus the same referrers (clang's per-field
//      split of a static struct: "s.0", "s.1"), except for the writable
//      data of 3b;
//   5. LOCAL names made from __LINE__/__COUNTER__: digits masked, paired
//      when their contents agree (repeated, so records pointing at paired
//      symbols pair in turn);
//   6. nothing: an unpaired original symbol was deleted, an unpaired patched
//      one is new.  We never pair by position: a wrong pair would make the
//      patch read or write the wrong variable.  (An unpaired patched
//      static whose normalised name an unpaired original one shares is
//      refused by the selection: it may be the kernel's variable.)
//
// Kind must agree (function with function, data with data) at every level.
// Anonymous data (.L strings, jump tables) has no symbol; it is matched
// through the relocations of its referrers during comparison.

#include "context.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

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

// Data that holds kernel state: a wrong pair there reads or writes the
// wrong variable.
bool writable(const ObjIndex &ix, uint32_t s) {
    SecKind k = ix.kind(ix.sym(s).shndx);
    return k == SecKind::Data || k == SecKind::Bss || k == SecKind::PerCpu || k == SecKind::Vnet;
}

// Normalised names of writable data that occur more than once on a side.
std::unordered_set<std::string> repeated_names(const ObjIndex &o, const ObjIndex &p) {
    std::unordered_set<std::string> out;
    for (const ObjIndex *ix : {&o, &p}) {
        std::unordered_map<std::string, int> n;
        for (uint32_t e : ix->entities())
            if (!ix->sym(e).is_func() && writable(*ix, e) && ++n[ix->norm(e)] == 2)
                out.insert(ix->norm(e));
    }
    return out;
}

// One relocation of a function body, as the usage alignment sees it: a
// member of a repeated-name group (compared by group, type and addend), or
// an anchor compared by what it refers to - a string's text, a paired
// symbol, an undefined symbol's name.
struct UseTok {
    std::string key;        // anchors only
    int32_t member = kNone; // the group member referred to
    uint32_t type = 0;
    int64_t addend = 0;
};

std::vector<UseTok> use_tokens(const ObjIndex &ix, uint32_t fn, bool is_orig, const Correlation &c,
                               const std::unordered_set<uint32_t> &members) {
    std::vector<UseTok> out;
    const elf::Symbol &f = ix.sym(fn);
    for (const elf::Reloc &r : ix.obj.relocs(f.shndx)) {
        if (r.offset < f.value || r.offset >= f.value + f.size)
            continue;
        Target t = resolve(ix, f.shndx, r);
        UseTok tok;
        tok.type = r.type;
        tok.addend = t.addend;
        if (t.kind == Target::Chunk) {
            const elf::Section &s = ix.sec(t.sec);
            tok.key =
                "c" + std::to_string(int(ix.kind(t.sec))) + ":" +
                (s.nobits() ? std::to_string(t.end - t.start)
                            : std::string(reinterpret_cast<const char *>(s.data.data()) + t.start,
                                          std::min<uint64_t>(t.end - t.start, 64)));
        } else if (members.count(t.sym)) {
            tok.member = int32_t(t.sym);
        } else if (ix.is_entity(t.sym)) {
            int32_t orig =
                is_orig ? (c.o2p[t.sym] != kNone ? int32_t(t.sym) : kNone) : c.p2o[t.sym];
            tok.key = orig != kNone ? "e" + std::to_string(orig) : "n" + ix.norm(t.sym);
        } else {
            tok.key = "u" + std::string(ix.sym(t.sym).name);
        }
        out.push_back(std::move(tok));
    }
    return out;
}

// For every anchor of a, the index of its partner in b (longest common
// subsequence of the anchors), or -1.
std::vector<int32_t> align_anchors(const std::vector<UseTok> &a, const std::vector<UseTok> &b) {
    std::vector<int32_t> img(a.size(), -1);
    std::vector<size_t> ai, bi;
    for (size_t i = 0; i < a.size(); i++)
        if (a[i].member == kNone)
            ai.push_back(i);
    for (size_t i = 0; i < b.size(); i++)
        if (b[i].member == kNone)
            bi.push_back(i);
    size_t n = ai.size(), m = bi.size();
    if (n == 0 || m == 0 || n * m > (size_t(1) << 24))
        return img; // nothing to align, or too large: no votes
    std::vector<uint32_t> dp((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t & { return dp[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            at(i, j) = a[ai[i]].key == b[bi[j]].key ? at(i + 1, j + 1) + 1
                                                    : std::max(at(i + 1, j), at(i, j + 1));
    for (size_t i = 0, j = 0; i < n && j < m;) {
        if (a[ai[i]].key == b[bi[j]].key) {
            img[ai[i]] = int32_t(bi[j]);
            i++, j++;
        } else if (at(i + 1, j) >= at(i, j + 1)) {
            i++;
        } else {
            j++;
        }
    }
    return img;
}

// Level 3b: pair the members of repeated-name groups by where their
// references sit.  A reference in the old body is followed (or preceded)
// by its nearest anchor, perhaps across other member references; when that
// anchor has a partner in the new body, the reference at the same distance
// from the partner is the twin's, if it is a member of the same group with
// the same type and addend and only member references lie between.  Only
// anchors unique in both bodies count (a string printed once, a call made
// once): the alignment pairs repeated ones arbitrarily.  Each
// direction of each reference gives one vote; a pair is made only when
// every vote of the old member names the same new member and every vote for
// that new member comes from it.  No vote, or split votes: left unpaired
// (the selection refuses it).
void pair_by_usage(Funnel &f, const std::unordered_set<std::string> &repeated) {
    const ObjIndex &o = f.o, &p = f.p;
    Correlation &c = f.c;
    std::unordered_set<uint32_t> om, pm;
    for (uint32_t e : o.entities())
        if (c.o2p[e] == kNone && !o.sym(e).is_func() && repeated.count(o.norm(e)))
            om.insert(e);
    for (uint32_t e : p.entities())
        if (c.p2o[e] == kNone && !p.sym(e).is_func() && repeated.count(p.norm(e)))
            pm.insert(e);
    if (om.empty() || pm.empty())
        return;
    // Function pairs whose bodies refer to members.
    std::set<std::pair<uint32_t, uint32_t>> bodies;
    for (uint32_t m : om)
        for (uint32_t r : o.referrers(m))
            if (o.sym(r).is_func() && c.o2p[r] != kNone)
                bodies.insert({r, uint32_t(c.o2p[r])});
    for (uint32_t m : pm)
        for (uint32_t r : p.referrers(m))
            if (p.sym(r).is_func() && c.p2o[r] != kNone)
                bodies.insert({uint32_t(c.p2o[r]), r});

    std::map<uint32_t, std::set<uint32_t>> votes_of, votes_for;
    for (auto [of, pf] : bodies) {
        std::vector<UseTok> a = use_tokens(o, of, true, c, om), b = use_tokens(p, pf, false, c, pm);
        std::vector<int32_t> img = align_anchors(a, b);
        // Only an anchor that occurs once in each body places a reference:
        // the alignment picks one of repeated ones arbitrarily.
        std::unordered_map<std::string, int> na, nb;
        for (const UseTok &t : a)
            na[t.key] += t.member == kNone;
        for (const UseTok &t : b)
            nb[t.key] += t.member == kNone;
        auto vote = [&](size_t i, long step) {
            long j = long(i) + step;
            while (j >= 0 && j < long(a.size()) && a[size_t(j)].member != kNone)
                j += step;
            if (j < 0 || j >= long(a.size()) || img[size_t(j)] < 0)
                return;
            if (na[a[size_t(j)].key] != 1 || nb[a[size_t(j)].key] != 1)
                return;
            long q = img[size_t(j)] - (j - long(i));
            if (q < 0 || q >= long(b.size()))
                return;
            for (long k = q; k != img[size_t(j)]; k += step)
                if (b[size_t(k)].member == kNone)
                    return;
            const UseTok &x = a[i], &y = b[size_t(q)];
            if (o.norm(uint32_t(x.member)) != p.norm(uint32_t(y.member)) || x.type != y.type ||
                x.addend != y.addend)
                return;
            votes_of[uint32_t(x.member)].insert(uint32_t(y.member));
            votes_for[uint32_t(y.member)].insert(uint32_t(x.member));
        };
        for (size_t i = 0; i < a.size(); i++)
            if (a[i].member != kNone) {
                vote(i, 1);
                vote(i, -1);
            }
    }
    for (uint32_t e : o.entities()) {
        if (!om.count(e))
            continue;
        auto v = votes_of.find(e);
        if (v == votes_of.end() || v->second.size() != 1) {
            if (f.log)
                f.log->push_back("correlate: usage: " + std::string(o.sym(e).name) + ": " +
                                 (v == votes_of.end()
                                      ? "no reference aligns"
                                      : "references align with " +
                                            std::to_string(v->second.size()) + " patched symbols"));
            continue;
        }
        uint32_t t = *v->second.begin();
        if (votes_for[t].size() != 1) {
            if (f.log)
                f.log->push_back("correlate: usage: " + std::string(p.sym(t).name) +
                                 ": references align with " + std::to_string(votes_for[t].size()) +
                                 " original symbols");
            continue;
        }
        f.pair(e, t, "usage");
    }
}

} // namespace

Correlation correlate(const ObjIndex &o, const ObjIndex &p, std::vector<std::string> *log) {
    Correlation c;
    c.o2p.assign(o.obj.symbols().size(), kNone);
    c.p2o.assign(p.obj.symbols().size(), kNone);
    Funnel f{o, p, c, log};
    // Writable data whose name repeats: never paired by name alone.
    const std::unordered_set<std::string> repeated = repeated_names(o, p);
    auto repeats = [&](const ObjIndex &ix, uint32_t s) {
        return !ix.sym(s).is_func() && repeated.count(ix.norm(s)) != 0;
    };

    // Level 1: exact, un-numbered names.
    f.by_unique_key(
        [&](const ObjIndex &ix, uint32_t s) -> std::string {
            const elf::Symbol &sym = ix.sym(s);
            if (numbered(sym.name, ix.norm(s)) || repeats(ix, s))
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

    // Level 3b: repeated names of writable data, by usage.
    pair_by_usage(f, repeated);

    // Level 4: the exact numbered name plus referrers.  Clang splits a static
    // struct into per-field globals "s.0", "s.1" used by the same functions;
    // the field number is stable where GCC's counter is not, and requiring
    // the same users keeps a shifted GCC number from pairing wrongly.
    f.by_unique_key(
        [&](const ObjIndex &ix, uint32_t s) -> std::string {
            if (repeats(ix, s))
                return {};
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
            [&](const ObjIndex &ix, uint32_t s) {
                return repeats(ix, s) ? std::string() : content_key(ix, s, &ix == &o, c);
            },
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
