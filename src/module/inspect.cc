// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen inspect: decode the ABI sections of a patch object or
// module.  The file is untrusted (it may be truncated, corrupted or made by
// something else), so every array length, pointer and string is checked
// against the section it must lie in before it is read.

#include "fbsdlp/module/inspect.h"

#include "fbsdlp/elf/object.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/hex.h"
#include "fbsdlp_abi.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <elf.h>

namespace fbsdlp::module {

namespace {

std::string hex(uint64_t v) { return hex_number(v); }

// Limits far above any real patch, so a corrupted count cannot make us
// allocate or loop without end (the runtime has the same limits).
constexpr size_t kMaxFuncs = 65536, kMaxRelocs = 1u << 20, kMaxHooks = 64, kMaxMasks = 1u << 20;

struct Pointer {
    uint32_t sec = 0;
    uint64_t off = 0;
    const elf::Symbol *sym = nullptr; // the relocation's symbol
};

class Decoder {
  public:
    explicit Decoder(const elf::ObjectFile &obj) : obj_(obj) {}

    Inspection run() {
        Inspection in;
        in.file = obj_.name();
        bool any = false;
        for (const elf::Section &s : obj_.sections()) {
            if (s.name == FBSDLP_SEC_INFO) {
                if (in.info)
                    fail(s.name, "more than one patch-info section");
                in.info = read_info(s);
                any = true;
            } else if (s.name == FBSDLP_SEC_FUNCS) {
                read_funcs(s, in.functions);
                any = true;
            } else if (s.name == FBSDLP_SEC_RELOCS) {
                read_lp_relocs(s, in.livepatch_relocs);
            } else if (s.name == ".note.gnu.build-id") {
                in.module_build_id = read_build_id_note(s);
            } else if (s.name == "set_modmetadata_set") {
                in.kld = read_modmetadata(s);
            }
        }
        if (!any)
            throw Error(obj_.name(),
                        "not a live-patch object or module (no " FBSDLP_SEC_INFO
                        " or " FBSDLP_SEC_FUNCS " section)",
                        "give a patch object written by 'fbsd-patchgen diff' or a patch module");
        const std::pair<const char *, const char *> hooks[] = {
            {"pre_patch", FBSDLP_SEC_HOOK_PRE_PATCH},
            {"post_patch", FBSDLP_SEC_HOOK_POST_PATCH},
            {"pre_unpatch", FBSDLP_SEC_HOOK_PRE_UNPATCH},
            {"post_unpatch", FBSDLP_SEC_HOOK_POST_UNPATCH}};
        for (const auto &[kind, name] : hooks) {
            auto &list = in.hooks[kind];
            for (const elf::Section &s : obj_.sections())
                if (s.name == name)
                    read_hooks(s, list);
        }
        for (const elf::Symbol &s : obj_.symbols())
            if (s.raw_shndx == SHN_UNDEF && !s.name.empty())
                in.undefined.push_back(std::string(s.name));
        std::sort(in.undefined.begin(), in.undefined.end());
        in.undefined.erase(std::unique(in.undefined.begin(), in.undefined.end()),
                           in.undefined.end());
        return in;
    }

  private:
    [[noreturn]] void fail(std::string_view where, const std::string &what) const {
        throw Error(obj_.name(), std::string(where) + ": " + what,
                    "the file is damaged or was not made by fbsd-patchgen");
    }

    const uint8_t *record(const elf::Section &s, size_t size, size_t i) const {
        if (s.nobits() || s.data.size() < (i + 1) * size)
            fail(s.name, "record " + std::to_string(i) + " lies outside the section");
        return s.data.data() + i * size;
    }

    size_t count(const elf::Section &s, size_t size, size_t max) const {
        if (s.nobits() || s.data.size() != s.size)
            fail(s.name, "section has no contents");
        if (s.size % size)
            fail(s.name, "size " + std::to_string(s.size) + " is not a multiple of the " +
                             std::to_string(size) + "-byte record");
        if (s.size / size > max)
            fail(s.name, std::to_string(s.size / size) + " records, more than the limit " +
                             std::to_string(max));
        return s.size / size;
    }

