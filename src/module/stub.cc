// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/module/stub.h"
#include "fbsdlp/module/link.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"
#include "fbsdlp/util/hex.h"
#include "fbsdlp/util/process.h"
#include "fbsdlp_abi.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace fbsdlp::module {

namespace {

bool usable(const fs::path &d) {
    return fs::exists(d / "patch/fbsdlp_patch.c") && fs::exists(d / "include/fbsdlp_abi.h") &&
           fs::exists(d / "freebsd/livepatch.h");
}

// "0x12,0x34" for the -D macros; at most max bytes of the hex string.
std::string c_bytes(const std::string &h, size_t max, const char *what) {
    std::optional<Bytes> b = from_hex(h);
    if (!b)
        throw Error("patch info", std::string(what) + " '" + h + "' is not hexadecimal");
    if (b->size() > max)
        b->resize(max);
    std::string s;
    for (uint8_t c : *b) {
        char x[8];
        snprintf(x, sizeof x, "0x%02x", c);
        s += (s.empty() ? "" : ",") + std::string(x);
    }
    return s.empty() ? "0" : s;
}

std::string c_string(const std::string &s) {
    std::string q = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            q += '\\';
        q += c;
    }
    return q + "\"";
}

// Options whose argument follows them and that only name the depfile.
bool depfile_option_with_arg(const std::string &a) {
    return a == "-MF" || a == "-MT" || a == "-MQ";
}
bool depfile_option(const std::string &a) {
    return a == "-MD" || a == "-MMD" || a == "-MP" || a == "-M" || a == "-MM";
}

} // namespace

KmodSources find_kmod_sources(const std::string &self) {
    std::vector<fs::path> tried;
    if (const char *e = std::getenv("FBSDLP_KMOD_DIR")) {
        if (usable(e))
            return {fs::path(e).lexically_normal().string()};
        throw Error(e,
                    "FBSDLP_KMOD_DIR holds no patch/fbsdlp_patch.c, include/fbsdlp_abi.h "
                    "and freebsd/livepatch.h",
                    "point it at kmod-template/ or share/fbsd-livepatch");
    }
    if (!self.empty())
        tried.push_back(fs::path(self).parent_path() / "../share/fbsd-livepatch");
#ifdef FBSDLP_SOURCE_KMOD_DIR
    tried.push_back(FBSDLP_SOURCE_KMOD_DIR);
#endif
    std::string list;
    for (const fs::path &d : tried) {
        if (usable(d))
            return {d.lexically_normal().string()};
        list += (list.empty() ? "" : ", ") + d.lexically_normal().string();
    }
    throw Error("patch module", "the patch module stub was not found (looked in " + list + ")",
                "install fbsd-livepatch (make install) or set FBSDLP_KMOD_DIR to kmod-template/");
}

std::string module_identifier(const std::string &name) {
    std::string id;
    for (char c : name)
        id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0])))
        id = "lp_" + id;
    return id;
}

KernelCompile kernel_compile_of(const kbuild::CompileCommand &unit) {
    if (unit.argv.empty())
        throw Error("patch module", "no compile command recorded for " + unit.source);
    KernelCompile kc{unit.cwd, {}};
    bool named = false;
    for (size_t i = 0; i < unit.argv.size(); i++) {
        const std::string &a = unit.argv[i];
        if (i > 0 && (a == "-o" || depfile_option_with_arg(a))) {
            i++;
            continue;
        }
        if (i > 0 && (depfile_option(a) || a == "-c"))
            continue;
        if (i > 0 && !named && a[0] != '-' &&
            fs::weakly_canonical(fs::path(unit.cwd) / a) == fs::weakly_canonical(unit.source)) {
            named = true;
            continue;
        }
        kc.argv.push_back(a);
    }
    if (!named)
        throw Error(unit.source, "its recorded compile command does not name it",
                    "rebuild the original kernel (remove the cache entry)");
    return kc;
}

std::vector<std::string> stub_command(const KernelCompile &kc, const KmodSources &k,
                                      const PatchInfo &info, const std::string &out) {
    if (kc.argv.empty())
        throw Error("patch module", "no kernel compile command to build the module stub with");
    std::vector<std::string> argv = kc.argv;
    size_t id_len =
        std::min<size_t>(from_hex(info.build_id).value_or(Bytes()).size(), FBSDLP_BUILD_ID_MAX);
    argv.insert(argv.end(),
                {"-c", "-DKLD_MODULE", "-I" + k.abi_include(), "-I" + k.livepatch_include(),
                 "-DLP_MODULE=" + module_identifier(info.name), "-DLP_NAME=" + c_string(info.name),
                 "-DLP_BUILD_ID=" + c_bytes(info.build_id, FBSDLP_BUILD_ID_MAX, "build-id"),
                 "-DLP_BUILD_ID_LEN=" + std::to_string(id_len),
                 "-DLP_FLAGS=" + std::to_string(info.flags),
                 "-DLP_TOOL_VERSION=" + c_string(FBSDLP_VERSION)});
    if (!info.diff_sha256.empty())
        argv.push_back("-DLP_DIFF_SHA256=" +
                       c_bytes(info.diff_sha256, FBSDLP_SHA256_LEN, "diff SHA-256"));
    if (info.fixes.size() > FBSDLP_FIXES_MAX)
        throw Error("patch info", std::to_string(info.fixes.size()) + " fixes, at most " +
                                      std::to_string(FBSDLP_FIXES_MAX) + " in one patch");
    if (!info.fixes.empty()) {
        std::string list;
        for (const auto &f : info.fixes)
            list +=
                (list.empty() ? "{" : ",{") + c_bytes(f, FBSDLP_SHA256_LEN, "fix SHA-256") + "}";
        argv.push_back("-DLP_NFIXES=" + std::to_string(info.fixes.size()));
        argv.push_back("-DLP_FIXES=" + list);
    }
    argv.insert(argv.end(), {"-o", out, k.stub()});
    return argv;
}

void compile_stub(const KernelCompile &kc, const KmodSources &k, const PatchInfo &info,
                  const std::string &out) {
    ProcessResult r = run_process(stub_command(kc, k, info, out), kc.cwd);
    if (r.status != 0)
        throw Error(k.stub(),
                    "the module stub does not compile with the kernel's command: " +
                        first_line(r.output),
                    "does the kernel tree have sys/module.h and sys/linker_set.h?");
}

} // namespace fbsdlp::module
