// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// DWARF reading with LLVM's DWARF parser (libLLVMDebugInfoDWARF).  LLVM gets
// the .debug_* sections of our already validated elf::ObjectFile, for two
// reasons: the diff works on objects in memory (the hostile-input tests
// mutate them there), and in an ET_REL object every .debug_str offset,
// abbreviation offset and address in .debug_info is a RELA relocation whose
// in-place field is zero.  We apply those relocations ourselves before LLVM
// sees a section.  Addresses (R_X86_64_64 against code or data) become
// (section index << 32) + offset, so that a function's DW_AT_low_pc names
// its ELF section and offset without ambiguity.
//
// Each call has a DWARFContext of its own and LLVM keeps no global state in
// it, so the driver's workers read DWARF in parallel (libdwarf, used before,
// had to be serialised; docs/layout-checks.md has the figures).
//
// The DIE tree is first copied into a flat table (one Node per DIE, only the
// attributes we use); everything after that is plain C++ on the table, with
// depth limits wherever a hostile file could make a reference cycle.

#include "fbsdlp/analysis/dwarf.h"
#include "fbsdlp/util/error.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/DebugInfo/DWARF/DWARFAbbreviationDeclaration.h>
#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/DebugInfo/DWARF/DWARFDebugLine.h>
#include <llvm/DebugInfo/DWARF/DWARFDie.h>
#include <llvm/DebugInfo/DWARF/DWARFFormValue.h>
#include <llvm/DebugInfo/DWARF/DWARFUnit.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <deque>
#include <elf.h>
#include <memory>
#include <unordered_map>

namespace fbsdlp::analysis {

namespace {

using namespace llvm::dwarf;

constexpr unsigned kMaxDepth = 64;      // type chains, origin chains, DIE nesting
constexpr unsigned kMaxTreeDepth = 512; // DIE nesting while reading

// One DIE, reduced.  Strings point into the sections (or into Reader's
// copies of them), which outlive the table.
struct Node {
    uint16_t tag = 0;
    std::string_view name;
    uint64_t type = 0, origin = 0, spec = 0; // global .debug_info offsets; 0: none
    bool has_size = false, decl = false, has_lowpc = false, has_ranges = false, static_loc = false;
    uint64_t size = 0, member_off = 0, bit_size = 0, bit_off = 0, count = 0, line = 0;
    bool has_count = false;
    int64_t cval = 0;
    uint64_t lowpc = 0;
    std::string_view file;
    int32_t parent = -1;
    int32_t first_child = -1, last_child = -1, next = -1; // sibling links, in DIE order
};

// The children of a node, in DIE order (no vector per node: the table has
// one node per 12 bytes of .debug_info).
struct Children {
    const std::vector<Node> &nodes;
    int32_t first;
    struct It {
        const std::vector<Node> *nodes;
        int32_t i;
        uint32_t operator*() const { return uint32_t(i); }
        It &operator++() {
            i = (*nodes)[size_t(i)].next;
            return *this;
        }
        bool operator!=(const It &o) const { return i != o.i; }
    };
    It begin() const { return {&nodes, first}; }
    It end() const { return {&nodes, -1}; }
};

// LLVM 14's DIE extraction trusts what it reads: a block length or a
// fixed-size form that runs past the end of the unit leaves its read
// offset outside the section, and the next LEB128 read runs through
// memory (the random mutations of the corrupt-DWARF test found it).  So
// before LLVM sees .debug_info, every unit is walked here with bounds
// checks - header, abbreviation table, every attribute of every DIE -
// and anything that does not fit is an error.
class Bounds {
  public:
    Bounds(std::span<const uint8_t> info, std::span<const uint8_t> abbrev)
        : info_(info), abbrev_(abbrev) {}

    // Empty when every unit is well-formed; else what is wrong.
    std::string check() {
        uint64_t off = 0;
        while (off < info_.size()) {
            if (std::string e = unit(off); !e.empty())
                return e;
        }
        return {};
    }

  private:
    struct Abbrev {
        std::vector<uint64_t> forms;
        bool all_fixed = true; // every form has a size known from the header
        uint64_t fixed = 0;    // their sum
    };

    // The size of a form known from the unit header alone; -1: it depends
    // on the data.
    int fixed_size(uint64_t form, unsigned offsz) const {
        switch (form) {
        case DW_FORM_flag_present:
        case DW_FORM_implicit_const: return 0;
        case DW_FORM_data1:
        case DW_FORM_ref1:
        case DW_FORM_flag:
        case DW_FORM_strx1:
        case DW_FORM_addrx1: return 1;
        case DW_FORM_data2:
        case DW_FORM_ref2:
        case DW_FORM_strx2:
        case DW_FORM_addrx2: return 2;
        case DW_FORM_strx3:
        case DW_FORM_addrx3: return 3;
        case DW_FORM_data4:
        case DW_FORM_ref4:
        case DW_FORM_strx4:
        case DW_FORM_addrx4:
        case DW_FORM_ref_sup4: return 4;
        case DW_FORM_data8:
        case DW_FORM_ref8:
        case DW_FORM_ref_sig8:
        case DW_FORM_ref_sup8: return 8;
        case DW_FORM_data16: return 16;
        case DW_FORM_addr: return int(addrsz_);
        case DW_FORM_ref_addr: return version_ == 2 ? int(addrsz_) : int(offsz);
        case DW_FORM_strp:
        case DW_FORM_line_strp:
        case DW_FORM_sec_offset:
        case DW_FORM_strp_sup:
        case DW_FORM_GNU_ref_alt:
        case DW_FORM_GNU_strp_alt: return int(offsz);
        default: return -1;
        }
    }

