// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/module/kernel_image.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/hex.h"

#include <cstring>
#include <elf.h>
#include <fstream>
#include <gelf.h>
#include <libelf.h>

namespace fbsdlp::module {

namespace {

KernelImage load_one(const std::string &path);

} // namespace

KernelImage KernelImage::load(const std::string &path, const std::string &debug_path) {
    KernelImage img = load_one(path);
    if (!debug_path.empty()) {
        // The symbols may be in the debug file only (a kernel installed
        // stripped of them); the code and the build-id are the kernel's.
        KernelImage dbg = load_one(debug_path);
        if (dbg.build_id != img.build_id)
            throw Error(debug_path,
                        "build-id " + dbg.build_id + " is not the kernel's " + img.build_id,
                        "give the kernel.debug installed with that kernel "
                        "(/usr/lib/debug/boot/kernel/kernel.debug)");
        img.symbols = std::move(dbg.symbols);
    }
    if (img.symbols.empty())
        throw Error(debug_path.empty() ? path : debug_path, "the kernel image has no symbol table",
                    debug_path.empty() ? "use kernel.full, an unstripped kernel, or --kernel-debug"
                                       : "give the kernel.debug of that kernel");
    for (size_t i = 0; i < img.symbols.size(); i++)
        img.by_name_.emplace(img.symbols[i].name, i);
    return img;
}

namespace {

KernelImage load_one(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path, "cannot open the kernel image");
    std::vector<char> buf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    elf_version(EV_CURRENT);
    Elf *e = elf_memory(buf.data(), buf.size());
    if (!e || elf_kind(e) != ELF_K_ELF)
        throw Error(path, "not an ELF file");
    struct Closer {
        Elf *e;
        ~Closer() { elf_end(e); }
    } closer{e};
    GElf_Ehdr eh;
    if (!gelf_getehdr(e, &eh) || eh.e_machine != EM_X86_64 ||
        (eh.e_type != ET_EXEC && eh.e_type != ET_DYN))
        throw Error(path, "not an amd64 kernel image", "give kernel.full (or /boot/kernel/kernel)");
    size_t shstrndx;
    if (elf_getshdrstrndx(e, &shstrndx) != 0)
        throw Error(path, std::string("elf_getshdrstrndx: ") + elf_errmsg(-1));
    KernelImage img;
    img.path = path;
    for (Elf_Scn *scn = nullptr; (scn = elf_nextscn(e, scn));) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
            throw Error(path, std::string("gelf_getshdr: ") + elf_errmsg(-1));
        const char *name = elf_strptr(e, shstrndx, sh.sh_name);
        Elf_Data *d = elf_getdata(scn, nullptr);
        if (!name || !d)
            continue;
        if (sh.sh_type == SHT_NOTE && std::strcmp(name, ".note.gnu.build-id") == 0 &&
            d->d_size >= 16) {
            const uint8_t *p = static_cast<const uint8_t *>(d->d_buf);
            uint32_t namesz, descsz;
            std::memcpy(&namesz, p, 4);
            std::memcpy(&descsz, p + 4, 4);
            size_t off = 12 + ((namesz + 3) & ~3u);
            if (off + descsz <= d->d_size && descsz <= 64) {
                img.build_id = to_hex(p + off, descsz);
            }
        } else if (std::strcmp(name, ".comment") == 0) {
            img.comment.assign(static_cast<const char *>(d->d_buf), d->d_size);
            for (char &c : img.comment)
                if (c == 0)
                    c = '\n';
        } else if ((sh.sh_flags & SHF_EXECINSTR) && (sh.sh_flags & SHF_ALLOC) &&
                   sh.sh_type == SHT_PROGBITS && d->d_buf && d->d_size == sh.sh_size) {
            const uint8_t *p = static_cast<const uint8_t *>(d->d_buf);
            img.code.push_back({sh.sh_addr, std::vector<uint8_t>(p, p + d->d_size)});
        } else if (sh.sh_type == SHT_SYMTAB) {
            size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
            std::string file;
            for (size_t i = 1; i < n; i++) {
                GElf_Sym s;
                if (!gelf_getsym(d, int(i), &s))
                    throw Error(path, "corrupt symbol table");
                const char *sn = elf_strptr(e, sh.sh_link, s.st_name);
                if (!sn)
                    throw Error(path, "symbol " + std::to_string(i) + ": bad name");
                uint8_t type = GELF_ST_TYPE(s.st_info);
                if (type == STT_FILE) {
                    file = sn;
                    continue;
                }
                ImageSymbol is{sn,
                               GELF_ST_BIND(s.st_info) == STB_LOCAL ? file : std::string(),
                               type,
                               uint8_t(GELF_ST_BIND(s.st_info)),
                               s.st_value,
                               s.st_size,
                               s.st_shndx != SHN_UNDEF};
                img.symbols.push_back(std::move(is));
            }
        }
    }
    return img;
}

} // namespace

const ImageSymbol *KernelImage::lookup(const std::string &name, const std::string &objname,
                                       uint32_t sympos, bool *ambiguous) const {
    if (ambiguous)
        *ambiguous = false;
    // by_name_ keeps symbol-table order within one name (multimap inserts
    // equal keys in order), which is the order the runtime counts in.
    const ImageSymbol *hit = nullptr, *global = nullptr;
    uint32_t pos = 0;
    auto [a, b] = by_name_.equal_range(name);
    for (auto it = a; it != b; ++it) {
        const ImageSymbol &s = symbols[it->second];
        if (!s.defined)
            continue;
        if (s.bind != STB_LOCAL) {
            if (!global)
                global = &s;
            continue;
        }
        if (!objname.empty() && s.file != objname)
            continue;
        pos++;
        if (sympos == 0 && hit) {
            if (ambiguous)
                *ambiguous = true;
            return nullptr;
        }
        if (sympos == 0 || pos == sympos)
            hit = &s;
    }
    if (!hit && sympos == 0)
        hit = global;
    return hit;
}

const uint8_t *KernelImage::code_at(uint64_t addr, uint64_t size) const {
    for (const ImageCode &c : code)
        if (addr >= c.addr && size <= c.bytes.size() && addr - c.addr <= c.bytes.size() - size)
            return c.bytes.data() + (addr - c.addr);
    return nullptr;
}

std::vector<const ImageSymbol *> KernelImage::find(const std::string &name,
                                                   const std::string &file) const {
    std::vector<const ImageSymbol *> out;
    auto [a, b] = by_name_.equal_range(name);
    for (auto it = a; it != b; ++it) {
        const ImageSymbol &s = symbols[it->second];
        if (s.defined && (file.empty() || s.file == file || (s.bind != STB_LOCAL)))
            out.push_back(&s);
    }
    return out;
}

bool KernelImage::exports(const std::string &name) const {
    auto [a, b] = by_name_.equal_range(name);
    for (auto it = a; it != b; ++it) {
        const ImageSymbol &s = symbols[it->second];
        if (s.defined && s.bind != STB_LOCAL)
            return true;
    }
    return false;
}

} // namespace fbsdlp::module

namespace fbsdlp::module {

bool KernelImage::imports(const std::string &name) const {
    // Imports may carry a symbol version: "memcpy@GLIBC_2.14".
    for (auto it = by_name_.lower_bound(name); it != by_name_.end(); ++it) {
        const std::string &n = it->first;
        if (n.rfind(name, 0) != 0)
            break;
        if ((n == name || n[name.size()] == '@') && !symbols[it->second].defined)
            return true;
    }
    return false;
}

} // namespace fbsdlp::module