    // The relocation that fills the 8-byte field at off of section s.
    std::optional<Pointer> pointer(const elf::Section &s, uint64_t off,
                                   const std::string &what) const {
        const auto &rl = obj_.relocs(s.index);
        auto it = std::lower_bound(rl.begin(), rl.end(), off,
                                   [](const elf::Reloc &r, uint64_t v) { return r.offset < v; });
        if (it == rl.end() || it->offset != off)
            return std::nullopt;
        if (it->type != R_X86_64_64)
            fail(s.name, what + ": " + elf::reloc_type_name(it->type) +
                             " relocation where the ABI has R_X86_64_64");
        const elf::Symbol &sym = obj_.symbol(it->sym);
        Pointer p;
        p.sym = &sym;
        if (!sym.defined())
            return p; // an undefined symbol: named, no section
        int64_t pos = (sym.is_section() ? 0 : int64_t(sym.value)) + it->addend;
        if (pos < 0 || uint64_t(pos) > obj_.section(sym.shndx).size)
            fail(s.name,
                 what + ": points outside section " + std::string(obj_.section(sym.shndx).name));
        p.sec = sym.shndx;
        p.off = uint64_t(pos);
        return p;
    }

    std::string string(const elf::Section &s, uint64_t off, const std::string &what) const {
        auto p = pointer(s, off, what);
        if (!p)
            fail(s.name, what + ": null string pointer");
        if (!p->sym->defined())
            fail(s.name,
                 what + ": string pointer to undefined symbol " + std::string(p->sym->name));
        const elf::Section &t = obj_.section(p->sec);
        if (t.nobits() || p->off >= t.data.size())
            fail(s.name, what + ": string outside section " + std::string(t.name));
        const char *c = reinterpret_cast<const char *>(t.data.data() + p->off);
        size_t n = strnlen(c, t.data.size() - p->off);
        if (n == t.data.size() - p->off)
            fail(s.name, what + ": string not terminated inside " + std::string(t.name));
        return std::string(c, n);
    }

    // A code address as "function+0xN" (or "section+0xN").
    std::string code_name(const Pointer &p) const {
        if (!p.sym->defined())
            return std::string(p.sym->name);
        const elf::Symbol *best = nullptr;
        for (const elf::Symbol &s : obj_.symbols())
            if (s.shndx == p.sec && s.defined() && !s.is_section() && !s.is_file() &&
                !s.name.empty() && s.value <= p.off &&
                p.off < s.value + std::max<uint64_t>(1, s.size))
                if (!best || s.value > best->value)
                    best = &s;
        if (best)
            return std::string(best->name) +
                   (p.off == best->value ? "" : "+" + hex(p.off - best->value));
        return std::string(obj_.section(p.sec).name) + "+" + hex(p.off);
    }

    InspectedInfo read_info(const elf::Section &s) {
        if (count(s, sizeof(fbsdlp_patch_info), 1) != 1)
            fail(s.name, "must hold exactly one record");
        fbsdlp_patch_info pi;
        std::memcpy(&pi, record(s, sizeof pi, 0), sizeof pi);
        if (pi.magic != FBSDLP_INFO_MAGIC)
            fail(s.name, "bad magic " + hex(pi.magic));
        if (pi.info_size != sizeof pi)
            fail(s.name, "info_size " + std::to_string(pi.info_size) + ", expected " +
                             std::to_string(sizeof pi));
        if (pi.build_id_len > FBSDLP_BUILD_ID_MAX)
            fail(s.name, "build_id_len " + std::to_string(pi.build_id_len) + " exceeds " +
                             std::to_string(FBSDLP_BUILD_ID_MAX));
        InspectedInfo i;
        i.abi_version = pi.abi_version;
        i.flags = pi.flags;
        i.freebsd_version = pi.freebsd_version;
        i.name = string(s, offsetof(fbsdlp_patch_info, name), "patch name");
        i.tool_version = string(s, offsetof(fbsdlp_patch_info, tool_version), "tool version");
        i.build_id = to_hex(pi.build_id, pi.build_id_len);
        i.diff_sha256 = to_hex(pi.diff_sha256, sizeof pi.diff_sha256);
        if (pi.nfixes > FBSDLP_FIXES_MAX)
            fail(s.name, "nfixes " + std::to_string(pi.nfixes) + " exceeds " +
                             std::to_string(FBSDLP_FIXES_MAX));
        for (uint32_t k = 0; k < pi.nfixes; k++)
            i.fixes.push_back(to_hex(pi.fixes[k], FBSDLP_SHA256_LEN));
        return i;
    }