    static bool u(std::span<const uint8_t> d, uint64_t &at, uint64_t end, unsigned n, uint64_t *v) {
        if (at > end || end - at < n)
            return false;
        if (v) { // a value of up to 8 bytes; longer reads only skip
            uint64_t x = 0;
            for (unsigned k = 0; k < n && k < 8; k++)
                x |= uint64_t(d[at + k]) << (8 * k);
            *v = x;
        }
        at += n;
        return true;
    }
    static bool leb(std::span<const uint8_t> d, uint64_t &at, uint64_t end, uint64_t *v) {
        uint64_t x = 0;
        for (unsigned shift = 0;; shift += 7) {
            if (at >= end || shift > 63)
                return false;
            uint8_t b = d[at++];
            x |= uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80))
                break;
        }
        if (v)
            *v = x;
        return true;
    }

    bool abbrevs(uint64_t off, unsigned offsz, std::unordered_map<uint64_t, Abbrev> &out) {
        uint64_t at = off, end = abbrev_.size();
        for (;;) {
            uint64_t code = 0, tag = 0, attr = 0, form = 0;
            if (!leb(abbrev_, at, end, &code))
                return false;
            if (code == 0)
                return true;
            Abbrev a;
            if (!leb(abbrev_, at, end, &tag) || !u(abbrev_, at, end, 1, nullptr))
                return false;
            for (;;) {
                if (!leb(abbrev_, at, end, &attr) || !leb(abbrev_, at, end, &form))
                    return false;
                if (attr == 0 && form == 0)
                    break;
                if (form == DW_FORM_implicit_const && !leb(abbrev_, at, end, nullptr))
                    return false;
                a.forms.push_back(form);
                int fs = fixed_size(form, offsz);
                if (fs < 0)
                    a.all_fixed = false;
                else
                    a.fixed += uint64_t(fs);
            }
            out.emplace(code, std::move(a));
        }
    }

    bool skip(uint64_t form, uint64_t &at, uint64_t end, unsigned offsz, unsigned depth = 0) {
        return skip_in(info_, form, at, end, offsz, depth);
    }

  public:
    // Is the line-table header at off in line well-formed (every read
    // inside the section)?  LLVM 14's Prologue::parse has the same
    // weakness as its DIE extraction, worse with DWARF 5's entry formats.
    bool line_header(std::span<const uint8_t> line, uint64_t off) {
        uint64_t at = off, len = 0, version = 0, hlen = 0, nops = 0, n = 0, form = 0;
        unsigned offsz = 4;
        if (!u(line, at, line.size(), 4, &len))
            return false;
        if (len == 0xffffffff) {
            offsz = 8;
            if (!u(line, at, line.size(), 8, &len))
                return false;
        }
        if (len > line.size() - at)
            return false;
        uint64_t end = at + len;
        if (!u(line, at, end, 2, &version) || version < 2 || version > 5)
            return false;
        if (version >= 5 && (!u(line, at, end, 1, nullptr) || !u(line, at, end, 1, nullptr)))
            return false;
        if (!u(line, at, end, offsz, &hlen) || hlen > end - at)
            return false;
        end = at + hlen; // the header ends here
        // min_inst_length, [max_ops], default_is_stmt, line_base, line_range
        if (!u(line, at, end, version >= 4 ? 5 : 4, nullptr) || !u(line, at, end, 1, &nops) ||
            !u(line, at, end, nops ? unsigned(nops - 1) : 0, nullptr))
            return false;
        if (version < 5) {
            for (int list = 0; list < 2; list++)
                for (;;) {
                    if (at >= end)
                        return false;
                    if (line[at] == 0) {
                        at++;
                        break;
                    }
                    if (!skip_in(line, DW_FORM_string, at, end, offsz))
                        return false;
                    if (list == 1)
                        for (int k = 0; k < 3; k++)
                            if (!leb(line, at, end, nullptr))
                                return false;
                }
            return true;
        }
        for (int list = 0; list < 2; list++) {
            uint64_t nfmt = 0;
            std::vector<uint64_t> forms;
            if (!u(line, at, end, 1, &nfmt))
                return false;
            for (uint64_t k = 0; k < nfmt; k++) {
                if (!leb(line, at, end, nullptr) || !leb(line, at, end, &form))
                    return false;
                switch (form) { // the forms DWARF 5 allows here (6.2.4.1)
                case DW_FORM_string:
                case DW_FORM_line_strp:
                case DW_FORM_strp:
                case DW_FORM_strx:
                case DW_FORM_strx1:
                case DW_FORM_strx2:
                case DW_FORM_strx3:
                case DW_FORM_strx4:
                case DW_FORM_udata:
                case DW_FORM_data1:
                case DW_FORM_data2:
                case DW_FORM_data4:
                case DW_FORM_data8:
                case DW_FORM_data16:
                case DW_FORM_block: break;
                default: return false;
                }
                forms.push_back(form);
            }
            if (!leb(line, at, end, &n) || n > end - at)
                return false;
            for (uint64_t e = 0; e < n; e++)
                for (uint64_t f : forms)
                    if (!skip_in(line, f, at, end, offsz))
                        return false;
        }
        return true;
    }

