// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/module/link.h"
#include "fbsdlp/elf/object.h"
#include "fbsdlp/elf/writer.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/hex.h"
#include "fbsdlp/util/process.h"
#include "fbsdlp_abi.h"

#include <cstring>
#include <elf.h>
#include <optional>
#include <set>

namespace fbsdlp::module {

// At most max bytes of the hex string h.
static Bytes unhex(const std::string &h, size_t max, const char *what) {
    std::optional<Bytes> b = from_hex(h);
    if (!b)
        throw Error("patch info", std::string(what) + " '" + h + "' is not hexadecimal");
    if (b->size() > max)
        b->resize(max);
    return *b;
}

Bytes info_object(const PatchInfo &info) {
    elf::ObjectWriter w;
    Bytes strings;
    auto add = [&](const std::string &s) {
        uint64_t at = strings.size();
        strings.insert(strings.end(), s.begin(), s.end());
        strings.push_back(0);
        return at;
    };
    uint64_t name_at = add(info.name), tool_at = add(FBSDLP_VERSION);
    auto str = w.add_section(".fbsdlp.info.strings", SHT_PROGBITS, SHF_ALLOC, 1, strings);

    fbsdlp_patch_info rec{};
    rec.magic = FBSDLP_INFO_MAGIC;
    rec.abi_version = FBSDLP_ABI_VERSION;
    rec.info_size = sizeof rec;
    rec.flags = info.flags;
    rec.freebsd_version = info.freebsd_version;
    auto id = unhex(info.build_id, FBSDLP_BUILD_ID_MAX, "build-id");
    rec.build_id_len = uint32_t(id.size());
    std::memcpy(rec.build_id, id.data(), id.size());
    auto sha = unhex(info.diff_sha256, FBSDLP_SHA256_LEN, "diff SHA-256");
    std::memcpy(rec.diff_sha256, sha.data(), sha.size());
    Bytes bytes(sizeof rec);
    std::memcpy(bytes.data(), &rec, sizeof rec);
    auto sec = w.add_section(FBSDLP_SEC_INFO, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8, bytes);
    w.add_reloc(sec, offsetof(fbsdlp_patch_info, name), R_X86_64_64, w.section_symbol(str),
                int64_t(name_at));
    w.add_reloc(sec, offsetof(fbsdlp_patch_info, tool_version), R_X86_64_64, w.section_symbol(str),
                int64_t(tool_at));
    w.add_section(".note.GNU-stack", SHT_PROGBITS, 0, 1, {});
    return w.write("fbsdlp_info");
}

void link_module(const std::vector<std::string> &objects, const std::string &out) {
    std::vector<std::string> argv = {"ld.lld", "-r", "--build-id=sha1", "-o", out};
    argv.insert(argv.end(), objects.begin(), objects.end());
    ProcessResult r = run_process(argv);
    if (r.status != 0)
        throw Error(out, "ld.lld -r failed: " + first_line(r.output));
}

std::vector<std::string> validate_module(const std::string &module, const KernelImage &kernel,
                                         const std::vector<diff::Result> &results,
                                         diff::Profile profile) {
    std::vector<std::string> problems;
    elf::ObjectFile m = elf::ObjectFile::load(module);
    for (const auto &s : m.sections())
        for (const auto &r : m.relocs(s.index))
            if (r.type != R_X86_64_64 && r.type != R_X86_64_PC32 && r.type != R_X86_64_PLT32 &&
                r.type != R_X86_64_32S &&
                !(profile == diff::Profile::Hosted && r.type == R_X86_64_32))
                problems.push_back(std::string(s.name) + ": " + elf::reloc_type_name(r.type) +
                                   " is not accepted by the kernel linker");
    std::set<std::string> undefined;
    for (const auto &s : m.symbols())
        if (!s.name.empty() && !s.defined() && !s.is_file() && !s.is_section())
            undefined.insert(std::string(s.name));
    for (const auto &u : undefined) {
        if (u.rfind("__start_set_", 0) == 0 || u.rfind("__stop_set_", 0) == 0)
            continue; // bound by the kernel linker to the module's or the kernel's set
        // The hosted image may take a symbol from libc, as its loader does.
        if (!kernel.exports(u) && !(profile == diff::Profile::Hosted && kernel.imports(u)))
            problems.push_back("undefined symbol '" + u + "' is not a global of " + kernel.path);
    }
    for (const auto &r : results) {
        for (const auto &f : r.changed_functions) {
            auto found = kernel.find(f.name, r.source_file);
            if (found.size() != 1)
                problems.push_back(r.object + ": replaced function '" + f.name + "' found " +
                                   std::to_string(found.size()) + " times in " + r.source_file +
                                   " of " + kernel.path);
        }
        for (const auto &k : r.kernel_symbols) {
            if (!k.local)
                continue;
            auto found = kernel.find(k.name, r.source_file);
            if (found.size() != 1)
                problems.push_back(r.object + ": static '" + k.name + "' found " +
                                   std::to_string(found.size()) + " times in " + r.source_file +
                                   " of " + kernel.path);
        }
    }
    return problems;
}

} // namespace fbsdlp::module
