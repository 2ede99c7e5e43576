// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// DWARF reading with libdwarf.  libdwarf gets the object through its object
// access interface, fed from our already validated elf::ObjectFile, for two
// reasons: the diff works on objects in memory (the hostile-input tests
// mutate them there), and in an ET_REL object every .debug_str offset,
// abbreviation offset and address in .debug_info is a RELA relocation whose
// in-place field is zero.  We apply those relocations ourselves when
// libdwarf loads a section.  Addresses (R_X86_64_64 against code or data)
// become (section index << 32) + offset, so that a function's DW_AT_low_pc
// names its ELF section and offset without ambiguity.
//
// The DIE tree is first copied into a flat table (one Node per DIE, only the
// attributes we use); everything after that is plain C++ on the table, with
// depth limits wherever a hostile file could make a reference cycle.

#include "fbsdlp/analysis/dwarf.h"
#include "fbsdlp/util/error.h"

#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>

#include <cstring>
#include <elf.h>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace fbsdlp::analysis {

namespace {

constexpr unsigned kMaxDepth = 64;      // type chains, origin chains, DIE nesting
constexpr unsigned kMaxTreeDepth = 512; // DIE nesting while reading

// libdwarf sees only the null section and the .debug_* sections, numbered
// densely: its interface numbers sections with 16 bits, and a kernel object
// built with -ffunction-sections can have more than 65535 sections.  This
// also spares libdwarf matching every code section's name.
struct Access {
    const elf::ObjectFile &obj;
    std::vector<uint32_t> elf_index; // libdwarf's index -> ELF index
    std::vector<std::string> names;
    std::vector<std::vector<uint8_t>> data;
};

int sec_info(void *o, Dwarf_Half i, Dwarf_Obj_Access_Section *ret, int *err) {
    auto *a = static_cast<Access *>(o);
    if (i >= a->elf_index.size()) {
        *err = DW_DLE_MDE;
        return DW_DLV_NO_ENTRY;
    }
    const elf::Section &s = a->obj.section(a->elf_index[i]);
    ret->addr = 0;
    ret->type = s.type;
    ret->size = s.data.size();
    ret->name = a->names[i].c_str();
    ret->link = 0; // relocations are ours to apply (load_section)
    ret->info = 0;
    ret->entrysize = s.entsize;
    return DW_DLV_OK;
}

Dwarf_Endianness byte_order(void *) { return DW_OBJECT_LSB; }
Dwarf_Small length_size(void *) { return 4; }
Dwarf_Small pointer_size(void *) { return 8; }
Dwarf_Unsigned sec_count(void *o) { return static_cast<Access *>(o)->elf_index.size(); }

int load_section(void *o, Dwarf_Half di, Dwarf_Small **ret, int *err) {
    auto *a = static_cast<Access *>(o);
    if (di >= a->elf_index.size()) {
        *err = DW_DLE_MDE;
        return DW_DLV_NO_ENTRY;
    }
    uint32_t i = a->elf_index[di];
    const elf::Section &s = a->obj.section(i);
    if (s.data.empty())
        return DW_DLV_NO_ENTRY;
    if (a->obj.relocs(i).empty()) {
        // libdwarf only reads section data; no copy needed (.debug_str is
        // the largest and has no relocations).
        *ret = const_cast<Dwarf_Small *>(s.data.data());
        return DW_DLV_OK;
    }
    std::vector<uint8_t> &d = a->data[di];
    d.assign(s.data.begin(), s.data.end());
    // The object reader checked every relocation's offset, width and symbol.
    for (const elf::Reloc &r : a->obj.relocs(i)) {
        const elf::Symbol &sym = a->obj.symbol(r.sym);
        uint64_t base = 0;
        if (sym.defined() && sym.shndx < a->obj.sections().size() &&
            a->obj.section(sym.shndx).alloc())
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
    *ret = d.data();
    return DW_DLV_OK;
}

const Dwarf_Obj_Access_Methods kMethods = {sec_info,  byte_order,   length_size, pointer_size,
                                           sec_count, load_section, nullptr};

// One DIE, reduced.
struct Node {
    Dwarf_Half tag = 0;
    std::string name;
    Dwarf_Off type = 0, origin = 0, spec = 0; // global .debug_info offsets; 0: none
    bool has_size = false, decl = false, has_lowpc = false, has_ranges = false, static_loc = false;
    uint64_t size = 0, member_off = 0, bit_size = 0, bit_off = 0, count = 0, line = 0;
    bool has_count = false;
    int64_t cval = 0;
    uint64_t lowpc = 0;
    std::string file;
    int32_t parent = -1;
    std::vector<uint32_t> children;
};

class Reader {
  public:
    Reader(const elf::ObjectFile &obj, bool uses) : obj_(obj), acc_{obj, {}, {}, {}}, uses_(uses) {
        for (const elf::Section &s : obj.sections())
            if (s.index == 0 || (s.name.starts_with(".debug_") && s.type != SHT_RELA)) {
                if (acc_.elf_index.size() == 0xff00)
                    throw Error(obj.name(), "more than 65280 .debug_* sections",
                                "the object is corrupt or not produced by a compiler");
                acc_.elf_index.push_back(s.index);
                acc_.names.emplace_back(s.name);
            }
        acc_.data.resize(acc_.elf_index.size());
    }
    ~Reader() {
        if (dbg_) {
            Dwarf_Error e = nullptr;
            dwarf_object_finish(dbg_, &e);
        }
    }

    void read() {
        // libdwarf's allocation tree stays on (dwarf_set_de_alloc_flag):
        // when corrupt DWARF makes us stop in the middle of a walk,
        // dwarf_finish() frees what the unwinding left behind.
        // About one DIE per 12 bytes of .debug_info in kernel objects.
        for (const elf::Section &s : obj_.sections())
            if (s.name == ".debug_info") {
                nodes.reserve(s.data.size() / 12);
                by_off.reserve(s.data.size() / 12);
            }
        iface_.object = &acc_;
        iface_.methods = &kMethods;
        Dwarf_Error err = nullptr;
        int rc = dwarf_object_init_b(&iface_, nullptr, nullptr, DW_GROUPNUMBER_ANY, &dbg_, &err);
        if (rc != DW_DLV_OK)
            fail("cannot open the DWARF", err);
        for (;;) {
            Dwarf_Unsigned hlen = 0, abbrev = 0, next = 0, typeoff = 0;
            Dwarf_Half version = 0, asize = 0, lsize = 0, esize = 0, htype = 0;
            Dwarf_Sig8 sig;
            rc = dwarf_next_cu_header_d(dbg_, true, &hlen, &version, &abbrev, &asize, &lsize,
                                        &esize, &sig, &typeoff, &next, &htype, &err);
            if (rc == DW_DLV_NO_ENTRY)
                break;
            if (rc != DW_DLV_OK)
                fail("bad compilation unit header", err);
            if (!info_.version)
                info_.version = version;
            Dwarf_Die cu = nullptr;
            if (dwarf_siblingof_b(dbg_, nullptr, true, &cu, &err) != DW_DLV_OK)
                fail("compilation unit without a DIE", err);
            files_.clear();
            // Paths relative to the build directory, as the author knows them.
            std::string comp_dir;
            if (Dwarf_Attribute a = attr(cu, DW_AT_comp_dir)) {
                char *str = nullptr;
                if (dwarf_formstring(a, &str, &err) == DW_DLV_OK && str)
                    comp_dir = std::string(str) + "/";
                else if (err)
                    dwarf_dealloc_error(dbg_, err), err = nullptr;
                dwarf_dealloc(dbg_, a, DW_DLA_ATTR);
            }
            char **srcs = nullptr;
            Dwarf_Signed nsrcs = 0;
            if (dwarf_srcfiles(cu, &srcs, &nsrcs, &err) == DW_DLV_OK) {
                for (Dwarf_Signed k = 0; k < nsrcs; k++) {
                    std::string f = srcs[k] ? srcs[k] : "";
                    if (!comp_dir.empty() && f.starts_with(comp_dir))
                        f.erase(0, comp_dir.size());
                    files_.push_back(std::move(f));
                    dwarf_dealloc(dbg_, srcs[k], DW_DLA_STRING);
                }
                dwarf_dealloc(dbg_, srcs, DW_DLA_LIST);
            } else if (err) {
                dwarf_dealloc_error(dbg_, err);
                err = nullptr;
            }
            version_ = version;
            walk(cu, -1, 0);
        }
    }

    std::vector<Node> nodes;
    std::unordered_map<Dwarf_Off, uint32_t> by_off;
    DwarfInfo info_;

  private:
    [[noreturn]] void fail(const std::string &what, Dwarf_Error err) {
        std::string msg = err ? dwarf_errmsg(err) : "unknown error";
        if (err && dbg_)
            dwarf_dealloc_error(dbg_, err);
        throw Error(obj_.name(), "DWARF: " + what + ": " + msg,
                    "the object's debug information is corrupt; rebuild it, or build without -g "
                    "to skip the type-layout checks");
    }

    // Form helpers: a value of an unexpected form reads as absent.
    bool form_udata(Dwarf_Attribute a, uint64_t *out) {
        Dwarf_Error err = nullptr;
        Dwarf_Unsigned u = 0;
        Dwarf_Signed s = 0;
        Dwarf_Half form = 0;
        if (dwarf_whatform(a, &form, &err) != DW_DLV_OK) {
            if (err)
                dwarf_dealloc_error(dbg_, err);
            return false;
        }
        // Signed forms first, so that negative enumerators keep their sign.
        if (form == DW_FORM_sdata || form == DW_FORM_implicit_const) {
            if (dwarf_formsdata(a, &s, &err) == DW_DLV_OK) {
                *out = uint64_t(s);
                return true;
            }
        } else if (dwarf_formudata(a, &u, &err) == DW_DLV_OK) {
            *out = u;
            return true;
        }
        // A location expression (DWARF 2 member offsets), a block: not used.
        if (err)
            dwarf_dealloc_error(dbg_, err);
        return false;
    }
    Dwarf_Off form_ref(Dwarf_Attribute a) {
        Dwarf_Off off = 0;
        Dwarf_Error err = nullptr;
        int rc = dwarf_global_formref(a, &off, &err);
        if (rc == DW_DLV_ERROR)
            fail("bad reference", err);
        return rc == DW_DLV_OK ? off : 0;
    }
    // A location that is a fixed address: a static variable.
    bool static_location(Dwarf_Attribute a) {
        Dwarf_Half form = 0;
        Dwarf_Error err = nullptr;
        bool stat = false;
        if (dwarf_whatform(a, &form, &err) == DW_DLV_OK && form == DW_FORM_exprloc) {
            Dwarf_Unsigned len = 0;
            Dwarf_Ptr p = nullptr;
            if (dwarf_formexprloc(a, &len, &p, &err) == DW_DLV_OK && len > 0 && p) {
                uint8_t op = *static_cast<const uint8_t *>(p);
                stat = op == DW_OP_addr || op == DW_OP_addrx || op == DW_OP_GNU_addr_index;
            }
        }
        if (err)
            dwarf_dealloc_error(dbg_, err);
        return stat;
    }
    Dwarf_Attribute attr(Dwarf_Die d, Dwarf_Half at) {
        Dwarf_Attribute a = nullptr;
        Dwarf_Error err = nullptr;
        int rc = dwarf_attr(d, at, &a, &err);
        if (rc == DW_DLV_ERROR)
            fail("bad attribute", err);
        return rc == DW_DLV_OK ? a : nullptr;
    }

    void walk(Dwarf_Die die, int32_t parent, unsigned depth) {
        if (depth > kMaxTreeDepth)
            throw Error(obj_.name(),
                        "DWARF: DIEs nested more than " + std::to_string(kMaxTreeDepth) + " deep",
                        "the object's debug information is corrupt; rebuild it");
        Dwarf_Error err = nullptr;
        while (die) {
            int32_t idx = record(die, parent);
            Dwarf_Die child = nullptr;
            int rc = idx < 0 ? DW_DLV_NO_ENTRY : dwarf_child(die, &child, &err);
            if (rc == DW_DLV_ERROR) {
                dwarf_dealloc_die(die);
                fail("bad DIE tree", err);
            }
            if (rc == DW_DLV_OK)
                walk(child, idx, depth + 1);
            Dwarf_Die sib = nullptr;
            rc = dwarf_siblingof_b(dbg_, die, true, &sib, &err);
            dwarf_dealloc_die(die);
            if (rc == DW_DLV_ERROR)
                fail("bad DIE tree", err);
            die = rc == DW_DLV_OK ? sib : nullptr;
        }
    }

    // Call-site entries (DWARF 5 and GNU) describe calls, not types or
    // inlining; skipping them and their parameters saves a third of the DIEs
    // of optimised code.
    static bool skipped(Dwarf_Half tag) {
        return tag == DW_TAG_call_site || tag == DW_TAG_GNU_call_site ||
               tag == DW_TAG_call_site_parameter || tag == DW_TAG_GNU_call_site_parameter ||
               tag == DW_TAG_label || tag == DW_TAG_unspecified_parameters;
    }

    // One DIE into the table; -1 when it (and its subtree) is skipped.
    // Attributes are read in one dwarf_attrlist() pass: a dwarf_attr() per
    // attribute of interest scans the abbreviation a dozen times.
    int32_t record(Dwarf_Die d, int32_t parent) {
        Dwarf_Error err = nullptr;
        Node n;
        n.parent = parent;
        if (dwarf_tag(d, &n.tag, &err) != DW_DLV_OK)
            fail("DIE without a tag", err);
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
        Dwarf_Off off = 0;
        if (dwarf_dieoffset(d, &off, &err) != DW_DLV_OK)
            fail("DIE without an offset", err);
        Dwarf_Attribute *list = nullptr;
        Dwarf_Signed count = 0;
        int rc = dwarf_attrlist(d, &list, &count, &err);
        if (rc == DW_DLV_ERROR)
            fail("bad attribute list", err);
        bool has_count = false, has_upper = false;
        uint64_t upper = 0;
        for (Dwarf_Signed k = 0; k < count; k++) {
            Dwarf_Attribute a = list[k];
            Dwarf_Half at = 0;
            if (dwarf_whatattr(a, &at, &err) != DW_DLV_OK) {
                dealloc_list(list, count);
                fail("bad attribute", err);
            }
            uint64_t v = 0;
            switch (at) {
            case DW_AT_name: {
                char *str = nullptr;
                if (dwarf_formstring(a, &str, &err) == DW_DLV_OK && str)
                    n.name = str;
                break;
            }
            case DW_AT_type: n.type = form_ref(a); break;
            case DW_AT_abstract_origin: n.origin = form_ref(a); break;
            case DW_AT_specification: n.spec = form_ref(a); break;
            case DW_AT_byte_size: n.has_size = form_udata(a, &n.size); break;
            case DW_AT_declaration: n.decl = true; break;
            case DW_AT_data_member_location: form_udata(a, &n.member_off); break;
            case DW_AT_bit_size: form_udata(a, &n.bit_size); break;
            case DW_AT_data_bit_offset:
            case DW_AT_bit_offset: form_udata(a, &n.bit_off); break;
            case DW_AT_const_value:
                if (form_udata(a, &v))
                    n.cval = int64_t(v);
                break;
            case DW_AT_count: has_count = form_udata(a, &n.count); break;
            case DW_AT_upper_bound: has_upper = form_udata(a, &upper); break;
            case DW_AT_decl_line: form_udata(a, &n.line); break;
            case DW_AT_decl_file:
                if (form_udata(a, &v)) {
                    // DWARF 5 numbers the file table from 0, earlier versions from 1.
                    uint64_t fi = version_ >= 5 ? v : v - 1;
                    if (fi < files_.size())
                        n.file = files_[fi];
                }
                break;
            case DW_AT_low_pc: {
                Dwarf_Addr lo = 0;
                if (dwarf_formaddr(a, &lo, &err) == DW_DLV_OK) {
                    n.has_lowpc = true;
                    n.lowpc = lo;
                }
                break;
            }
            case DW_AT_ranges: n.has_ranges = true; break;
            case DW_AT_location: n.static_loc = static_location(a); break;
            default: break;
            }
            if (err) // an attribute of an unexpected form: ignored, as if absent
                dwarf_dealloc_error(dbg_, err), err = nullptr;
        }
        dealloc_list(list, count);
        if (!has_count && has_upper) {
            n.count = upper + 1;
            has_count = true;
        }
        n.has_count = has_count;
        uint32_t idx = uint32_t(nodes.size());
        nodes.push_back(std::move(n));
        by_off[off] = idx;
        if (parent >= 0)
            nodes[size_t(parent)].children.push_back(idx);
        return int32_t(idx);
    }

    void dealloc_list(Dwarf_Attribute *list, Dwarf_Signed count) {
        if (!list)
            return;
        for (Dwarf_Signed k = 0; k < count; k++)
            dwarf_dealloc(dbg_, list[k], DW_DLA_ATTR);
        dwarf_dealloc(dbg_, list, DW_DLA_LIST);
    }

    const elf::ObjectFile &obj_;
    Access acc_;
    Dwarf_Obj_Access_Interface iface_{};
    Dwarf_Debug dbg_ = nullptr;
    std::vector<std::string> files_;
    unsigned version_ = 0;
    bool uses_ = true;
};

// Derived facts on the node table.
class Model {
  public:
    Model(const std::vector<Node> &n, const std::unordered_map<Dwarf_Off, uint32_t> &o,
          const elf::ObjectFile &obj, DwarfInfo &info)
        : nodes_(n), by_off_(o), obj_(obj), info_(info) {}

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
    int32_t at(Dwarf_Off off) const {
        if (!off)
            return -1;
        auto it = by_off_.find(off);
        return it == by_off_.end() ? -1 : int32_t(it->second);
    }

    static const char *aggregate_word(Dwarf_Half tag) {
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
            return std::string(w) + " " + n.name;
        if (auto it = nested_key_.find(i); it != nested_key_.end())
            return it->second;
        // Anonymous enums (common for constants) are known by their first
        // enumerator.
        if (n.tag == DW_TAG_enumeration_type)
            for (uint32_t c : n.children)
                if (nodes_[c].tag == DW_TAG_enumerator)
                    return "enum <" + nodes_[c].name + ",...>";
        return {};
    }

    std::string type_name(Dwarf_Off off, unsigned depth = 0) const {
        int32_t i = at(off);
        if (i < 0)
            return "void";
        if (depth > kMaxDepth)
            return "...";
        const Node &n = nodes_[size_t(i)];
        switch (n.tag) {
        case DW_TAG_base_type: return n.name;
        case DW_TAG_structure_type:
        case DW_TAG_union_type:
        case DW_TAG_enumeration_type: {
            std::string k = key_of(uint32_t(i));
            return k.empty() ? std::string(aggregate_word(n.tag)) + " <anon>" : k;
        }
        case DW_TAG_typedef: return n.name;
        case DW_TAG_pointer_type: return type_name(n.type, depth + 1) + " *";
        case DW_TAG_const_type: return "const " + type_name(n.type, depth + 1);
        case DW_TAG_volatile_type: return "volatile " + type_name(n.type, depth + 1);
        case DW_TAG_restrict_type: return type_name(n.type, depth + 1) + " restrict";
        case DW_TAG_atomic_type: return "_Atomic " + type_name(n.type, depth + 1);
        case DW_TAG_array_type: {
            std::string s = type_name(n.type, depth + 1);
            for (uint32_t c : n.children)
                if (nodes_[c].tag == DW_TAG_subrange_type)
                    s += nodes_[c].has_count ? "[" + std::to_string(nodes_[c].count) + "]" : "[]";
            return s;
        }
        case DW_TAG_subroutine_type: {
            std::string s = type_name(n.type, depth + 1) + " (";
            bool first = true;
            for (uint32_t c : n.children)
                if (nodes_[c].tag == DW_TAG_formal_parameter) {
                    s += (first ? "" : ", ") + type_name(nodes_[c].type, depth + 1);
                    first = false;
                }
            return s + ")";
        }
        default: return "?";
        }
    }

    uint64_t type_size(Dwarf_Off off, unsigned depth = 0) const {
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
            for (uint32_t c : n.children)
                if (nodes_[c].tag == DW_TAG_subrange_type)
                    s *= nodes_[c].has_count ? nodes_[c].count : 0;
            return s;
        }
        default: return 0;
        }
    }