  private:
    bool skip_in(std::span<const uint8_t> d, uint64_t form, uint64_t &at, uint64_t end,
                 unsigned offsz, unsigned depth = 0) {
        // DW_FORM_addr has the unit's address size, DW_FORM_ref_addr that
        // too in DWARF 2.
        if (form == DW_FORM_addr || (form == DW_FORM_ref_addr && version_ == 2))
            return u(d, at, end, addrsz_, nullptr);
        uint64_t n = 0;
        switch (form) {
        case DW_FORM_flag_present:
        case DW_FORM_implicit_const: return true;
        case DW_FORM_data1:
        case DW_FORM_ref1:
        case DW_FORM_flag:
        case DW_FORM_strx1:
        case DW_FORM_addrx1: return u(d, at, end, 1, nullptr);
        case DW_FORM_data2:
        case DW_FORM_ref2:
        case DW_FORM_strx2:
        case DW_FORM_addrx2: return u(d, at, end, 2, nullptr);
        case DW_FORM_strx3:
        case DW_FORM_addrx3: return u(d, at, end, 3, nullptr);
        case DW_FORM_data4:
        case DW_FORM_ref4:
        case DW_FORM_strx4:
        case DW_FORM_addrx4:
        case DW_FORM_ref_sup4: return u(d, at, end, 4, nullptr);
        case DW_FORM_data8:
        case DW_FORM_ref8:
        case DW_FORM_ref_sig8:
        case DW_FORM_ref_sup8: return u(d, at, end, 8, nullptr);
        case DW_FORM_data16: return u(d, at, end, 16, nullptr);
        case DW_FORM_strp:
        case DW_FORM_line_strp:
        case DW_FORM_sec_offset:
        case DW_FORM_ref_addr:
        case DW_FORM_strp_sup:
        case DW_FORM_GNU_ref_alt:
        case DW_FORM_GNU_strp_alt: return u(d, at, end, offsz, nullptr);
        case DW_FORM_udata:
        case DW_FORM_sdata:
        case DW_FORM_ref_udata:
        case DW_FORM_strx:
        case DW_FORM_addrx:
        case DW_FORM_loclistx:
        case DW_FORM_rnglistx:
        case DW_FORM_GNU_addr_index:
        case DW_FORM_GNU_str_index: return leb(d, at, end, nullptr);
        case DW_FORM_string:
            while (at < end && d[at] != 0)
                at++;
            return u(d, at, end, 1, nullptr);
        case DW_FORM_block1:
            if (!u(d, at, end, 1, &n))
                return false;
            break;
        case DW_FORM_block2:
            if (!u(d, at, end, 2, &n))
                return false;
            break;
        case DW_FORM_block4:
            if (!u(d, at, end, 4, &n))
                return false;
            break;
        case DW_FORM_block:
        case DW_FORM_exprloc:
            if (!leb(d, at, end, &n))
                return false;
            break;
        case DW_FORM_indirect:
            if (depth > 4 || !leb(d, at, end, &n))
                return false;
            return skip_in(d, n, at, end, offsz, depth + 1);
        default: return false; // a form LLVM 14 would not skip either
        }
        if (n > end - at)
            return false;
        at += n;
        return true;
    }

    std::string unit(uint64_t &off) {
        uint64_t at = off, len = 0, version = 0, type = DW_UT_compile, abbrev_off = 0;
        unsigned offsz = 4;
        const uint64_t total = info_.size();
        if (!u(info_, at, total, 4, &len))
            return "truncated unit header at 0x" + hex(off);
        if (len == 0xffffffff) {
            offsz = 8;
            if (!u(info_, at, total, 8, &len))
                return "truncated unit header at 0x" + hex(off);
        }
        if (len > total - at)
            return "unit at 0x" + hex(off) + " runs past the end of .debug_info";
        uint64_t end = at + len;
        if (!u(info_, at, end, 2, &version) || version < 2 || version > 5)
            return "unit at 0x" + hex(off) + ": unsupported DWARF version";
        uint64_t asz = 0;
        version_ = unsigned(version);
        if (version >= 5) {
            if (!u(info_, at, end, 1, &type) || !u(info_, at, end, 1, &asz) ||
                !u(info_, at, end, offsz, &abbrev_off))
                return "truncated unit header at 0x" + hex(off);
            if (type == DW_UT_skeleton || type == DW_UT_split_compile)
                if (!u(info_, at, end, 8, nullptr))
                    return "truncated unit header at 0x" + hex(off);
            if (type == DW_UT_type || type == DW_UT_split_type)
                if (!u(info_, at, end, 8, nullptr) || !u(info_, at, end, offsz, nullptr))
                    return "truncated unit header at 0x" + hex(off);
        } else if (!u(info_, at, end, offsz, &abbrev_off) || !u(info_, at, end, 1, &asz)) {
            return "truncated unit header at 0x" + hex(off);
        }
        if (asz != 4 && asz != 8)
            return "unit at 0x" + hex(off) + ": address size " + std::to_string(asz);
        addrsz_ = unsigned(asz);
        std::unordered_map<uint64_t, Abbrev> table;
        if (abbrev_off >= abbrev_.size() || !abbrevs(abbrev_off, offsz, table))
            return "unit at 0x" + hex(off) + ": bad abbreviation table";
        while (at < end) {
            uint64_t code = 0, die = at;
            if (!leb(info_, at, end, &code))
                return "bad DIE at 0x" + hex(die);
            if (code == 0)
                continue;
            auto it = table.find(code);
            if (it == table.end())
                return "DIE at 0x" + hex(die) + ": unknown abbreviation " + std::to_string(code);
            const Abbrev &a = it->second;
            if (a.all_fixed) {
                if (a.fixed > end - at)
                    return "DIE at 0x" + hex(die) + " runs past the end of its unit";
                at += a.fixed;
                continue;
            }
            for (uint64_t form : a.forms)
                if (!skip(form, at, end, offsz))
                    return "DIE at 0x" + hex(die) + " runs past the end of its unit";
        }
        off = end;
        return {};
    }

    static std::string hex(uint64_t v) {
        char b[24];
        snprintf(b, sizeof b, "%llx", (unsigned long long)v);
        return b;
    }

    std::span<const uint8_t> info_, abbrev_;
    unsigned version_ = 0, addrsz_ = 8;
};

class Reader {
  public:
    Reader(const elf::ObjectFile &obj, bool uses) : obj_(obj), uses_(uses) {}

