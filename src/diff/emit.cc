// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Stage 6, emit: write the patch object.  It holds the selected functions
// (each in its own .text.<name> section), the data they need, and the
// livepatch records of kmod-template/include/fbsdlp_abi.h.  Every relocation
// of the copied code is re-expressed against the output:
//
//   - target copied into the patch          -> ordinary relocation to it;
//   - GLOBAL kernel symbol                   -> undefined symbol, resolved by
//                                               the kernel linker at kldload;
//   - LOCAL kernel symbol (a static)         -> livepatch relocation record,
//                                               resolved by livepatch.ko by
//                                               (name, source file, position),
//                                               because the kernel linker
//                                               cannot see statics reliably;
//   - anonymous read-only chunk (a string,   -> copied into .rodata.fbsdlp
//     a jump table)                             (relocations inside follow
//                                               the same rules).
// Replaced functions become LOCAL in the output: their names equal kernel
// globals and must not be offered to the kernel linker.  Only relocation
// types the target profile accepts are written; anything else is refused.

#include "context.h"
#include "patchsite.h"

#include "fbsdlp/elf/writer.h"
#include "fbsdlp/util/hex.h"
#include "fbsdlp_abi.h"

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <map>
#include <unordered_map>

namespace fbsdlp::diff {

bool reloc_type_accepted(uint32_t type, Profile profile) {
    switch (type) {
    case R_X86_64_64:
    case R_X86_64_PC32:
    case R_X86_64_PLT32:
    case R_X86_64_32S: return true;
    case R_X86_64_32: return profile == Profile::Hosted;
    default: return false;
    }
}

bool is_relaxable_gotpcrel(const elf::Section &sec, const elf::Reloc &r) {
    if (r.type != R_X86_64_GOTPCRELX && r.type != R_X86_64_REX_GOTPCRELX)
        return false;
    if (r.offset < 2 || sec.data.size() < r.offset)
        return false;
    return sec.data[r.offset - 2] == 0x8b;
}

namespace {

using elf::ObjectWriter;

template <class T> void put(std::vector<uint8_t> &v, size_t off, const T &x) {
    std::memcpy(v.data() + off, &x, sizeof x);
}

class Emitter {
  public:
    Emitter(const ObjIndex &o, const ObjIndex &p, const Correlation &c, const Selected &sel,
            Profile prof)
        : o_(o), p_(p), c_(c), sel_(sel), profile_(prof) {}

    Emitted run() {
        strings_ = w_.add_section(FBSDLP_SEC_STRINGS, SHT_PROGBITS, SHF_ALLOC, 1, {});
        rodata_ = w_.add_section(".rodata.fbsdlp", SHT_PROGBITS, SHF_ALLOC, 16, {});
        objname_ = std::string(o_.obj.source_file());
        if (objname_.empty()) {
            const std::string &n = o_.obj.name();
            objname_ = n.substr(n.find_last_of('/') + 1);
        }

        // Sections and symbols first, so that relocations can refer to any.
        for (const auto &f : sel_.changed)
            place_function(f.psym, STB_LOCAL);
        for (const auto &f : sel_.added)
            place_function(f.psym, p_.sym(f.psym).bind);
        for (uint32_t c : sel_.cold)
            place_function(c, STB_LOCAL);
        for (uint32_t d : sel_.data)
            place_data(d);

        for (const auto &[psym, out] : placed_) {
            const elf::Symbol &s = p_.sym(psym);
            translate(s.shndx, s.value, s.size, out.sec, 0, s.name);
        }
        write_function_records();
        write_livepatch_relocs();
        w_.add_section(".note.GNU-stack", SHT_PROGBITS, 0, 1, {});

        out_.bytes = w_.write(objname_);
        for (const auto &[name, local] : kernel_syms_)
            out_.kernel_symbols.push_back({name, local});
        return std::move(out_);
    }

  private:
    struct Placed {
        ObjectWriter::SectionId sec;
        ObjectWriter::SymbolId sym;
    };
    struct LpReloc {
        ObjectWriter::SectionId sec;
        uint64_t off;
        std::string name;
        int64_t addend;
        uint32_t type;
    };