    // The aggregate a type reference names directly (not through a pointer).
    int32_t anonymous_aggregate(Dwarf_Off off) const {
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
                nested_key_[uint32_t(sub)] =
                    std::string(aggregate_word(nodes_[size_t(sub)].tag)) + " <" + n.name + ">";
                define_type(uint32_t(sub), depth + 1);
                t.target = type_name(n.type);
            }
        }
        unsigned anon = 0;
        for (uint32_t c : n.children) {
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
            return n.name;
        for (Dwarf_Off o : {n.origin, n.spec})
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
        std::string name = n.name;
        Dwarf_Off type = n.type;
        std::string file = n.file;
        uint64_t line = n.line;
        for (Dwarf_Off o : {n.spec, n.origin})
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
        for (uint32_t c : nodes_[i].children) {
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
        auto push = [&](Dwarf_Off off) {
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
            for (uint32_t c : n.children) {
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
    const std::unordered_map<Dwarf_Off, uint32_t> &by_off_;
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
    // libdwarf 20210528 is not thread-safe: with the driver diffing units in
    // parallel, ASan caught dwarf_srcfiles writing past a buffer sized in
    // another thread's session.  One DWARF session at a time, from
    // dwarf_object_init_b to dwarf_object_finish (in ~Reader).
    static std::mutex libdwarf_lock;
    std::lock_guard<std::mutex> hold(libdwarf_lock);
    Reader r(obj, uses);
    r.read();
    Model(r.nodes, r.by_off, obj, r.info_).build(uses);
    return std::move(r.info_);
}

} // namespace fbsdlp::analysis