    void read() {
        // The sections LLVM reads, by the name it knows them ("debug_info");
        // the first of each name (C objects have one).
        llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> secs;
        size_t info_size = 0;
        for (const elf::Section &s : obj_.sections()) {
            if (!s.name.starts_with(".debug_") || s.type == SHT_RELA || s.data.empty())
                continue;
            std::string key(s.name.substr(1));
            if (secs.count(key))
                continue;
            std::span<const uint8_t> d = relocated(s);
            if (key == "debug_info") {
                info_size = s.data.size();
                info_sec_ = d;
            }
            secs[key] = llvm::MemoryBuffer::getMemBuffer(
                llvm::StringRef(reinterpret_cast<const char *>(d.data()), d.size()), key, false);
        }
        // About one DIE per 12 bytes of .debug_info in kernel objects.
        nodes.reserve(info_size / 12);
        offsets.reserve(info_size / 12);
        auto on_error = [this](llvm::Error e) {
            std::string m = llvm::toString(std::move(e));
            if (error_.empty())
                error_ = m;
        };
        // Warnings (say, an unknown attribute form) are not errors: LLVM
        // reads on, as libdwarf did.
        auto on_warning = [](llvm::Error e) { llvm::consumeError(std::move(e)); };
        std::span<const uint8_t> abbrev;
        if (auto it = secs.find("debug_abbrev"); it != secs.end())
            abbrev = {reinterpret_cast<const uint8_t *>(it->second->getBufferStart()),
                      it->second->getBufferSize()};
        if (std::string e = Bounds(info_sec_, abbrev).check(); !e.empty())
            fail("bad .debug_info", e);
        ctx_ = llvm::DWARFContext::create(secs, 8, true, on_error, on_warning);
        for (const auto &cu : ctx_->compile_units()) {
            if (!info_.version)
                info_.version = cu->getVersion();
            version_ = cu->getVersion();
            unit(*cu);
            if (!error_.empty())
                fail("bad compilation unit", error_);
        }
        if (!error_.empty())
            fail("bad compilation unit", error_);
        if (info_size && !info_.version)
            fail("cannot open the DWARF", "no compilation unit could be read");
    }

    std::vector<Node> nodes;
    // .debug_info offset of each node: increasing, as the DIEs are read in
    // order, so a reference is found by binary search.
    std::vector<uint64_t> offsets;
    DwarfInfo info_;

  private:
    [[noreturn]] void fail(const std::string &what, const std::string &msg) {
        throw Error(obj_.name(), "DWARF: " + what + ": " + msg,
                    "the object's debug information is corrupt; rebuild it, or build without -g "
                    "to skip the type-layout checks");
    }

    // Section s's bytes with its relocations applied (a copy), or the bytes
    // themselves when it has none (.debug_str, the largest).
    std::span<const uint8_t> relocated(const elf::Section &s) {
        const auto &relocs = obj_.relocs(s.index);
        if (relocs.empty())
            return s.data;
        std::vector<uint8_t> &d = copies_.emplace_back(s.data.begin(), s.data.end());
        // The object reader checked every relocation's offset, width and symbol.
        for (const elf::Reloc &r : relocs) {
            const elf::Symbol &sym = obj_.symbol(r.sym);
            uint64_t base = 0;
            if (sym.defined() && sym.shndx < obj_.sections().size() &&
                obj_.section(sym.shndx).alloc())
                base = uint64_t(sym.shndx) << 32;
            uint64_t v = base + (sym.defined() ? sym.value : 0) + uint64_t(r.addend);
            if (r.type == R_X86_64_64) {
                std::memcpy(d.data() + r.offset, &v, 8);
            } else if (r.type == R_X86_64_32 || r.type == R_X86_64_32S) {
                uint32_t w = uint32_t(v);
                std::memcpy(d.data() + r.offset, &w, 4);
            }
            // Others (PC-relative in .debug_frame) carry nothing we read.
        }
        return d;
    }

    // The unit's file table, paths relative to the build directory (as the
    // author knows them), indexed as DW_AT_decl_file numbers them.
    void file_table(llvm::DWARFUnit &cu, llvm::DWARFDie top) {
        files_.clear();
        std::string comp_dir;
        if (auto a = top.find(DW_AT_comp_dir)) {
            if (auto str = a->getAsCString())
                comp_dir = *str;
            else
                llvm::consumeError(str.takeError());
        }
        auto stmt = top.find(DW_AT_stmt_list);
        auto off = stmt ? stmt->getAsSectionOffset() : llvm::None;
        if (!off)
            return;
        const llvm::DWARFObject &dobj = ctx_->getDWARFObj();
        llvm::DWARFDataExtractor data(dobj, dobj.getLineSection(), true, 8);
        llvm::StringRef ls = dobj.getLineSection().Data;
        std::span<const uint8_t> line(reinterpret_cast<const uint8_t *>(ls.data()), ls.size());
        if (*off >= line.size() || !Bounds({}, {}).line_header(line, *off))
            return; // a bad line table leaves declarations without a file
        llvm::DWARFDebugLine::Prologue pro;
        uint64_t at = *off;
        // A bad line table leaves declarations without a file, as before.
        if (llvm::Error e = pro.parse(
                data, &at, [](llvm::Error x) { llvm::consumeError(std::move(x)); }, *ctx_, &cu))
            llvm::consumeError(std::move(e));
        std::string prefix = comp_dir.empty() ? "" : comp_dir + "/";
        // DWARF 5 numbers the file table from 0, earlier versions from 1.
        uint64_t first = version_ >= 5 ? 0 : 1;
        for (uint64_t k = first; k < first + pro.FileNames.size(); k++) {
            std::string f;
            pro.getFileNameByIndex(k, comp_dir,
                                   llvm::DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath, f,
                                   llvm::sys::path::Style::posix);
            if (!prefix.empty() && f.starts_with(prefix))
                f.erase(0, prefix.size());
            files_.push_back(&all_files_.emplace_back(std::move(f)));
        }
    }