    void place_function(uint32_t ps, uint8_t bind) {
        const elf::Symbol &s = p_.sym(ps);
        const elf::Section &sec = p_.sec(s.shndx);
        std::vector<uint8_t> bytes(sec.data.begin() + s.value, sec.data.begin() + s.value + s.size);
        std::string name =
            sec.name == ".text" ? ".text." + std::string(s.name) : std::string(sec.name);
        auto id = w_.add_section(name, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, sec.addralign,
                                 std::move(bytes));
        auto sym = w_.add_symbol(std::string(s.name), s.type, bind, id, 0, s.size);
        placed_.emplace(ps, Placed{id, sym});
    }

    void place_data(uint32_t ps) {
        const elf::Symbol &s = p_.sym(ps);
        const elf::Section &sec = p_.sec(s.shndx);
        bool whole = s.value == 0 && s.size == sec.size;
        std::string name =
            whole ? std::string(sec.name) : std::string(sec.name) + "." + std::string(s.name);
        uint64_t flags = sec.flags & (SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR);
        ObjectWriter::SectionId id;
        if (sec.nobits())
            id = w_.add_nobits(name, flags, sec.addralign, s.size);
        else
            id = w_.add_section(name, SHT_PROGBITS, flags, sec.addralign,
                                std::vector<uint8_t>(sec.data.begin() + s.value,
                                                     sec.data.begin() + s.value + s.size));
        // A changed read-only copy must not clash with the kernel's symbol.
        uint8_t bind = c_.p2o[ps] == kNone ? s.bind : STB_LOCAL;
        auto sym = w_.add_symbol(std::string(s.name), s.type, bind, id, 0, s.size);
        placed_.emplace(ps, Placed{id, sym});
    }

    void refuse(std::string_view where, std::string reason, std::string hint) {
        out_.refusals.push_back(
            Refusal{std::string(where), "", std::move(reason), std::move(hint)});
    }

    // Re-express the relocations of [start, start+len) of patched section
    // psec, copied to output section out at base.
    void translate(uint32_t psec, uint64_t start, uint64_t len, ObjectWriter::SectionId out,
                   uint64_t base, std::string_view owner) {
        const auto &rl = p_.obj.relocs(psec);
        auto it = std::lower_bound(rl.begin(), rl.end(), start,
                                   [](const elf::Reloc &r, uint64_t v) { return r.offset < v; });
        for (; it != rl.end() && it->offset < start + len; ++it) {
            const elf::Reloc &r = *it;
            uint64_t off = base + (r.offset - start);
            if (r.type == R_X86_64_NONE)
                continue;
            std::string where = std::string(owner) + "+" + hex_number(r.offset - start);
            uint32_t type = r.type;
            if (relaxable_gotpcrel(psec, r)) {
                // What ld.lld does when it links kernel.full: the kernel
                // linker has no GOT, so load the address directly.
                w_.data(out)[off - 2] = 0x8d; // mov -> lea
                type = R_X86_64_PC32;
            }
            if (!reloc_type_accepted(type, profile_)) {
                refuse(
                    where,
                    elf::reloc_type_name(r.type) + " relocation is not accepted by " +
                        (profile_ == Profile::Hosted
                             ? std::string("the hosted loader")
                             : std::string("the FreeBSD amd64 kernel linker")),
                    "build both kernels with the kernel's own flags (-mcmodel=kernel, no -fPIC)");
                continue;
            }
            Target t = resolve(p_, psec, r);
            if (t.kind == Target::Chunk) {
                uint64_t at = copy_chunk(t, where);
                if (at != UINT64_MAX)
                    w_.add_reloc(out, off, type, w_.section_symbol(rodata_),
                                 int64_t(at) + t.addend);
                continue;
            }
            const elf::Symbol &ts = p_.sym(t.sym);
            if (auto pl = placed_.find(t.sym); pl != placed_.end()) {
                w_.add_reloc(out, off, type, pl->second.sym, t.addend);
            } else if (!ts.defined()) {
                w_.add_reloc(out, off, type, w_.add_undefined(std::string(ts.name)), t.addend);
                kernel_syms_.emplace(std::string(ts.name), false);
            } else if (!p_.is_entity(t.sym)) {
                refuse(where,
                       "reference to '" + std::string(ts.name) +
                           "', which is neither a function nor data",
                       "the object has a shape fbsd-patchgen does not support; please report it");
            } else if (!ts.local()) {
                w_.add_reloc(out, off, type, w_.add_undefined(std::string(ts.name)), t.addend);
                kernel_syms_.emplace(std::string(ts.name), false);
            } else if (c_.p2o[t.sym] != kNone) {
                std::string kname(o_.sym(uint32_t(c_.p2o[t.sym])).name);
                lp_relocs_.push_back(LpReloc{out, off, kname, t.addend, type});
                kernel_syms_.emplace(kname, true);
                zero_field(out, off, type);
            } else {
                refuse(where,
                       "reference to new local '" + std::string(ts.name) +
                           "' that is not in the patch",
                       "internal inconsistency; please report it");
            }
        }
    }

