// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/module/link.h"
#include "fbsdlp/elf/object.h"
#include "fbsdlp/elf/writer.h"
#include "fbsdlp/module/inspect.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"
#include "fbsdlp/util/hex.h"
#include "fbsdlp/util/process.h"
#include "fbsdlp_abi.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <optional>
#include <set>
#include <sstream>

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
    if (info.fixes.size() > FBSDLP_FIXES_MAX)
        throw Error("patch info", std::to_string(info.fixes.size()) + " fixes, at most " +
                                      std::to_string(FBSDLP_FIXES_MAX) + " in one patch");
    rec.nfixes = uint32_t(info.fixes.size());
    for (size_t i = 0; i < info.fixes.size(); i++) {
        auto f = unhex(info.fixes[i], FBSDLP_SHA256_LEN, "fix SHA-256");
        std::memcpy(rec.fixes[i], f.data(), f.size());
    }
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
    // What bsd.kmod.mk installs: the module without its debug sections
    // (ld.lld -r keeps them even with --strip-debug).  FreeBSD's objcopy is
    // llvm-objcopy; binutils' does the same.
    for (const char *objcopy : {"llvm-objcopy", "llvm-objcopy-14", "objcopy"}) {
        r = run_process({objcopy, "--strip-debug", out});
        if (r.status == 0)
            return;
        if (r.status != 127)
            throw Error(out,
                        std::string(objcopy) + " --strip-debug failed: " + first_line(r.output));
    }
    throw Error(out, "no objcopy to strip the module's debug sections with",
                "install llvm (llvm-objcopy) or binutils (objcopy)");
}

std::vector<Expected> expected_of(const std::vector<diff::Result> &results) {
    std::vector<Expected> out;
    for (const auto &r : results) {
        Expected e{r.object, r.source_file, {}, {}};
        for (const auto &f : r.changed_functions)
            e.replaced.push_back(f.name);
        for (const auto &k : r.kernel_symbols)
            if (k.local)
                e.statics.push_back(k.name);
        out.push_back(std::move(e));
    }
    return out;
}

LivepatchInterface livepatch_interface(const KmodSources &k) {
    std::string path = k.livepatch_include() + "/livepatch.h";
    std::istringstream in(read_file(path));
    LivepatchInterface li;
    auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::string w1, w2, w3;
        // "#define\tLIVEPATCH_VERSION\t2"
        if (words >> w1 >> w2 >> w3 && w1 == "#define" && w2 == "LIVEPATCH_VERSION" &&
            std::isdigit(static_cast<unsigned char>(w3[0])))
            li.version = std::atoi(w3.c_str());
        // A declaration starts a line ("int\tlivepatch_register(module_t ...");
        // comment lines start with a blank or '*'.
        if (line.empty() || !(std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '_'))
            continue;
        for (size_t at = line.find("livepatch_"); at != std::string::npos;
             at = line.find("livepatch_", at + 1)) {
            if (at > 0 && ident(line[at - 1]))
                continue;
            size_t end = at;
            while (end < line.size() && ident(line[end]))
                end++;
            size_t paren = line.find_first_not_of(" \t", end);
            if (paren != std::string::npos && line[paren] == '(')
                li.exports.insert(line.substr(at, end - at));
        }
    }
    if (li.exports.empty() || li.version == 0)
        throw Error(path, "declares no livepatch_* function or no LIVEPATCH_VERSION",
                    "is this livepatch.h damaged?");
    return li;
}

namespace {

// The module metadata a patch kld must carry, or why it does not.
void check_kld_metadata(const Bytes &module, const std::string &where, const LivepatchInterface &lp,
                        const std::string &name, std::vector<std::string> &problems) {
    Inspection in = inspect_bytes(where, module);
    if (!in.kld) {
        problems.push_back("no module metadata (set_modmetadata_set): kldload(8) would load the "
                           "file and register nothing");
        return;
    }
    size_t declared = 0;
    for (const auto &m : in.kld->modules) {
        if (m.name != name)
            problems.push_back("declares module '" + m.name + "', not the patch's '" + name + "'");
        else if (m.handler.empty())
            problems.push_back("module '" + name + "' has no event handler");
        else
            declared++;
    }
    if (declared != 1)
        problems.push_back("declares module '" + name + "' " + std::to_string(declared) +
                           " times (DECLARE_MODULE), not once");
    bool on_livepatch = false;
    for (const auto &d : in.kld->depends)
        if (d.module == "livepatch")
            on_livepatch = d.minimum <= lp.version && lp.version <= d.maximum;
    if (!on_livepatch)
        problems.push_back("no MODULE_DEPEND on livepatch version " + std::to_string(lp.version) +
                           ": kldload would not load livepatch.ko first");
    if (std::find(in.undefined.begin(), in.undefined.end(), "livepatch_register") ==
        in.undefined.end())
        problems.push_back("never calls livepatch_register: the patch would not be registered");
}

} // namespace