    void unit(llvm::DWARFUnit &cu) {
        llvm::DWARFDie top = cu.getUnitDIE(false);
        if (!top)
            fail("compilation unit without a DIE", "empty unit");
        file_table(cu, top);
        llvm::DWARFDataExtractor data = cu.getDebugInfoExtractor();
        data_ = &data;
        unit_ = &cu;
        uint32_t ndies = cu.getNumDIEs();
        // LLVM's flat DIE array (null entries included) -> our table index,
        // or -1 for skipped subtrees.
        std::vector<int32_t> mapped(ndies, -1);
        std::vector<uint16_t> depth(ndies, 0);
        for (uint32_t k = 0; k < ndies; k++) {
            llvm::DWARFDie d = cu.getDIEAtIndex(k);
            const llvm::DWARFDebugInfoEntry *e = d.getDebugInfoEntry();
            if (!e || !e->getAbbreviationDeclarationPtr())
                continue; // a null entry: end of a sibling list
            int32_t parent = -1;
            if (auto p = e->getParentIdx()) {
                if (*p >= k || mapped[*p] < 0)
                    continue; // inside a skipped subtree
                parent = mapped[*p];
                depth[k] = uint16_t(depth[*p] + 1);
            } else if (k != 0) {
                continue; // only the unit DIE has no parent
            }
            if (depth[k] > kMaxTreeDepth)
                throw Error(obj_.name(),
                            "DWARF: DIEs nested more than " + std::to_string(kMaxTreeDepth) +
                                " deep",
                            "the object's debug information is corrupt; rebuild it");
            mapped[k] = record(d, parent);
        }
    }

    // Call-site entries (DWARF 5 and GNU) describe calls, not types or
    // inlining; skipping them and their parameters saves a third of the DIEs
    // of optimised code.
    static bool skipped(uint16_t tag) {
        return tag == DW_TAG_call_site || tag == DW_TAG_GNU_call_site ||
               tag == DW_TAG_call_site_parameter || tag == DW_TAG_GNU_call_site_parameter ||
               tag == DW_TAG_label || tag == DW_TAG_unspecified_parameters;
    }

    // A value of an unexpected form reads as absent.  Signed forms first, so
    // that negative enumerators keep their sign.
    static bool form_udata(const llvm::DWARFFormValue &v, uint64_t *out) {
        switch (v.getForm()) {
        case DW_FORM_sdata:
        case DW_FORM_implicit_const:
            if (auto s = v.getAsSignedConstant()) {
                *out = uint64_t(*s);
                return true;
            }
            return false;
        case DW_FORM_data1:
        case DW_FORM_data2:
        case DW_FORM_data4:
        case DW_FORM_data8:
        case DW_FORM_udata:
            if (auto u = v.getAsUnsignedConstant()) {
                *out = *u;
                return true;
            }
            return false;
        default:
            // A location expression (DWARF 2 member offsets), a block: not used.
            return false;
        }
    }
    static uint64_t form_ref(const llvm::DWARFFormValue &v) {
        switch (v.getForm()) {
        case DW_FORM_ref1:
        case DW_FORM_ref2:
        case DW_FORM_ref4:
        case DW_FORM_ref8:
        case DW_FORM_ref_udata:
        case DW_FORM_ref_addr:
            if (auto r = v.getAsReference())
                return *r;
            return 0;
        default: return 0; // type signatures, supplementary files: not followed
        }
    }
    // A location that is a fixed address: a static variable.
    bool static_location(const llvm::DWARFFormValue &v) const {
        if (v.getForm() != DW_FORM_exprloc)
            return false;
        auto b = v.getAsBlock();
        // LLVM gives a block whose length runs past the section a null or
        // truncated pointer with the full length: check it lies inside.
        const uint8_t *lo = info_sec_.data(), *hi = lo + info_sec_.size();
        if (!b || b->empty() || !b->data() || b->data() < lo || b->data() >= hi ||
            b->size() > size_t(hi - b->data()))
            return false;
        uint8_t op = (*b)[0];
        return op == DW_OP_addr || op == DW_OP_addrx || op == DW_OP_GNU_addr_index;
    }

    static bool wanted(llvm::dwarf::Attribute a) {
        switch (a) {
        case DW_AT_name:
        case DW_AT_type:
        case DW_AT_abstract_origin:
        case DW_AT_specification:
        case DW_AT_byte_size:
        case DW_AT_declaration:
        case DW_AT_data_member_location:
        case DW_AT_bit_size:
        case DW_AT_data_bit_offset:
        case DW_AT_bit_offset:
        case DW_AT_const_value:
        case DW_AT_count:
        case DW_AT_upper_bound:
        case DW_AT_decl_line:
        case DW_AT_decl_file:
        case DW_AT_low_pc:
        case DW_AT_ranges:
        case DW_AT_location: return true;
        default: return false;
        }
    }