    // "mov sym@GOTPCREL(%rip), %reg", which clang emits for the stack
    // protector guard on FreeBSD targets.
    bool relaxable_gotpcrel(uint32_t psec, const elf::Reloc &r) const {
        return is_relaxable_gotpcrel(p_.sec(psec), r);
    }

    void zero_field(ObjectWriter::SectionId sec, uint64_t off, uint32_t type) {
        auto &d = w_.data(sec);
        unsigned n = elf::reloc_field_size(type);
        for (unsigned k = 0; k < n && off + k < d.size(); k++)
            d[off + k] = 0;
    }

    uint64_t copy_chunk(const Target &t, const std::string &where) {
        auto key = std::make_pair(t.sec, t.start);
        if (auto it = chunks_.find(key); it != chunks_.end())
            return it->second;
        const elf::Section &sec = p_.sec(t.sec);
        SecKind k = p_.kind(t.sec);
        if (k != SecKind::RoData && k != SecKind::RoStrings) {
            refuse(where,
                   std::string("reference to anonymous ") + sec_kind_name(k) + " in " +
                       std::string(sec.name),
                   "a live patch can copy only read-only anonymous data; give the object a name "
                   "(a static variable) so the patch can use the kernel's copy");
            chunks_.emplace(key, UINT64_MAX);
            return UINT64_MAX;
        }
        auto &d = w_.data(rodata_);
        uint64_t a = std::max<uint64_t>(1, std::min<uint64_t>(sec.addralign, 64));
        while (d.size() % a != t.start % a)
            d.push_back(0);
        uint64_t at = d.size();
        d.insert(d.end(), sec.data.begin() + t.start, sec.data.begin() + t.end);
        chunks_.emplace(key, at);
        translate(t.sec, t.start, t.end - t.start, rodata_, at, std::string(sec.name));
        return at;
    }

    uint64_t add_string(const std::string &s) {
        if (auto it = strs_.find(s); it != strs_.end())
            return it->second;
        auto &d = w_.data(strings_);
        uint64_t at = d.size();
        d.insert(d.end(), s.begin(), s.end());
        d.push_back(0);
        strs_.emplace(s, at);
        return at;
    }

    // Byte ranges of the old function the running kernel may hold with
    // other contents: every relocation field (the linker filled it; a
    // relaxed GOT load also had its opcode rewritten), and every patch
    // point another mechanism rewrites (SDT probe sites, ifunc call sites).
    // Sorted and merged, as the runtime requires.
    std::vector<fbsdlp_mask> old_function_masks(uint32_t osym) const {
        const elf::Symbol &os = o_.sym(osym);
        const elf::Section &osec = o_.sec(os.shndx);
        std::vector<std::pair<uint32_t, uint32_t>> ranges;
        for (const elf::Reloc &r : o_.obj.relocs(os.shndx)) {
            if (r.offset < os.value || r.offset >= os.value + os.size)
                continue;
            uint32_t off = uint32_t(r.offset - os.value);
            uint32_t len = std::max(1u, elf::reloc_field_size(r.type));
            if (is_relaxable_gotpcrel(osec, r) && off >= 2) {
                off -= 2; // the linker rewrote the opcode too
                len += 2;
            }
            ranges.emplace_back(off, len);
        }
        for (const ForeignPatch &fp : analyse_patch_site(o_, osym).foreign)
            ranges.emplace_back(uint32_t(fp.offset), fp.len);
        std::sort(ranges.begin(), ranges.end());
        std::vector<fbsdlp_mask> m;
        for (auto [off, len] : ranges) {
            len = uint32_t(std::min<uint64_t>(len, os.size - off));
            if (!m.empty() && m.back().offset + m.back().len >= off)
                m.back().len = std::max(m.back().len, off + len - m.back().offset);
            else
                m.push_back({off, len});
        }
        return m;
    }