std::vector<std::string> validate_module(const Bytes &module, const std::string &where,
                                         const KernelImage &kernel,
                                         const std::vector<Expected> &expected,
                                         diff::Profile profile, const LivepatchInterface *livepatch,
                                         const std::string &name) {
    std::vector<std::string> problems;
    elf::ObjectFile m = elf::ObjectFile::parse(where, module);
    // The kernel linker relocates the sections it loads (link_elf_obj.c);
    // debug sections are stripped, as bsd.kmod.mk strips them.
    for (const auto &s : m.sections()) {
        if (!s.alloc())
            continue;
        for (const auto &r : m.relocs(s.index))
            if (!diff::reloc_type_accepted(r.type, profile))
                problems.push_back(std::string(s.name) + ": " + elf::reloc_type_name(r.type) +
                                   " is not accepted by the kernel linker");
    }
    std::set<std::string> undefined;
    for (const auto &s : m.symbols())
        if (!s.name.empty() && !s.defined() && !s.is_file() && !s.is_section())
            undefined.insert(std::string(s.name));
    for (const auto &u : undefined) {
        if (u.rfind("__start_set_", 0) == 0 || u.rfind("__stop_set_", 0) == 0)
            continue; // bound by the kernel linker to the module's or the kernel's set
        if (livepatch && livepatch->exports.count(u))
            continue; // resolved in livepatch.ko, which the module depends on
        // The hosted image may take a symbol from libc, as its loader does.
        if (!kernel.exports(u) && !(profile == diff::Profile::Hosted && kernel.imports(u)))
            problems.push_back("undefined symbol '" + u + "' is not a global of " + kernel.path +
                               (livepatch ? " nor an export of livepatch.ko" : ""));
    }
    if (livepatch)
        check_kld_metadata(module, where, *livepatch, name, problems);
    for (const auto &e : expected) {
        for (const auto &f : e.replaced) {
            auto found = kernel.find(f, e.source_file);
            if (found.size() != 1)
                problems.push_back(e.object + ": replaced function '" + f + "' found " +
                                   std::to_string(found.size()) + " times in " + e.source_file +
                                   " of " + kernel.path);
        }
        for (const auto &k : e.statics) {
            auto found = kernel.find(k, e.source_file);
            if (found.size() != 1)
                problems.push_back(e.object + ": static '" + k + "' found " +
                                   std::to_string(found.size()) + " times in " + e.source_file +
                                   " of " + kernel.path);
        }
    }
    return problems;
}

LinkedModule link_and_validate(const std::vector<std::string> &diff_objects, const PatchInfo &info,
                               const std::string &work_dir, const KernelImage &kernel,
                               const std::vector<Expected> &expected, diff::Profile profile,
                               const KldStub *kld) {
    std::vector<std::string> objs = diff_objects;
    std::optional<LivepatchInterface> lp;
    if (profile == diff::Profile::Hosted) {
        std::string info_path = work_dir + "/fbsdlp_info.o";
        write_file_atomic(info_path, info_object(info));
        objs.insert(objs.begin(), info_path);
    } else {
        if (!kld)
            throw Error(info.name, "a kld needs the module stub and a kernel compile command");
        std::string stub = work_dir + "/fbsdlp_patch.o";
        compile_stub(kld->compile, kld->sources, info, stub);
        objs.push_back(stub);
        lp = livepatch_interface(kld->sources);
    }
    LinkedModule lm;
    lm.path = work_dir + "/" + info.name + ".ko";
    link_module(objs, lm.path);
    lm.bytes = read_bytes(lm.path, size_t(1) << 30);
    lm.problems = validate_module(lm.bytes, lm.path, kernel, expected, profile, lp ? &*lp : nullptr,
                                  info.name);
    return lm;
}

} // namespace fbsdlp::module