    // One DIE into the table; -1 when it (and its subtree) is skipped.
    int32_t record(llvm::DWARFDie d, int32_t parent) {
        Node n;
        n.parent = parent;
        n.tag = uint16_t(d.getTag());
        if (skipped(n.tag))
            return -1;
        // A function's parameters (not a function type's: those spell the
        // type) only matter for the references of the original object.
        if (!uses_ && n.tag == DW_TAG_formal_parameter && parent >= 0 &&
            nodes[size_t(parent)].tag == DW_TAG_subprogram)
            return -1;
        // Parameters and variables of an inlined instance only point at the
        // abstract instance, which we read; nested inlining is what we need.
        if (parent >= 0 && nodes[size_t(parent)].tag == DW_TAG_inlined_subroutine &&
            n.tag != DW_TAG_inlined_subroutine && n.tag != DW_TAG_lexical_block)
            return -1;
        uint64_t off = d.getOffset();
        bool has_count = false, has_upper = false;
        uint64_t upper = 0;
        // The attributes straight from the abbreviation: values we do not
        // use are skipped without being decoded (LLVM's attribute_iterator
        // decodes every one; it was most of the pass).
        const llvm::DWARFAbbreviationDeclaration *ab =
            d.getDebugInfoEntry()->getAbbreviationDeclarationPtr();
        uint64_t at = off;
        data_->getULEB128(&at); // the abbreviation code
        for (const auto &spec : ab->attributes()) {
            if (!wanted(spec.Attr)) {
                if (!spec.isImplicitConst() && !llvm::DWARFFormValue::skipValue(
                                                   spec.Form, *data_, &at, unit_->getFormParams()))
                    break;
                continue;
            }
            llvm::DWARFFormValue fv =
                spec.isImplicitConst()
                    ? llvm::DWARFFormValue::createFromSValue(spec.Form,
                                                             spec.getImplicitConstValue())
                    : llvm::DWARFFormValue::createFromUnit(spec.Form, unit_, &at);
            uint64_t v = 0;
            switch (spec.Attr) {
            case DW_AT_name: {
                auto str = fv.getAsCString();
                if (str) {
                    if (*str)
                        n.name = *str;
                } else {
                    llvm::consumeError(str.takeError());
                }
                break;
            }
            case DW_AT_type: n.type = form_ref(fv); break;
            case DW_AT_abstract_origin: n.origin = form_ref(fv); break;
            case DW_AT_specification: n.spec = form_ref(fv); break;
            case DW_AT_byte_size: n.has_size = form_udata(fv, &n.size); break;
            case DW_AT_declaration: n.decl = true; break;
            case DW_AT_data_member_location: form_udata(fv, &n.member_off); break;
            case DW_AT_bit_size: form_udata(fv, &n.bit_size); break;
            case DW_AT_data_bit_offset:
            case DW_AT_bit_offset: form_udata(fv, &n.bit_off); break;
            case DW_AT_const_value:
                if (form_udata(fv, &v))
                    n.cval = int64_t(v);
                break;
            case DW_AT_count: has_count = form_udata(fv, &n.count); break;
            case DW_AT_upper_bound: has_upper = form_udata(fv, &upper); break;
            case DW_AT_decl_line: form_udata(fv, &n.line); break;
            case DW_AT_decl_file:
                if (form_udata(fv, &v)) {
                    uint64_t fi = version_ >= 5 ? v : v - 1;
                    if (fi < files_.size())
                        n.file = *files_[fi];
                }
                break;
            case DW_AT_low_pc:
                if (auto lo = fv.getAsAddress()) {
                    n.has_lowpc = true;
                    n.lowpc = *lo;
                }
                break;
            case DW_AT_ranges: n.has_ranges = true; break;
            case DW_AT_location: n.static_loc = static_location(fv); break;
            default: break;
            }
        }
        if (!has_count && has_upper) {
            n.count = upper + 1;
            has_count = true;
        }
        n.has_count = has_count;
        uint32_t idx = uint32_t(nodes.size());
        nodes.push_back(std::move(n));
        offsets.push_back(off);
        if (parent >= 0) {
            Node &p = nodes[size_t(parent)];
            if (p.last_child >= 0)
                nodes[size_t(p.last_child)].next = int32_t(idx);
            else
                p.first_child = int32_t(idx);
            p.last_child = int32_t(idx);
        }
        return int32_t(idx);
    }

    const elf::ObjectFile &obj_;
    bool uses_ = true;
    unsigned version_ = 0;
    std::string error_;
    std::span<const uint8_t> info_sec_;              // .debug_info as LLVM reads it
    const llvm::DWARFDataExtractor *data_ = nullptr; // of the current unit
    const llvm::DWARFUnit *unit_ = nullptr;
    std::deque<std::vector<uint8_t>> copies_; // relocated sections
    std::unique_ptr<llvm::DWARFContext> ctx_;
    std::deque<std::string> all_files_;
    std::vector<const std::string *> files_; // of the current unit
};

// Derived facts on the node table.
class Model {
  public:
    Model(const std::vector<Node> &n, const std::vector<uint64_t> &o, const elf::ObjectFile &obj,
          DwarfInfo &info)
        : nodes_(n), offsets_(o), obj_(obj), info_(info) {}

    void build(bool uses) {
        for (uint32_t i = 0; i < nodes_.size(); i++)
            define_type(i);
        for (uint32_t i = 0; i < nodes_.size(); i++) {
            const Node &n = nodes_[i];
            if (n.tag == DW_TAG_variable)
                variable(i);
            else if (n.tag == DW_TAG_subprogram)
                function(i);
        }
        if (uses)
            used_types();
    }

  private:
    Children kids(const Node &n) const { return {nodes_, n.first_child}; }

    int32_t at(uint64_t off) const {
        if (!off)
            return -1;
        auto it = std::lower_bound(offsets_.begin(), offsets_.end(), off);
        return it == offsets_.end() || *it != off ? -1 : int32_t(it - offsets_.begin());
    }

    static const char *aggregate_word(uint16_t tag) {
        switch (tag) {
        case DW_TAG_structure_type: return "struct";
        case DW_TAG_union_type: return "union";
        case DW_TAG_enumeration_type: return "enum";
        case DW_TAG_typedef: return "typedef";
        default: return nullptr;
        }
    }

    // The key of a named (or nested anonymous) type; empty otherwise.
    std::string key_of(uint32_t i) const {
        const Node &n = nodes_[i];
        const char *w = aggregate_word(n.tag);
        if (!w)
            return {};
        if (!n.name.empty())
            return std::string(w) + " " + std::string(n.name);
        if (auto it = nested_key_.find(i); it != nested_key_.end())
            return it->second;
        // Anonymous enums (common for constants) are known by their first
        // enumerator.
        if (n.tag == DW_TAG_enumeration_type)
            for (uint32_t c : kids(n))
                if (nodes_[c].tag == DW_TAG_enumerator)
                    return "enum <" + std::string(nodes_[c].name) + ",...>";
        return {};
    }