    void read_funcs(const elf::Section &s, std::vector<InspectedFunction> &out) {
        size_t n = count(s, sizeof(fbsdlp_func), kMaxFuncs);
        for (size_t i = 0; i < n; i++) {
            std::string what = "function record " + std::to_string(i);
            fbsdlp_func f;
            std::memcpy(&f, record(s, sizeof f, i), sizeof f);
            size_t at = i * sizeof f;
            InspectedFunction fn;
            fn.old_name = string(s, at + offsetof(fbsdlp_func, old_name), what + " old_name");
            what += " (" + fn.old_name + ")";
            fn.objname = string(s, at + offsetof(fbsdlp_func, objname), what + " objname");
            fn.old_size = f.old_size;
            fn.new_size = f.new_size;
            fn.sympos = f.sympos;
            fn.flags = f.flags;
            fn.old_hash = f.old_hash;
            auto np = pointer(s, at + offsetof(fbsdlp_func, new_addr), what + " new_addr");
            if (!np)
                fail(s.name, what + ": no relocation for new_addr");
            fn.new_symbol = code_name(*np);
            if (np->sym->defined()) {
                const elf::Section &code = obj_.section(np->sec);
                if (!code.exec())
                    fail(s.name, what + ": new_addr points into non-code section " +
                                     std::string(code.name));
                if (np->off + f.new_size > code.size)
                    fail(s.name, what + ": new_size " + std::to_string(f.new_size) +
                                     " runs past the end of " + std::string(code.name));
                for (const elf::Reloc &r : obj_.relocs(code.index)) {
                    if (r.offset < np->off || r.offset >= np->off + f.new_size)
                        continue;
                    const elf::Symbol &t = obj_.symbol(r.sym);
                    std::string target = t.is_section() ? std::string(obj_.section(t.shndx).name)
                                                        : std::string(t.name);
                    fn.relocations.push_back(
                        {r.offset - np->off, elf::reloc_type_name(r.type), target, r.addend});
                }
            }
            if (f.nmasks) {
                if (f.nmasks > kMaxMasks)
                    fail(s.name, what + ": " + std::to_string(f.nmasks) + " masks");
                auto mp = pointer(s, at + offsetof(fbsdlp_func, masks), what + " masks");
                if (!mp || !mp->sym->defined())
                    fail(s.name,
                         what + ": " + std::to_string(f.nmasks) + " masks but no masks pointer");
                const elf::Section &ms = obj_.section(mp->sec);
                if (ms.nobits() ||
                    mp->off + uint64_t(f.nmasks) * sizeof(fbsdlp_mask) > ms.data.size())
                    fail(s.name, what + ": masks run past the end of " + std::string(ms.name));
                for (uint32_t k = 0; k < f.nmasks; k++) {
                    fbsdlp_mask m;
                    std::memcpy(&m, ms.data.data() + mp->off + k * sizeof m, sizeof m);
                    fn.masks.emplace_back(m.offset, m.len);
                }
            }
            out.push_back(std::move(fn));
        }
    }

    void read_lp_relocs(const elf::Section &s, std::vector<InspectedLpReloc> &out) {
        size_t n = count(s, sizeof(fbsdlp_reloc), kMaxRelocs);
        for (size_t i = 0; i < n; i++) {
            std::string what = "livepatch relocation " + std::to_string(i);
            fbsdlp_reloc r;
            std::memcpy(&r, record(s, sizeof r, i), sizeof r);
            size_t at = i * sizeof r;
            InspectedLpReloc lr;
            auto place = pointer(s, at + offsetof(fbsdlp_reloc, place), what + " place");
            if (!place)
                fail(s.name, what + ": no relocation for place");
            lr.place = code_name(*place);
            lr.symbol = string(s, at + offsetof(fbsdlp_reloc, symname), what + " symname");
            lr.objname = string(s, at + offsetof(fbsdlp_reloc, objname), what + " objname");
            lr.addend = r.addend;
            lr.type = r.type;
            lr.sympos = r.sympos;
            out.push_back(std::move(lr));
        }
    }

    void read_hooks(const elf::Section &s, std::vector<std::string> &out) {
        size_t n = count(s, 8, kMaxHooks);
        for (size_t i = 0; i < n; i++) {
            auto p = pointer(s, i * 8, "hook " + std::to_string(i));
            if (!p)
                fail(s.name, "hook " + std::to_string(i) + ": null pointer");
            out.push_back(code_name(*p));
        }
    }

