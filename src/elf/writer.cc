// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Serialising an ET_REL object.  Layout: ELF header, section contents in
// order (each aligned), the RELA sections, .symtab, .strtab, .shstrtab, then
// the section header table.  Symbols are written locals first, as the
// sh_info of .symtab demands; relocations refer to symbols by handle and are
// renumbered at the end.

#include "fbsdlp/elf/writer.h"
#include "fbsdlp/util/error.h"

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <unordered_map>

namespace fbsdlp::elf {

namespace {

class StrTab {
  public:
    StrTab() { bytes_.push_back(0); }
    uint32_t add(const std::string &s) {
        if (s.empty())
            return 0;
        auto it = index_.find(s);
        if (it != index_.end())
            return it->second;
        uint32_t off = uint32_t(bytes_.size());
        bytes_.insert(bytes_.end(), s.begin(), s.end());
        bytes_.push_back(0);
        index_.emplace(s, off);
        return off;
    }
    std::vector<uint8_t> &bytes() { return bytes_; }

  private:
    std::vector<uint8_t> bytes_;
    std::unordered_map<std::string, uint32_t> index_;
};

template <class T> void append(std::vector<uint8_t> &out, const T &v) {
    const uint8_t *p = reinterpret_cast<const uint8_t *>(&v);
    out.insert(out.end(), p, p + sizeof v);
}

void align_to(std::vector<uint8_t> &out, uint64_t a) {
    if (a > 1)
        while (out.size() % a)
            out.push_back(0);
}

} // namespace

ObjectWriter::ObjectWriter() { sections_.push_back(Sec{"", SHT_NULL, 0, 0, 0, 0, {}, {}, ~0u}); }

ObjectWriter::SectionId ObjectWriter::add_section(std::string name, uint32_t type, uint64_t flags,
                                                  uint64_t align, std::vector<uint8_t> data,
                                                  uint64_t entsize) {
    sections_.push_back(
        Sec{std::move(name), type, flags, align ? align : 1, entsize, 0, std::move(data), {}, ~0u});
    return SectionId(sections_.size() - 1);
}

ObjectWriter::SectionId ObjectWriter::add_nobits(std::string name, uint64_t flags, uint64_t align,
                                                 uint64_t size) {
    sections_.push_back(
        Sec{std::move(name), SHT_NOBITS, flags, align ? align : 1, 0, size, {}, {}, ~0u});
    return SectionId(sections_.size() - 1);
}

uint64_t ObjectWriter::size(SectionId s) const {
    const Sec &sec = sections_.at(s);
    return sec.type == SHT_NOBITS ? sec.nobits_size : sec.data.size();
}

ObjectWriter::SymbolId ObjectWriter::add_symbol(std::string name, uint8_t type, uint8_t bind,
                                                SectionId shndx, uint64_t value, uint64_t size,
                                                uint8_t other) {
    symbols_.push_back(Sym{std::move(name), type, bind, other, shndx, value, size});
    return SymbolId(symbols_.size() - 1);
}

ObjectWriter::SymbolId ObjectWriter::add_undefined(const std::string &name) {
    for (auto &[n, id] : undef_)
        if (n == name)
            return id;
    SymbolId id = add_symbol(name, STT_NOTYPE, STB_GLOBAL, SHN_UNDEF, 0, 0);
    undef_.emplace_back(name, id);
    return id;
}

ObjectWriter::SymbolId ObjectWriter::section_symbol(SectionId s) {
    Sec &sec = sections_.at(s);
    if (sec.secsym == ~0u)
        sec.secsym = add_symbol("", STT_SECTION, STB_LOCAL, s, 0, 0);
    return sec.secsym;
}

void ObjectWriter::add_reloc(SectionId target, uint64_t offset, uint32_t type, SymbolId sym,
                             int64_t addend) {
    sections_.at(target).relocs.push_back(Sec::R{offset, type, sym, addend});
}

std::vector<uint8_t> ObjectWriter::write(const std::string &file_symbol) {
    // Final symbol order: null, FILE, locals, globals.
    std::vector<SymbolId> order;
    for (SymbolId i = 0; i < symbols_.size(); i++)
        if (symbols_[i].bind == STB_LOCAL)
            order.push_back(i);
    size_t first_global = order.size() + 1 + (file_symbol.empty() ? 0 : 1);
    for (SymbolId i = 0; i < symbols_.size(); i++)
        if (symbols_[i].bind != STB_LOCAL)
            order.push_back(i);
    std::vector<uint32_t> final_index(symbols_.size());
    uint32_t base = 1 + (file_symbol.empty() ? 0 : 1);
    for (size_t k = 0; k < order.size(); k++)
        final_index[order[k]] = uint32_t(base + k);

    size_t nsec = sections_.size();
    size_t nrela = 0;
    for (const Sec &s : sections_)
        nrela += !s.relocs.empty();
    // Indexes of the trailing sections.
    size_t symtab_idx = nsec + nrela, strtab_idx = symtab_idx + 1, shstr_idx = strtab_idx + 1;
    size_t total = shstr_idx + 1;
    if (total >= SHN_LORESERVE)
        throw Error("",
                    "output object would have too many sections (" + std::to_string(total) + ")");

    StrTab shstr, str;
    std::vector<Elf64_Shdr> sh(total);
    std::vector<uint8_t> out(sizeof(Elf64_Ehdr), 0);

    for (size_t i = 1; i < nsec; i++) {
        Sec &s = sections_[i];
        Elf64_Shdr &h = sh[i];
        h.sh_name = shstr.add(s.name);
        h.sh_type = s.type;
        h.sh_flags = s.flags;
        h.sh_addralign = s.align;
        h.sh_entsize = s.entsize;
        if (s.type == SHT_NOBITS) {
            h.sh_offset = out.size();
            h.sh_size = s.nobits_size;
        } else {
            align_to(out, s.align);
            h.sh_offset = out.size();
            h.sh_size = s.data.size();
            out.insert(out.end(), s.data.begin(), s.data.end());
        }
    }
    size_t ri = nsec;
    for (size_t i = 1; i < nsec; i++) {
        Sec &s = sections_[i];
        if (s.relocs.empty())
            continue;
        std::sort(s.relocs.begin(), s.relocs.end(),
                  [](const Sec::R &a, const Sec::R &b) { return a.offset < b.offset; });
        Elf64_Shdr &h = sh[ri++];
        h.sh_name = shstr.add(".rela" + s.name);
        h.sh_type = SHT_RELA;
        h.sh_flags = SHF_INFO_LINK;
        h.sh_addralign = 8;
        h.sh_entsize = sizeof(Elf64_Rela);
        h.sh_link = uint32_t(symtab_idx);
        h.sh_info = uint32_t(i);
        align_to(out, 8);
        h.sh_offset = out.size();
        for (const Sec::R &r : s.relocs) {
            Elf64_Rela er{r.offset, ELF64_R_INFO(uint64_t(final_index.at(r.sym)), r.type),
                          r.addend};
            append(out, er);
        }
        h.sh_size = out.size() - h.sh_offset;
    }

    // .symtab
    {
        Elf64_Shdr &h = sh[symtab_idx];
        h.sh_name = shstr.add(".symtab");
        h.sh_type = SHT_SYMTAB;
        h.sh_addralign = 8;
        h.sh_entsize = sizeof(Elf64_Sym);
        h.sh_link = uint32_t(strtab_idx);
        h.sh_info = uint32_t(first_global);
        align_to(out, 8);
        h.sh_offset = out.size();
        append(out, Elf64_Sym{});
        if (!file_symbol.empty()) {
            Elf64_Sym fs{};
            fs.st_name = str.add(file_symbol);
            fs.st_info = ELF64_ST_INFO(STB_LOCAL, STT_FILE);
            fs.st_shndx = SHN_ABS;
            append(out, fs);
        }
        for (SymbolId id : order) {
            const Sym &s = symbols_[id];
            Elf64_Sym es{};
            es.st_name = s.type == STT_SECTION ? 0 : str.add(s.name);
            es.st_info = ELF64_ST_INFO(s.bind, s.type);
            es.st_other = s.other;
            es.st_shndx = uint16_t(s.shndx);
            es.st_value = s.value;
            es.st_size = s.size;
            append(out, es);
        }
        h.sh_size = out.size() - h.sh_offset;
    }
    auto put_strtab = [&](size_t idx, const char *name, StrTab &t) {
        Elf64_Shdr &h = sh[idx];
        h.sh_name = shstr.add(name);
        h.sh_type = SHT_STRTAB;
        h.sh_addralign = 1;
        h.sh_offset = out.size();
        h.sh_size = t.bytes().size();
        out.insert(out.end(), t.bytes().begin(), t.bytes().end());
    };
    put_strtab(strtab_idx, ".strtab", str);
    shstr.add(".shstrtab");
    put_strtab(shstr_idx, ".shstrtab", shstr);

    align_to(out, 8);
    uint64_t shoff = out.size();
    for (const Elf64_Shdr &h : sh)
        append(out, h);

    Elf64_Ehdr eh{};
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_ident[EI_OSABI] = ELFOSABI_FREEBSD;
    eh.e_type = ET_REL;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_shoff = shoff;
    eh.e_ehsize = sizeof(Elf64_Ehdr);
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = uint16_t(total);
    eh.e_shstrndx = uint16_t(shstr_idx);
    std::memcpy(out.data(), &eh, sizeof eh);
    return out;
}

} // namespace fbsdlp::elf