    std::string type_name(uint64_t off, unsigned depth = 0) const {
        int32_t i = at(off);
        if (i < 0)
            return "void";
        if (depth > kMaxDepth)
            return "...";
        const Node &n = nodes_[size_t(i)];
        switch (n.tag) {
        case DW_TAG_base_type: return std::string(n.name);
        case DW_TAG_structure_type:
        case DW_TAG_union_type:
        case DW_TAG_enumeration_type: {
            std::string k = key_of(uint32_t(i));
            return k.empty() ? std::string(aggregate_word(n.tag)) + " <anon>" : k;
        }
        case DW_TAG_typedef: return std::string(n.name);
        case DW_TAG_pointer_type: return type_name(n.type, depth + 1) + " *";
        case DW_TAG_const_type: return "const " + type_name(n.type, depth + 1);
        case DW_TAG_volatile_type: return "volatile " + type_name(n.type, depth + 1);
        case DW_TAG_restrict_type: return type_name(n.type, depth + 1) + " restrict";
        case DW_TAG_atomic_type: return "_Atomic " + type_name(n.type, depth + 1);
        case DW_TAG_array_type: {
            std::string s = type_name(n.type, depth + 1);
            for (uint32_t c : kids(n))
                if (nodes_[c].tag == DW_TAG_subrange_type)
                    s += nodes_[c].has_count ? "[" + std::to_string(nodes_[c].count) + "]" : "[]";
            return s;
        }
        case DW_TAG_subroutine_type: {
            std::string s = type_name(n.type, depth + 1) + " (";
            bool first = true;
            for (uint32_t c : kids(n))
                if (nodes_[c].tag == DW_TAG_formal_parameter) {
                    s += (first ? "" : ", ") + type_name(nodes_[c].type, depth + 1);
                    first = false;
                }
            return s + ")";
        }
        default: return "?";
        }
    }

    uint64_t type_size(uint64_t off, unsigned depth = 0) const {
        int32_t i = at(off);
        if (i < 0 || depth > kMaxDepth)
            return 0;
        const Node &n = nodes_[size_t(i)];
        if (n.has_size)
            return n.size;
        switch (n.tag) {
        case DW_TAG_pointer_type: return 8;
        case DW_TAG_typedef:
        case DW_TAG_const_type:
        case DW_TAG_volatile_type:
        case DW_TAG_restrict_type:
        case DW_TAG_atomic_type: return type_size(n.type, depth + 1);
        case DW_TAG_array_type: {
            uint64_t s = type_size(n.type, depth + 1);
            for (uint32_t c : kids(n))
                if (nodes_[c].tag == DW_TAG_subrange_type)
                    s *= nodes_[c].has_count ? nodes_[c].count : 0;
            return s;
        }
        default: return 0;
        }
    }

    // The aggregate a type reference names directly (not through a pointer).
    int32_t anonymous_aggregate(uint64_t off) const {
        int32_t i = at(off);
        if (i < 0)
            return -1;
        const Node &n = nodes_[size_t(i)];
        if ((n.tag == DW_TAG_structure_type || n.tag == DW_TAG_union_type) && n.name.empty() &&
            !n.decl)
            return i;
        return -1;
    }

    void define_type(uint32_t i, unsigned depth = 0) {
        const Node &n = nodes_[i];
        const char *w = aggregate_word(n.tag);
        if (!w || n.decl || depth > kMaxDepth)
            return;
        if (n.parent >= 0 && nested_key_.count(i) == 0 && n.name.empty() &&
            n.tag != DW_TAG_enumeration_type)
            return; // anonymous aggregates are defined through their parent
        std::string key = key_of(i);
        if (key.empty() || info_.types.count(key))
            return; // the first definition wins (one per name in C)
        DwType t;
        t.kind = n.tag == DW_TAG_structure_type     ? DwType::Struct
                 : n.tag == DW_TAG_union_type       ? DwType::Union
                 : n.tag == DW_TAG_enumeration_type ? DwType::Enum
                                                    : DwType::Typedef;
        t.key = key;
        t.size = n.tag == DW_TAG_typedef ? type_size(n.type) : n.size;
        t.file = n.file;
        t.line = n.line;
        if (n.tag == DW_TAG_typedef) {
            t.target = type_name(n.type);
            // typedef struct { ... } foo_t: the struct is known as "struct <foo_t>".
            int32_t sub = anonymous_aggregate(n.type);
            if (sub >= 0 && !nested_key_.count(uint32_t(sub))) {
                nested_key_[uint32_t(sub)] = std::string(aggregate_word(nodes_[size_t(sub)].tag)) +
                                             " <" + std::string(n.name) + ">";
                define_type(uint32_t(sub), depth + 1);
                t.target = type_name(n.type);
            }
        }
        unsigned anon = 0;
        for (uint32_t c : kids(n)) {
            const Node &m = nodes_[c];
            if (m.tag == DW_TAG_enumerator)
                t.enumerators.emplace_back(m.name, m.cval);
            if (m.tag != DW_TAG_member)
                continue;
            DwMember dm;
            dm.name = m.name.empty() ? "<anon" + std::to_string(anon++) + ">" : m.name;
            dm.offset = m.member_off;
            dm.bit_size = m.bit_size;
            dm.bit_offset = m.bit_off;
            int32_t sub = anonymous_aggregate(m.type);
            if (sub >= 0 && !nested_key_.count(uint32_t(sub))) {
                // "union foo.u" for the anonymous union member u of struct foo.
                nested_key_[uint32_t(sub)] = std::string(aggregate_word(nodes_[size_t(sub)].tag)) +
                                             " " + key.substr(key.find(' ') + 1) + "." + dm.name;
                define_type(uint32_t(sub), depth + 1);
            }
            dm.type = type_name(m.type);
            dm.type_size = type_size(m.type);
            t.members.push_back(std::move(dm));
        }
        info_.types.emplace(key, std::move(t));
    }

