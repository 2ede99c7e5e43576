// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Running the libclang scanner (clang_scan.cc) on one translation unit and
// reading its answer.

#include "fbsdlp/source/source.h"
#include "fbsdlp/util/file.h"
#include "fbsdlp/util/process.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <tuple>
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

namespace {

UnitScan read_scan(const json &res) {
    UnitScan u;
    for (const auto &e : res.at("errors"))
        u.errors.push_back(e.get<std::string>());
    for (const auto &m : res.at("macro_uses"))
        u.macro_uses.push_back(MacroUse{m.at("name"), m.at("file"), m.at("begin"), m.at("end"),
                                        m.value("args", std::vector<std::string>{})});
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
    // Macros expanded inside a function or variable definition belong to
    // it: both lists sorted by line, one pass per file.
    std::vector<const MacroUse *> uses;
    for (const auto &m : u.macro_uses)
        uses.push_back(&m);
    std::sort(uses.begin(), uses.end(), [](const MacroUse *a, const MacroUse *b) {
        return std::tie(a->file, a->begin) < std::tie(b->file, b->begin);
    });
    for (auto &d : u.defs) {
        if (d.kind != "function" && d.kind != "variable")
            continue;
        auto it = std::lower_bound(uses.begin(), uses.end(), &d, [](const MacroUse *m, auto *x) {
            return std::tie(m->file, m->begin) < std::tie(x->file, x->begin);
        });
        for (; it != uses.end() && (*it)->file == d.file && (*it)->begin <= d.end; ++it)
            if ((*it)->end <= d.end)
                d.macros.insert((*it)->name);
    }
    u.ok = true;
    return u;
}

} // namespace

std::vector<ScanResult> scan_units(const std::string &scanner, const std::vector<ScanJob> &jobs,
                                   int threads, const std::string &work_dir) {
    static std::atomic<unsigned> seq{0};
    std::vector<ScanResult> out(jobs.size());
    if (jobs.empty())
        return out;
    std::string base = work_dir + "/scan-" + std::to_string(getpid()) + "-" + std::to_string(seq++);
    json req{{"threads", threads}, {"jobs", json::array()}};
    for (const auto &j : jobs) {
        json r{{"cwd", j.cmd.cwd},
               {"argv", j.cmd.argv},
               {"source", j.cmd.source},
               {"files", j.files},
               {"unsaved", j.unsaved}};
        if (j.twice)
            r["reparse"] = j.reparse;
        req["jobs"].push_back(std::move(r));
    }
    auto fail_all = [&](const std::string &why) {
        for (auto &r : out) {
            r.first.errors = {why};
            r.second.errors = {why};
        }
        return out;
    };
    ProcessResult pr;
    json res;
    try {
        write_file_atomic(base + ".req.json", req.dump());
        pr = run_process({scanner, base + ".req.json", base + ".out.json"});
        if (fs::exists(base + ".out.json"))
            res = json::parse(read_file(base + ".out.json"), nullptr, false);
    } catch (const std::exception &e) {
        return fail_all(std::string("cannot run the libclang scanner: ") + e.what());
    }
    std::error_code ec;
    fs::remove(base + ".req.json", ec);
    fs::remove(base + ".out.json", ec);
    if (res.is_discarded() || !res.is_object() || !res.contains("results") ||
        res["results"].size() != jobs.size())
        return fail_all("the libclang scanner (" + scanner + ") failed (exit " +
                        std::to_string(pr.status) + "): " + first_line(pr.output));
    for (size_t i = 0; i < jobs.size(); i++) {
        const json &r = res["results"][i];
        try {
            if (r.contains("error")) {
                out[i].first.errors = {r["error"].get<std::string>()};
                out[i].second.errors = out[i].first.errors;
                continue;
            }
            out[i].first = read_scan(r.at("first"));
            if (jobs[i].twice)
                out[i].second = read_scan(r.at("second"));
        } catch (const std::exception &e) {
            out[i].first.errors = {std::string("unreadable scanner answer for ") +
                                   jobs[i].cmd.source + ": " + e.what()};
            out[i].first.ok = out[i].second.ok = false;
            out[i].second.errors = out[i].first.errors;
        }
    }
    return out;
}

UnitScan scan_unit(const std::string &scanner, const kbuild::CompileCommand &cmd,
                   const std::vector<std::string> &files,
                   const std::map<std::string, std::string> &patched, const std::string &work_dir) {
    ScanJob j{cmd, files, patched, {}, false};
    return scan_units(scanner, {j}, 1, work_dir).at(0).first;
}

} // namespace fbsdlp::source
