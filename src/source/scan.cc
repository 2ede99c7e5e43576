// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Running the libclang scanner (clang_scan.cc) on one translation unit and
// reading its answer.

#include "fbsdlp/source/source.h"
#include "fbsdlp/util/file.h"
#include "fbsdlp/util/process.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;

namespace fbsdlp::source {

std::string find_scanner(const std::string &self) {
    if (const char *e = std::getenv("FBSDLP_CLANG_SCAN"))
        return e;
    fs::path dir = fs::path(self).parent_path();
    for (fs::path p :
         {dir / "fbsdlp-clang-scan", dir / "../libexec/fbsd-livepatch/fbsdlp-clang-scan"})
        if (fs::exists(p))
            return p.lexically_normal().string();
    return "fbsdlp-clang-scan";
}

UnitScan scan_unit(const std::string &scanner, const build::CompileCommand &cmd,
                   const std::vector<std::string> &files,
                   const std::map<std::string, std::string> &patched, const std::string &work_dir) {
    static std::atomic<unsigned> seq{0};
    UnitScan u;
    std::string base = work_dir + "/scan-" + std::to_string(getpid()) + "-" + std::to_string(seq++);
    json req{{"argv", cmd.argv}, {"source", cmd.source}, {"files", files}, {"unsaved", patched}};
    try {
        write_file_atomic(base + ".req.json", req.dump());
        ProcessResult r = run_process({scanner, base + ".req.json", base + ".out.json"}, cmd.cwd);
        json res;
        if (fs::exists(base + ".out.json"))
            res = json::parse(read_file(base + ".out.json"), nullptr, false);
        std::error_code ec;
        fs::remove(base + ".req.json", ec);
        fs::remove(base + ".out.json", ec);
        if (res.is_discarded() || !res.is_object()) {
            u.errors.push_back("the libclang scanner (" + scanner + ") failed on " + cmd.source +
                               " (exit " + std::to_string(r.status) + "): " + first_line(r.output));
            return u;
        }
        if (res.contains("error")) {
            u.errors.push_back(res["error"].get<std::string>());
            return u;
        }
        for (const auto &e : res.at("errors"))
            u.errors.push_back(e.get<std::string>());
        for (const auto &m : res.at("macro_uses")) {
            MacroUse mu{m.at("name"), m.at("file"), m.at("begin"), m.at("end"),
                        m.value("args", std::vector<std::string>{})};
            u.macro_uses.push_back(std::move(mu));
        }
        for (const auto &j : res.at("defs")) {
            Definition d;
            d.kind = j.at("kind");
            d.name = j.at("name");
            d.file = j.at("file");
            d.begin = j.at("begin");
            d.end = j.at("end");
            d.hash = j.at("hash");
            d.is_static = j.value("static", false);
            d.is_inline = j.value("inline", false);
            d.is_const = j.value("const", false);
            d.type = j.value("type", "");
            for (const auto &x : j.value("calls", std::vector<std::string>{}))
                d.calls.insert(x);
            for (const auto &x : j.value("types", std::vector<std::string>{}))
                d.types.insert(x);
            for (const auto &x : j.value("vars", std::vector<std::string>{}))
                d.vars.insert(x);
            d.asm_lines = j.value("asm", std::vector<unsigned>{});
            u.defs.push_back(std::move(d));
        }
    } catch (const std::exception &e) {
        u.errors.push_back(std::string("cannot read the scanner's answer for ") + cmd.source +
                           ": " + e.what());
        return u;
    }
    // Macros expanded inside a function or variable definition belong to it.
    for (auto &d : u.defs) {
        if (d.kind != "function" && d.kind != "variable")
            continue;
        for (const auto &m : u.macro_uses)
            if (m.file == d.file && m.begin >= d.begin && m.end <= d.end)
                d.macros.insert(m.name);
    }
    u.ok = true;
    return u;
}

} // namespace fbsdlp::source