    // Name of a subprogram, through abstract origins and specifications.
    std::string sub_name(uint32_t i, unsigned depth = 0) const {
        const Node &n = nodes_[i];
        if (!n.name.empty() || depth > kMaxDepth)
            return std::string(n.name);
        for (uint64_t o : {n.origin, n.spec})
            if (int32_t j = at(o); j >= 0)
                if (std::string s = sub_name(uint32_t(j), depth + 1); !s.empty())
                    return s;
        return {};
    }

    int32_t enclosing_function(uint32_t i) const {
        for (int32_t p = nodes_[i].parent, k = 0; p >= 0 && k < int(kMaxTreeDepth);
             p = nodes_[size_t(p)].parent, k++)
            if (nodes_[size_t(p)].tag == DW_TAG_subprogram)
                return p;
        return -1;
    }

    void variable(uint32_t i) {
        const Node &n = nodes_[i];
        std::string name(n.name);
        uint64_t type = n.type;
        std::string file(n.file);
        uint64_t line = n.line;
        for (uint64_t o : {n.spec, n.origin})
            if (int32_t j = at(o); j >= 0) {
                const Node &s = nodes_[size_t(j)];
                if (name.empty())
                    name = s.name;
                if (!type)
                    type = s.type;
                if (file.empty())
                    file = s.file, line = s.line;
            }
        if (name.empty())
            return;
        int32_t fn = enclosing_function(i);
        if (fn >= 0) {
            if (!n.static_loc)
                return; // an automatic variable
            name = sub_name(uint32_t(fn)) + "::" + name;
        } else if (n.decl && !n.static_loc) {
            return; // an extern declaration; its definition is elsewhere
        }
        DwVariable v{name, type_name(type), type_size(type), file, line};
        auto [it, fresh] = info_.variables.emplace(name, v);
        if (!fresh && it->second.type == "void")
            it->second = v;
    }

    void chains(uint32_t i, std::vector<std::string> &path, DwFunction &f, unsigned depth) {
        if (depth > kMaxDepth)
            return;
        for (uint32_t c : kids(nodes_[i])) {
            const Node &n = nodes_[c];
            if (n.tag == DW_TAG_inlined_subroutine) {
                std::string callee = sub_name(c);
                if (callee.empty())
                    callee = "<unknown>";
                path.push_back(callee);
                f.chains.push_back(path);
                chains(c, path, f, depth + 1);
                path.pop_back();
            } else if (n.tag == DW_TAG_lexical_block) {
                chains(c, path, f, depth + 1);
            }
        }
    }

    void function(uint32_t i) {
        const Node &n = nodes_[i];
        std::string name = sub_name(i);
        if (name.empty())
            return;
        info_.subprograms.insert(name);
        if (!n.has_lowpc && !n.has_ranges)
            return; // a declaration or an abstract instance: no code of its own
        DwFunction f{name, {}};
        std::vector<std::string> path;
        chains(i, path, f, 0);
        uint64_t sec = n.lowpc >> 32, off = n.lowpc & 0xffffffffu;
        if (n.has_lowpc && sec > 0 && sec < obj_.sections().size())
            info_.functions[{uint32_t(sec), off}] = f;
        auto [it, fresh] = info_.functions_by_name.emplace(name, f);
        if (!fresh)
            for (auto &ch : f.chains)
                it->second.chains.push_back(ch);
    }

    // Closure of the type references of variables and functions.
    void used_types() {
        std::vector<uint32_t> work;
        std::vector<bool> seen(nodes_.size(), false);
        auto push = [&](uint64_t off) {
            int32_t j = at(off);
            if (j >= 0 && !seen[size_t(j)]) {
                seen[size_t(j)] = true;
                work.push_back(uint32_t(j));
            }
        };
        for (const Node &n : nodes_)
            if (n.tag == DW_TAG_variable || n.tag == DW_TAG_formal_parameter ||
                n.tag == DW_TAG_subprogram)
                push(n.type);
        // A declaration "struct foo;" and its definition share the key, so
        // reaching either uses the type.
        while (!work.empty()) {
            uint32_t i = work.back();
            work.pop_back();
            const Node &n = nodes_[i];
            if (std::string k = key_of(i); !k.empty())
                info_.used_types.insert(k);
            push(n.type);
            for (uint32_t c : kids(n)) {
                const Node &m = nodes_[c];
                if (m.tag == DW_TAG_member || m.tag == DW_TAG_formal_parameter ||
                    m.tag == DW_TAG_subrange_type)
                    push(m.type);
                if (m.tag == DW_TAG_member)
                    if (int32_t sub = anonymous_aggregate(m.type); sub >= 0)
                        if (!seen[size_t(sub)]) {
                            seen[size_t(sub)] = true;
                            work.push_back(uint32_t(sub));
                        }
            }
        }
    }

    const std::vector<Node> &nodes_;
    const std::vector<uint64_t> &offsets_;
    const elf::ObjectFile &obj_;
    DwarfInfo &info_;
    std::unordered_map<uint32_t, std::string> nested_key_;
};

} // namespace

std::optional<DwarfInfo> read_dwarf(const elf::ObjectFile &obj, bool uses) {
    bool any = false;
    for (const elf::Section &s : obj.sections())
        if (s.name == ".debug_info" && !s.data.empty())
            any = true;
    if (!any)
        return std::nullopt;
    for (const elf::Section &s : obj.sections())
        if (s.name.starts_with(".debug_") && (s.flags & SHF_COMPRESSED))
            throw Error(obj.name(), std::string(s.name) + ": compressed debug sections",
                        "build without --compress-debug-sections / -gz");
    Reader r(obj, uses);
    r.read();
    Model(r.nodes, r.offsets, obj, r.info_).build(uses);
    return std::move(r.info_);
}

} // namespace fbsdlp::analysis