    // The bytes of a record of size at p, which must lie in a section.
    const uint8_t *target(const elf::Section &s, const Pointer &p, size_t size,
                          const std::string &what) const {
        if (!p.sym->defined())
            fail(s.name, what + ": points to undefined symbol " + std::string(p.sym->name));
        const elf::Section &t = obj_.section(p.sec);
        if (t.nobits() || p.off + size > t.data.size())
            fail(s.name, what + ": record outside section " + std::string(t.name));
        return t.data.data() + p.off;
    }

    // set_modmetadata_set: pointers to struct mod_metadata { int
    // md_version, md_type; const void *md_data; const char *md_cval; }.
    InspectedKld read_modmetadata(const elf::Section &s) {
        constexpr size_t kMetadata = 24, kMaxMetadata = 256;
        InspectedKld k;
        size_t n = count(s, 8, kMaxMetadata);
        for (size_t i = 0; i < n; i++) {
            std::string what = "module metadata " + std::to_string(i);
            auto p = pointer(s, i * 8, what);
            if (!p)
                fail(s.name, what + ": null pointer");
            const elf::Section &ms = obj_.section(p->sym->defined() ? p->sec : 0);
            const uint8_t *md = target(s, *p, kMetadata, what);
            int32_t version, type;
            std::memcpy(&version, md, 4);
            std::memcpy(&type, md + 4, 4);
            if (version != 1)
                fail(s.name, what + ": md_version " + std::to_string(version) +
                                 ", FreeBSD's MDT_STRUCT_VERSION is 1");
            std::string cval = string(ms, p->off + 16, what + " md_cval");
            auto data = pointer(ms, p->off + 8, what + " md_data");
            if (!data)
                fail(s.name, what + ": no md_data");
            if (type == 1) { // MDT_DEPEND
                int32_t v[3];
                std::memcpy(v, target(s, *data, sizeof v, what + " mod_depend"), sizeof v);
                k.depends.push_back({cval, v[0], v[1], v[2]});
            } else if (type == 2) { // MDT_MODULE: moduledata_t
                const elf::Section &dsec = obj_.section(data->sym->defined() ? data->sec : 0);
                (void)target(s, *data, 24, what + " moduledata");
                InspectedKld::Module m;
                m.name = string(dsec, data->off, what + " module name");
                if (auto h = pointer(dsec, data->off + 8, what + " event handler"))
                    m.handler = code_name(*h);
                k.modules.push_back(std::move(m));
            } else if (type == 3) { // MDT_VERSION
                int32_t v;
                std::memcpy(&v, target(s, *data, sizeof v, what + " mod_version"), sizeof v);
                k.versions.emplace_back(cval, v);
            } // MDT_PNP_INFO and newer kinds: not a patch module's business
        }
        return k;
    }

    std::string read_build_id_note(const elf::Section &s) const {
        if (s.nobits() || s.data.size() < 12)
            return {};
        uint32_t namesz, descsz, type;
        std::memcpy(&namesz, s.data.data(), 4);
        std::memcpy(&descsz, s.data.data() + 4, 4);
        std::memcpy(&type, s.data.data() + 8, 4);
        uint64_t desc = 12 + ((uint64_t(namesz) + 3) & ~uint64_t(3));
        if (type != NT_GNU_BUILD_ID || desc + descsz > s.data.size())
            return {};
        return to_hex(s.data.data() + desc, descsz);
    }

