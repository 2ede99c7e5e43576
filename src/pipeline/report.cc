// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// NAME.json, the driver's report: the diff report of every object, the
// source analysis, the reconciliation, the stage times and the result.
// Written once; the bundle takes the same text.

#include "stages.h"

#include "fbsdlp/diff/report.h"
#include "fbsdlp/util/file.h"
#include "fbsdlp/util/sha256.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace fbsdlp::pipeline {

nlohmann::json check_report(const Run &r, const Fix &fix, const SourceAnalysis &sa) {
    return nlohmann::json{{"name", r.name},
                          {"kernconf", r.tree.kernconf},
                          {"diff_sha256", sha256_hex(fix.text)},
                          {"touched", source::to_json(sa.touched)},
                          {"preflight", source::to_json(sa.findings)},
                          {"source_warnings", sa.warnings},
                          {"objects", nlohmann::json::array()},
                          {"stage_seconds", r.stage_seconds}};
}

nlohmann::json diff_report(const Run &r, const Fix &fix, const Original &orig,
                           const SourceAnalysis &sa, const kbuild::PatchedBuild &pb,
                           const Diffed &d, const Reconciled &rec) {
    nlohmann::json report = diff::report_json(d.results);
    report["touched"] = source::to_json(sa.touched);
    report["preflight"] = source::to_json(sa.findings);
    report["source_warnings"] = sa.warnings;
    report["reconciliation"] = source::to_json(rec.recs);
    report["name"] = r.name;
    report["kernconf"] = r.tree.kernconf;
    report["target_build_id"] = orig.bound().build_id;
    report["original_build_id"] = orig.kernel.build_id;
    report["target_kernel"] =
        r.o.kernel_file.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.o.kernel_file);
    report["diff_sha256"] = sha256_hex(fix.text);
    report["fixes"] = nlohmann::json::array();
    for (const auto &p : fix.parts)
        report["fixes"].push_back({{"file", p.path}, {"sha256", p.sha256}});
    report["cumulative"] = fix.parts.size() > 1;
    report["original_build"] = orig.build.cached ? "cached" : "built";
    report["recompiled"] = nlohmann::json::array();
    for (const auto &[orig_obj, patched_obj] : pb.objects)
        report["recompiled"].push_back(fs::path(orig_obj).filename().string());
    report["stage_seconds"] = r.stage_seconds;
    return report;
}

void write_report(const Run &r, nlohmann::json &report, const char *result, DriverOutcome &res) {
    report["result"] = result;
    report["stage_seconds"] = r.stage_seconds;
    res.report_path = r.o.output_dir + "/" + r.name + ".json";
    res.report_text = report.dump(2) + "\n";
    // One run's outputs, never a mix: a report that is not a patch's goes
    // without the module and bundle an earlier run left under this name.
    if (std::string(result) != "patch")
        for (const char *ext : {".ko", ".lpbundle"})
            fs::remove(r.o.output_dir + "/" + r.name + ext);
    write_file_atomic(res.report_path, res.report_text);
}

} // namespace fbsdlp::pipeline