    void write_function_records() {
        if (sel_.changed.empty())
            return;
        std::vector<uint8_t> masks_bytes;
        auto funcs =
            w_.add_section(FBSDLP_SEC_FUNCS, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8,
                           std::vector<uint8_t>(sel_.changed.size() * sizeof(fbsdlp_func)));
        auto masks = w_.add_section(FBSDLP_SEC_MASKS, SHT_PROGBITS, SHF_ALLOC, 4, {});
        auto strsym = w_.section_symbol(strings_);
        auto masksym = w_.section_symbol(masks);
        size_t i = 0;
        for (const auto &f : sel_.changed) {
            const elf::Symbol &os = o_.sym(uint32_t(f.osym));
            const elf::Section &osec = o_.sec(os.shndx);
            std::vector<fbsdlp_mask> m = old_function_masks(uint32_t(f.osym));
            const uint8_t *bytes = osec.data.data() + os.value;
            fbsdlp_func rec{};
            rec.old_hash =
                fbsdlp_hash_masked(bytes, uint32_t(os.size), m.data(), uint32_t(m.size()));
            rec.old_size = uint32_t(os.size);
            rec.new_size = uint32_t(p_.sym(f.psym).size);
            rec.nmasks = uint32_t(m.size());
            if (os.size >= 4 && bytes[0] == 0xf3 && bytes[1] == 0x0f && bytes[2] == 0x1e &&
                bytes[3] == 0xfa)
                rec.flags |= FBSDLP_FUNC_ENDBR;
            size_t at = i * sizeof(fbsdlp_func);
            put(w_.data(funcs), at, rec);
            uint64_t moff = w_.data(masks).size();
            for (const fbsdlp_mask &x : m) {
                auto &md = w_.data(masks);
                md.resize(md.size() + sizeof x);
                put(md, md.size() - sizeof x, x);
            }
            w_.add_reloc(funcs, at + offsetof(fbsdlp_func, new_addr), R_X86_64_64,
                         placed_.at(f.psym).sym, 0);
            w_.add_reloc(funcs, at + offsetof(fbsdlp_func, old_name), R_X86_64_64, strsym,
                         int64_t(add_string(std::string(os.name))));
            w_.add_reloc(funcs, at + offsetof(fbsdlp_func, objname), R_X86_64_64, strsym,
                         int64_t(add_string(objname_)));
            if (!m.empty())
                w_.add_reloc(funcs, at + offsetof(fbsdlp_func, masks), R_X86_64_64, masksym,
                             int64_t(moff));
            i++;
        }
    }

    void write_livepatch_relocs() {
        if (lp_relocs_.empty())
            return;
        auto sec = w_.add_section(FBSDLP_SEC_RELOCS, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8,
                                  std::vector<uint8_t>(lp_relocs_.size() * sizeof(fbsdlp_reloc)));
        auto strsym = w_.section_symbol(strings_);
        for (size_t i = 0; i < lp_relocs_.size(); i++) {
            const LpReloc &lr = lp_relocs_[i];
            fbsdlp_reloc rec{};
            rec.addend = lr.addend;
            rec.type = lr.type;
            size_t at = i * sizeof rec;
            put(w_.data(sec), at, rec);
            w_.add_reloc(sec, at + offsetof(fbsdlp_reloc, place), R_X86_64_64,
                         w_.section_symbol(lr.sec), int64_t(lr.off));
            w_.add_reloc(sec, at + offsetof(fbsdlp_reloc, symname), R_X86_64_64, strsym,
                         int64_t(add_string(lr.name)));
            w_.add_reloc(sec, at + offsetof(fbsdlp_reloc, objname), R_X86_64_64, strsym,
                         int64_t(add_string(objname_)));
        }
        out_.livepatch_relocs = lp_relocs_.size();
    }

    const ObjIndex &o_, &p_;
    const Correlation &c_;
    const Selected &sel_;
    Profile profile_;
    ObjectWriter w_;
    ObjectWriter::SectionId strings_ = 0, rodata_ = 0;
    std::string objname_;
    std::map<uint32_t, Placed> placed_;
    std::map<std::pair<uint32_t, uint64_t>, uint64_t> chunks_;
    std::unordered_map<std::string, uint64_t> strs_;
    std::vector<LpReloc> lp_relocs_;
    std::map<std::string, bool> kernel_syms_;
    Emitted out_;
};

} // namespace

Emitted emit(const ObjIndex &o, const ObjIndex &p, const Correlation &c, const Selected &sel,
             Profile profile) {
    return Emitter(o, p, c, sel, profile).run();
}

} // namespace fbsdlp::diff