    const elf::ObjectFile &obj_;
};

std::string flag_names(uint32_t flags) {
    std::string s;
    auto add = [&](const char *n) { s += (s.empty() ? "" : ",") + std::string(n); };
    if (flags & FBSDLP_FUNC_ENDBR)
        add("endbr");
    if (flags & FBSDLP_FUNC_NEW)
        add("new");
    if (flags & ~uint32_t(FBSDLP_FUNC_ENDBR | FBSDLP_FUNC_NEW))
        add(hex(flags & ~uint32_t(FBSDLP_FUNC_ENDBR | FBSDLP_FUNC_NEW)).c_str());
    return s.empty() ? "-" : s;
}

std::string lp_type_name(uint32_t t) {
    switch (t) {
    case FBSDLP_R_64: return "R_X86_64_64";
    case FBSDLP_R_PC32: return "R_X86_64_PC32";
    case FBSDLP_R_PLT32: return "R_X86_64_PLT32";
    case FBSDLP_R_32: return "R_X86_64_32";
    case FBSDLP_R_32S: return "R_X86_64_32S";
    default: return "unknown(" + std::to_string(t) + ")";
    }
}

// Left-aligned columns, widths from the contents.
std::string table(const std::vector<std::vector<std::string>> &rows) {
    std::vector<size_t> w;
    for (const auto &r : rows)
        for (size_t i = 0; i < r.size(); i++) {
            w.resize(std::max(w.size(), r.size()));
            w[i] = std::max(w[i], r[i].size());
        }
    std::string s;
    for (const auto &r : rows) {
        std::string line = "  ";
        for (size_t i = 0; i < r.size(); i++)
            line += r[i] + (i + 1 < r.size() ? std::string(w[i] - r[i].size() + 2, ' ') : "");
        s += line + "\n";
    }
    return s;
}

std::string signed_hex(int64_t v) { return v < 0 ? "-" + hex(uint64_t(-v)) : hex(uint64_t(v)); }

} // namespace

Inspection inspect(const std::string &path) {
    elf::ObjectFile obj = elf::ObjectFile::load(path);
    return Decoder(obj).run();
}

Inspection inspect_bytes(const std::string &name, const std::vector<uint8_t> &bytes) {
    elf::ObjectFile obj = elf::ObjectFile::parse(name, bytes);
    return Decoder(obj).run();
}

nlohmann::json inspection_json(const Inspection &in) {
    nlohmann::json j;
    j["file"] = in.file;
    if (in.info) {
        const InspectedInfo &i = *in.info;
        j["info"] = {{"name", i.name},
                     {"target_build_id", i.build_id},
                     {"freebsd_version", i.freebsd_version},
                     {"tool_version", i.tool_version},
                     {"abi_version", i.abi_version},
                     {"replace_all", (i.flags & FBSDLP_PATCH_REPLACE_ALL) != 0},
                     {"flags", i.flags},
                     {"diff_sha256", i.diff_sha256},
                     {"fixes", i.fixes}};
    } else {
        j["info"] = nullptr;
    }
    j["module_build_id"] = in.module_build_id;
    j["functions"] = nlohmann::json::array();
    for (const auto &f : in.functions) {
        nlohmann::json fj{{"new_symbol", f.new_symbol},  {"old_name", f.old_name},
                          {"objname", f.objname},        {"old_size", f.old_size},
                          {"new_size", f.new_size},      {"sympos", f.sympos},
                          {"old_hash", hex(f.old_hash)}, {"flags", flag_names(f.flags)}};
        fj["masks"] = nlohmann::json::array();
        for (auto [o, l] : f.masks)
            fj["masks"].push_back({{"offset", o}, {"len", l}});
        fj["relocations"] = nlohmann::json::array();
        for (const auto &r : f.relocations)
            fj["relocations"].push_back({{"offset", r.offset},
                                         {"type", r.type},
                                         {"target", r.target},
                                         {"addend", r.addend}});
        j["functions"].push_back(std::move(fj));
    }
    j["livepatch_relocations"] = nlohmann::json::array();
    for (const auto &r : in.livepatch_relocs)
        j["livepatch_relocations"].push_back({{"place", r.place},
                                              {"symbol", r.symbol},
                                              {"objname", r.objname},
                                              {"sympos", r.sympos},
                                              {"type", lp_type_name(r.type)},
                                              {"addend", r.addend}});
    j["hooks"] = in.hooks;
    j["undefined_symbols"] = in.undefined;
    if (in.kld) {
        nlohmann::json k;
        k["modules"] = nlohmann::json::array();
        for (const auto &m : in.kld->modules)
            k["modules"].push_back({{"name", m.name}, {"event_handler", m.handler}});
        k["versions"] = nlohmann::json::array();
        for (const auto &[n, v] : in.kld->versions)
            k["versions"].push_back({{"name", n}, {"version", v}});
        k["depends"] = nlohmann::json::array();
        for (const auto &d : in.kld->depends)
            k["depends"].push_back({{"module", d.module},
                                    {"minimum", d.minimum},
                                    {"preferred", d.preferred},
                                    {"maximum", d.maximum}});
        j["kld"] = std::move(k);
    } else {
        j["kld"] = nullptr;
    }
    return j;
}

std::string inspection_text(const Inspection &in) {
    std::string s =
        in.file + ": " + (in.info ? "live-patch module" : "patch object (no patch info)") + "\n";
    if (in.info) {
        const InspectedInfo &i = *in.info;
        s += table({{"name", i.name},
                    {"target build-id", i.build_id},
                    {"__FreeBSD_version", std::to_string(i.freebsd_version)},
                    {"tool version", i.tool_version},
                    {"ABI version", std::to_string(i.abi_version)},
                    {"flags", (i.flags & FBSDLP_PATCH_REPLACE_ALL) ? "replace-all" : "-"},
                    {"diff SHA-256", i.diff_sha256}});
        for (size_t k = 0; k < i.fixes.size(); k++)
            s += "  " + std::string(k ? "                   " : "fixes carried      ") +
                 i.fixes[k] + "\n";
    }
    if (!in.module_build_id.empty())
        s += "  module build-id    " + in.module_build_id + "\n";
    if (in.kld) {
        s += "\nkld module metadata:\n";
        std::vector<std::vector<std::string>> krows;
        for (const auto &m : in.kld->modules)
            krows.push_back(
                {"module", m.name,
                 m.handler.empty() ? "no event handler" : "event handler " + m.handler});
        for (const auto &[n, v] : in.kld->versions)
            krows.push_back({"version", n, std::to_string(v)});
        for (const auto &d : in.kld->depends)
            krows.push_back({"depends on", d.module,
                             std::to_string(d.minimum) + " <= " + std::to_string(d.preferred) +
                                 " <= " + std::to_string(d.maximum)});
        s += table(krows);
    } else if (in.info) {
        s += "\nkld module metadata: none (not loadable with kldload(8))\n";
    }

    s += "\nfunctions (" + std::to_string(in.functions.size()) + "):\n";
    std::vector<std::vector<std::string>> rows{{"NEW SYMBOL", "OLD FUNCTION", "OBJECT FILE",
                                                "SYMPOS", "OLD SIZE", "NEW SIZE", "OLD HASH",
                                                "FLAGS", "MASKED (OFFSET/LEN)"}};
    for (const auto &f : in.functions) {
        std::string m;
        for (auto [o, l] : f.masks)
            m += (m.empty() ? "" : " ") + hex(o) + "/" + std::to_string(l);
        char h[32];
        snprintf(h, sizeof h, "%016llx", (unsigned long long)f.old_hash);
        rows.push_back({f.new_symbol, f.old_name, f.objname, std::to_string(f.sympos),
                        std::to_string(f.old_size), std::to_string(f.new_size), h,
                        flag_names(f.flags), m.empty() ? "-" : m});
    }
    s += table(rows);

    size_t nrel = 0;
    rows = {{"FUNCTION", "OFFSET", "TYPE", "TARGET"}};
    for (const auto &f : in.functions)
        for (const auto &r : f.relocations) {
            nrel++;
            rows.push_back(
                {f.new_symbol, hex(r.offset), r.type,
                 r.target +
                     (r.addend ? (r.addend < 0 ? "" : "+") + std::to_string(r.addend) : "")});
        }
    s += "\nrelocations of the new functions (" + std::to_string(nrel) + "):\n";
    if (nrel)
        s += table(rows);

    s += "\nlivepatch relocations (" + std::to_string(in.livepatch_relocs.size()) + "):\n";
    if (!in.livepatch_relocs.empty()) {
        rows = {{"PLACE", "TYPE", "SYMBOL", "OBJECT FILE", "SYMPOS", "ADDEND"}};
        for (const auto &r : in.livepatch_relocs)
            rows.push_back({r.place, lp_type_name(r.type), r.symbol, r.objname,
                            std::to_string(r.sympos), signed_hex(r.addend)});
        s += table(rows);
    }

    s += "\nhooks:\n";
    rows.clear();
    for (const auto &[kind, list] : in.hooks) {
        std::string names;
        for (const auto &n : list)
            names += (names.empty() ? "" : " ") + n;
        rows.push_back({kind, names.empty() ? "-" : names});
    }
    s += table(rows);
    s += "\nkernel symbols left to the kernel linker (" + std::to_string(in.undefined.size()) +
         "):\n";
    if (!in.undefined.empty()) {
        std::string line = " ";
        for (const auto &u : in.undefined) {
            if (line.size() + u.size() > 78) {
                s += line + "\n";
                line = " ";
            }
            line += " " + u;
        }
        s += line + "\n";
    }
    return s;
}

} // namespace fbsdlp::module
