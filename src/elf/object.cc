// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Reading an ET_REL object through libelf.  libelf parses the headers; we
// then check every file-supplied offset, size and index ourselves before
// anything else looks at it, because a hostile or truncated object must end
// in a clear error, never in a crash or a silently wrong patch.  Section
// contents are sliced straight out of the file buffer (x86-64 objects are
// little-endian like the host), after the range check.

#include "fbsdlp/elf/object.h"
#include "fbsdlp/util/error.h"

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fbsdlp::elf {

bool Section::alloc() const { return flags & SHF_ALLOC; }
bool Section::exec() const { return flags & SHF_EXECINSTR; }
bool Section::write() const { return flags & SHF_WRITE; }
bool Section::nobits() const { return type == SHT_NOBITS; }
bool Section::merge_strings() const { return (flags & SHF_MERGE) && (flags & SHF_STRINGS); }

// Defined in a section of this object.  The special values are those of the
// raw st_shndx: with more than 65,280 sections a resolved index may well
// equal SHN_COMMON or SHN_ABS numerically.
bool Symbol::defined() const {
    return raw_shndx != SHN_UNDEF && (raw_shndx < SHN_LORESERVE || raw_shndx == SHN_XINDEX) &&
           type != STT_FILE;
}
bool Symbol::is_func() const { return type == STT_FUNC || type == STT_GNU_IFUNC; }
bool Symbol::is_object() const { return type == STT_OBJECT || type == STT_TLS; }
bool Symbol::is_section() const { return type == STT_SECTION; }
bool Symbol::is_file() const { return type == STT_FILE; }

unsigned reloc_field_size(uint32_t type) {
    switch (type) {
    case R_X86_64_64:
    case R_X86_64_PC64:
    case R_X86_64_GOTOFF64:
    case R_X86_64_GOTPC64:
    case R_X86_64_SIZE64: return 8;
    case R_X86_64_PC32:
    case R_X86_64_PLT32:
    case R_X86_64_32:
    case R_X86_64_32S:
    case R_X86_64_GOT32:
    case R_X86_64_GOTPCREL:
    case R_X86_64_GOTPCRELX:
    case R_X86_64_REX_GOTPCRELX:
    case R_X86_64_GOTPC32:
    case R_X86_64_TPOFF32:
    case R_X86_64_GOTTPOFF:
    case R_X86_64_TLSGD:
    case R_X86_64_TLSLD:
    case R_X86_64_DTPOFF32:
    case R_X86_64_SIZE32: return 4;
    case R_X86_64_16:
    case R_X86_64_PC16: return 2;
    case R_X86_64_8:
    case R_X86_64_PC8: return 1;
    case R_X86_64_NONE: return 0;
    default: return 0;
    }
}

std::string reloc_type_name(uint32_t type) {
    switch (type) {
    case R_X86_64_NONE: return "R_X86_64_NONE";
    case R_X86_64_64: return "R_X86_64_64";
    case R_X86_64_PC32: return "R_X86_64_PC32";
    case R_X86_64_GOT32: return "R_X86_64_GOT32";
    case R_X86_64_PLT32: return "R_X86_64_PLT32";
    case R_X86_64_GOTPCREL: return "R_X86_64_GOTPCREL";
    case R_X86_64_32: return "R_X86_64_32";
    case R_X86_64_32S: return "R_X86_64_32S";
    case R_X86_64_16: return "R_X86_64_16";
    case R_X86_64_PC16: return "R_X86_64_PC16";
    case R_X86_64_8: return "R_X86_64_8";
    case R_X86_64_PC8: return "R_X86_64_PC8";
    case R_X86_64_TPOFF32: return "R_X86_64_TPOFF32";
    case R_X86_64_GOTTPOFF: return "R_X86_64_GOTTPOFF";
    case R_X86_64_TLSGD: return "R_X86_64_TLSGD";
    case R_X86_64_TLSLD: return "R_X86_64_TLSLD";
    case R_X86_64_DTPOFF32: return "R_X86_64_DTPOFF32";
    case R_X86_64_PC64: return "R_X86_64_PC64";
    case R_X86_64_GOTOFF64: return "R_X86_64_GOTOFF64";
    case R_X86_64_GOTPC32: return "R_X86_64_GOTPC32";
    case R_X86_64_SIZE32: return "R_X86_64_SIZE32";
    case R_X86_64_SIZE64: return "R_X86_64_SIZE64";
    case R_X86_64_GOTPCRELX: return "R_X86_64_GOTPCRELX";
    case R_X86_64_REX_GOTPCRELX: return "R_X86_64_REX_GOTPCRELX";
    default: return "relocation type " + std::to_string(type);
    }
}

namespace {

[[noreturn]] void fail(const std::string &file, const std::string &what,
                       const std::string &hint = {}) {
    throw Error(file, what, hint);
}

[[noreturn]] void fail_elf(const std::string &file, const char *call) {
    fail(file, std::string(call) + " failed: " + elf_errmsg(-1),
         "the file is not a valid ELF object");
}

bool range_ok(uint64_t off, uint64_t len, uint64_t total) {
    return off <= total && len <= total - off;
}

struct LibelfInit {
    LibelfInit() { elf_version(EV_CURRENT); }
};

} // namespace

ObjectFile::ObjectFile(ObjectFile &&o) noexcept { *this = std::move(o); }

ObjectFile &ObjectFile::operator=(ObjectFile &&o) noexcept {
    if (this != &o) {
        if (elf_)
            elf_end(static_cast<Elf *>(elf_));
        name_ = std::move(o.name_);
        bytes_ = std::move(o.bytes_);
        elf_ = o.elf_;
        o.elf_ = nullptr;
        sections_ = std::move(o.sections_);
        symbols_ = std::move(o.symbols_);
        relocs_ = std::move(o.relocs_);
        source_file_ = o.source_file_;
    }
    return *this;
}

ObjectFile::~ObjectFile() {
    if (elf_)
        elf_end(static_cast<Elf *>(elf_));
}

ObjectFile ObjectFile::load(const std::string &path) {
    // Not an ifstream: it reads a directory as an I/O exception and
    // /dev/zero without end.  Regular files are read to their size, anything
    // else (a FIFO, a device) only up to the limit, and nothing that does
    // not start like an ELF file is read further than its header.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(path, std::string("cannot open: ") + std::strerror(errno));
    struct FdCloser {
        int fd;
        ~FdCloser() { ::close(fd); }
    } closer{fd};
    struct stat st;
    if (::fstat(fd, &st) != 0)
        fail(path, std::string("cannot stat: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        fail(path, "is a directory", "give an object file (.o)");
    if (S_ISREG(st.st_mode) && uint64_t(st.st_size) > kMaxObjectSize)
        fail(path,
             "file is " + std::to_string(st.st_size) + " bytes, more than the " +
                 std::to_string(kMaxObjectSize >> 20) + " MiB an object file may have",
             "give an object file (.o) of the kernel build");
    std::vector<uint8_t> bytes;
    if (S_ISREG(st.st_mode))
        bytes.reserve(size_t(st.st_size));
    uint8_t buf[65536];
    for (;;) {
        size_t want = bytes.size() < EI_NIDENT ? EI_NIDENT - bytes.size() : sizeof buf;
        ssize_t n = ::read(fd, buf, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail(path, std::string("read error: ") + std::strerror(errno));
        if (n == 0)
            break;
        bytes.insert(bytes.end(), buf, buf + n);
        if (bytes.size() >= SELFMAG && std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0)
            fail(path, "not an ELF file", "expected an x86-64 relocatable object (.o)");
        if (bytes.size() > kMaxObjectSize)
            fail(path,
                 "more than the " + std::to_string(kMaxObjectSize >> 20) +
                     " MiB an object file may have (not a regular file)",
                 "give an object file (.o) of the kernel build");
    }
    return parse(path, std::move(bytes));
}

ObjectFile ObjectFile::parse(std::string name, std::vector<uint8_t> bytes) {
    static LibelfInit init;
    ObjectFile obj;
    obj.name_ = std::move(name);
    obj.bytes_ = std::make_unique<std::vector<uint8_t>>(std::move(bytes));
    obj.index(obj.name_);
    return obj;
}

namespace {

// The ELF header and the bounds of the section header table, checked
// before libelf is given the file.
Elf64_Ehdr check_header(const std::string &file, const std::vector<uint8_t> &buf) {
    if (buf.size() < EI_NIDENT || std::memcmp(buf.data(), ELFMAG, SELFMAG) != 0)
        fail(file, "not an ELF file", "expected an x86-64 relocatable object (.o)");
    if (buf.size() < sizeof(Elf64_Ehdr))
        fail(file, "truncated ELF header");
    if (buf[EI_CLASS] != ELFCLASS64 || buf[EI_DATA] != ELFDATA2LSB)
        fail(file, "not a 64-bit little-endian ELF object", "only amd64 objects are supported");

    Elf64_Ehdr eh;
    std::memcpy(&eh, buf.data(), sizeof eh);
    if (eh.e_type != ET_REL)
        fail(file, "not a relocatable object (e_type " + std::to_string(eh.e_type) + ")",
             "give the .o files of the kernel build, not the linked kernel or a module");
    if (eh.e_machine != EM_X86_64)
        fail(file, "object is for another machine (e_machine " + std::to_string(eh.e_machine) + ")",
             "only amd64 (EM_X86_64) is supported");
    if (eh.e_shentsize != sizeof(Elf64_Shdr))
        fail(file, "bad section header entry size " + std::to_string(eh.e_shentsize));

    // The section header table, checked before libelf reads it: a
    // truncated file must say so, not "no sections".  With e_shnum 0 the
    // count is in the first entry's sh_size.
    if (eh.e_shoff == 0)
        fail(file, "object has no section header table (e_shoff is 0)");
    auto past_end = [&](uint64_t need) {
        fail(file,
             "section header table at offset " + std::to_string(eh.e_shoff) + " (" +
                 std::to_string(need) + " bytes) " +
                 (eh.e_shoff >= buf.size() ? "lies" : "extends") + " past the end of the file (" +
                 std::to_string(buf.size()) + " bytes)",
             "the object is truncated; rebuild it");
    };
    if (!range_ok(eh.e_shoff, sizeof(Elf64_Shdr), buf.size()))
        past_end(sizeof(Elf64_Shdr));
    uint64_t nsec = eh.e_shnum;
    if (nsec == 0) {
        Elf64_Shdr first;
        std::memcpy(&first, buf.data() + eh.e_shoff, sizeof first);
        nsec = first.sh_size;
    }
    if (nsec == 0)
        fail(file, "object has no sections");
    if (nsec > buf.size() / sizeof(Elf64_Shdr) ||
        !range_ok(eh.e_shoff, nsec * sizeof(Elf64_Shdr), buf.size()))
        past_end(nsec * sizeof(Elf64_Shdr));
    return eh;
}

} // namespace

void ObjectFile::index(const std::string &file) {
    std::vector<uint8_t> &buf = *bytes_;
    Elf64_Ehdr eh = check_header(file, buf);

    Elf *e = elf_memory(reinterpret_cast<char *>(buf.data()), buf.size());
    if (!e)
        fail_elf(file, "elf_memory");
    elf_ = e;
    if (elf_kind(e) != ELF_K_ELF)
        fail(file, "not an ELF object");

    size_t shnum = 0, shstrndx = 0;
    if (elf_getshdrnum(e, &shnum) != 0)
        fail_elf(file, "elf_getshdrnum");
    if (elf_getshdrstrndx(e, &shstrndx) != 0)
        fail_elf(file, "elf_getshdrstrndx");
    if (shnum == 0)
        fail(file, "object has no sections");
    if (!range_ok(eh.e_shoff, uint64_t(shnum) * sizeof(Elf64_Shdr), buf.size()))
        fail(file, "section header table lies outside the file (truncated?)");
    if (shstrndx >= shnum)
        fail(file, "section name table index " + std::to_string(shstrndx) + " out of range");

    sections_.resize(shnum);
    relocs_.resize(shnum);
    index_sections(file, shstrndx);
    const Section &symtab = index_symbols(file);
    index_relocations(file, symtab.index);
}

// Sections' headers, contents and names.
void ObjectFile::index_sections(const std::string &file, size_t shstrndx) {
    std::vector<uint8_t> &buf = *bytes_;
    Elf *e = static_cast<Elf *>(elf_);
    size_t shnum = sections_.size();
    for (size_t i = 0; i < shnum; i++) {
        Elf_Scn *scn = elf_getscn(e, i);
        GElf_Shdr sh;
        if (!scn || !gelf_getshdr(scn, &sh))
            fail_elf(file, "gelf_getshdr");
        Section &s = sections_[i];
        s.index = uint32_t(i);
        s.type = sh.sh_type;
        s.flags = sh.sh_flags;
        s.size = sh.sh_size;
        s.addralign = sh.sh_addralign;
        s.entsize = sh.sh_entsize;
        s.link = sh.sh_link;
        s.info = sh.sh_info;
        // Alignment must be a power of two; nothing in a kernel object needs
        // more than a superpage.  (A corrupt value would make any writer pad
        // without end.)
        if (s.addralign > (1u << 21) || (s.addralign & (s.addralign - 1)) != 0)
            fail(file, "section " + std::to_string(i) + ": implausible alignment " +
                           std::to_string(s.addralign));
        if (s.type == SHT_NOBITS && (s.flags & SHF_EXECINSTR))
            fail(file,
                 "section " + std::to_string(i) + ": code section without contents (SHT_NOBITS)");
        if (i != 0 && s.type != SHT_NOBITS && s.type != SHT_NULL) {
            if (!range_ok(sh.sh_offset, sh.sh_size, buf.size()))
                fail(file, "section " + std::to_string(i) + " lies outside the file (truncated?)");
            s.data = std::span<const uint8_t>(buf.data() + sh.sh_offset, sh.sh_size);
        }
    }
    // Names: the section name table must itself be a valid string table.
    const Section &shstr = sections_[shstrndx];
    if (shstr.type != SHT_STRTAB || shstr.data.empty() || shstr.data.back() != 0)
        fail(file, "section name table is not a NUL-terminated string table");
    for (size_t i = 1; i < shnum; i++) {
        GElf_Shdr sh;
        gelf_getshdr(elf_getscn(e, i), &sh);
        if (sh.sh_name >= shstr.data.size())
            fail(file, "section " + std::to_string(i) + ": name offset out of range");
        sections_[i].name = reinterpret_cast<const char *>(shstr.data.data() + sh.sh_name);
    }
}

// The symbol table: exactly one, as the kernel linker requires.  Returns it.
const Section &ObjectFile::index_symbols(const std::string &file) {
    size_t shnum = sections_.size();
    const Section *symtab = nullptr;
    const Section *shndx_sec = nullptr;
    for (const Section &s : sections_) {
        if (s.type == SHT_SYMTAB) {
            if (symtab)
                fail(file, "more than one symbol table");
            symtab = &s;
        } else if (s.type == SHT_SYMTAB_SHNDX) {
            shndx_sec = &s;
        } else if (s.type == SHT_REL) {
            fail(file, std::string(s.name) + ": SHT_REL relocations are not used on amd64",
                 "the object was not produced by an amd64 compiler");
        }
    }
    if (!symtab)
        fail(file, "no symbol table", "was the object stripped?");
    if (symtab->entsize != sizeof(Elf64_Sym) || symtab->size % sizeof(Elf64_Sym) != 0)
        fail(file, "symbol table has a bad entry size");
    if (symtab->link >= shnum || sections_[symtab->link].type != SHT_STRTAB)
        fail(file, "symbol table's string table index is invalid");
    const Section &strtab = sections_[symtab->link];
    if (strtab.data.empty() || strtab.data.back() != 0)
        fail(file, "symbol string table is not NUL-terminated");
    size_t nsyms = symtab->size / sizeof(Elf64_Sym);
    if (shndx_sec && shndx_sec->size < nsyms * sizeof(uint32_t))
        fail(file, "SHT_SYMTAB_SHNDX section is too small");
    if (symtab->info > nsyms)
        fail(file, "symbol table's first-global index is out of range");

    symbols_.resize(nsyms);
    for (size_t i = 0; i < nsyms; i++) {
        Elf64_Sym es;
        std::memcpy(&es, symtab->data.data() + i * sizeof es, sizeof es);
        Symbol &sym = symbols_[i];
        sym.index = uint32_t(i);
        if (es.st_name >= strtab.data.size())
            fail(file, "symbol " + std::to_string(i) + ": name offset out of range");
        sym.name = reinterpret_cast<const char *>(strtab.data.data() + es.st_name);
        sym.type = ELF64_ST_TYPE(es.st_info);
        sym.bind = ELF64_ST_BIND(es.st_info);
        sym.other = es.st_other;
        sym.value = es.st_value;
        sym.size = es.st_size;
        sym.shndx = es.st_shndx;
        sym.raw_shndx = es.st_shndx;
        if (es.st_shndx == SHN_XINDEX) {
            if (!shndx_sec)
                fail(file,
                     "symbol " + std::to_string(i) + " uses SHN_XINDEX without SHT_SYMTAB_SHNDX");
            uint32_t x;
            std::memcpy(&x, shndx_sec->data.data() + i * sizeof x, sizeof x);
            sym.shndx = x;
        }
        if (sym.raw_shndx == SHN_COMMON)
            fail(file, "symbol '" + std::string(sym.name) + "' is a common symbol",
                 "the kernel is built with -fno-common; use the same flags");
        if (sym.defined()) {
            if (sym.shndx >= shnum)
                fail(file, "symbol '" + std::string(sym.name) + "': section index " +
                               std::to_string(sym.shndx) + " out of range");
            const Section &s = sections_[sym.shndx];
            if (s.type == SHT_NULL)
                fail(file, "symbol '" + std::string(sym.name) + "' is defined in the null section");
            if (sym.value > s.size || sym.size > s.size - sym.value)
                fail(file, "symbol '" + std::string(sym.name) +
                               "' extends past the end of section " + std::string(s.name));
            if (sym.is_func() && !(s.exec() && s.alloc()))
                fail(file,
                     std::string(s.name) + ": function '" + std::string(sym.name) +
                         "' is in a section without SHF_ALLOC|SHF_EXECINSTR",
                     "the object is corrupt or not produced by a compiler");
        }
        if (sym.is_file() && source_file_.empty() && !sym.name.empty())
            source_file_ = sym.name;
    }
    return *symtab;
}

// Relocations, attached to the section they modify.
void ObjectFile::index_relocations(const std::string &file, uint32_t symtab_index) {
    size_t shnum = sections_.size(), nsyms = symbols_.size();
    for (const Section &s : sections_) {
        if (s.type != SHT_RELA)
            continue;
        if (s.entsize != sizeof(Elf64_Rela) || s.size % sizeof(Elf64_Rela) != 0)
            fail(file, std::string(s.name) + ": bad relocation entry size");
        if (s.link != symtab_index)
            fail(file, std::string(s.name) + ": relocations refer to another symbol table");
        if (s.info == 0 || s.info >= shnum)
            fail(file, std::string(s.name) + ": target section index out of range");
        const Section &target = sections_[s.info];
        if (!relocs_[s.info].empty())
            fail(file, std::string(target.name) + ": more than one relocation section");
        size_t n = s.size / sizeof(Elf64_Rela);
        std::vector<Reloc> &out = relocs_[s.info];
        out.reserve(n);
        for (size_t k = 0; k < n; k++) {
            Elf64_Rela er;
            std::memcpy(&er, s.data.data() + k * sizeof er, sizeof er);
            Reloc r{er.r_offset, uint32_t(ELF64_R_TYPE(er.r_info)),
                    uint32_t(ELF64_R_SYM(er.r_info)), er.r_addend};
            if (r.sym >= nsyms)
                fail(file, std::string(s.name) + ": relocation " + std::to_string(k) +
                               ": invalid symbol index " + std::to_string(r.sym));
            unsigned width = reloc_field_size(r.type);
            if (!range_ok(r.offset, width ? width : 1, target.size))
                fail(file, std::string(s.name) + ": relocation " + std::to_string(k) +
                               " at offset " + std::to_string(r.offset) + " lies outside " +
                               std::string(target.name));
            const Symbol &rs = symbols_[r.sym];
            if (rs.is_section() && (rs.shndx == SHN_UNDEF || rs.shndx >= shnum))
                fail(file, std::string(s.name) + ": relocation against an invalid section symbol");
            out.push_back(r);
        }
        // Compilers and assemblers write them in order: checking is a
        // twentieth of sorting them again (issue 12 finding 9).
        auto by_offset = [](const Reloc &a, const Reloc &b) { return a.offset < b.offset; };
        if (!std::is_sorted(out.begin(), out.end(), by_offset))
            std::sort(out.begin(), out.end(), by_offset);
        for (size_t k = 1; k < out.size(); k++) {
            unsigned w = reloc_field_size(out[k - 1].type);
            if (out[k].offset < out[k - 1].offset + w)
                fail(file, std::string(s.name) + ": overlapping relocations at offset " +
                               std::to_string(out[k].offset));
        }
    }
}

} // namespace fbsdlp::elf
