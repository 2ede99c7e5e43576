// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Inside src/pipeline: the stages of DESIGN.md 2 as functions, each taking
// the values the stages before it produced and returning its own, all in
// memory.  driver.cc calls them in order.
#pragma once

#include "fbsdlp/kbuild/kernel_build.h"
#include "fbsdlp/module/kernel_image.h"
#include "fbsdlp/module/link.h"
#include "fbsdlp/pipeline/driver.h"
#include "fbsdlp/source/source.h"
#include "fbsdlp/srcpatch/source_patch.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fbsdlp::pipeline {

// Thrown by check_interrupt() once request_interrupt() was called.
struct Interrupted {};
void check_interrupt();
bool interrupt_requested();

// What every stage sees: the options, where to tell progress, the times.
struct Run {
    Run(const DriverOptions &opts, Progress &p) : o(opts), progress(p) {}
    const DriverOptions &o;
    Progress &progress;
    nlohmann::json stage_seconds = nlohmann::json::object();
    kbuild::TreeSpec tree;
    std::string name, cache, work;
    bool temp_work = false;
    // Read (and its passphrase asked) before the build, not after it.
    std::optional<bundle::signify::SecretKey> sign_key;

    void say(Progress::Kind k, const std::string &text) const { progress.message(k, text); }
    StageTimer stage(int n, const char *what) {
        return StageTimer(progress, o.quiet, n, what, stage_seconds);
    }
};

// prepare.cc: the options checked (name, paths, key) and every path made
// absolute; then names and directories; the work directory removed at the
// end unless kept.
DriverOptions checked_options(const DriverOptions &o);
Run start(const DriverOptions &o, Progress &progress);
struct WorkDirCleanup {
    std::string dir;
    bool keep;
    ~WorkDirCleanup();
};

// fixes.cc: what --src gives, one diff or a series (several --src, or a
// series file), as one unified diff from the tree to the last fix.
struct FixPart {
    std::string path, sha256; // one fix as given, and its SHA-256
};
struct Fix {
    std::string text;  // the unified diff (a series: combined)
    std::string label; // names it in messages
    srcpatch::SourcePatch patch;
    std::vector<FixPart> parts; // in order; more than one: a cumulative patch
};
Fix read_fixes(const std::vector<std::string> &paths, const std::string &srcdir,
               const std::string &work);
struct Original {
    kbuild::OriginalBuild build;
    module::KernelImage kernel;                // the original build's
    std::optional<module::KernelImage> target; // --kernel-file, when it is another kernel
    // The kernel the patch is bound to and checked against.
    const module::KernelImage &bound() const { return target ? *target : kernel; }
};
struct UnitAnalysis {
    source::UnitScan orig, patched;
    std::vector<source::Touched> touched;
};
struct SourceAnalysis {
    std::map<std::string, kbuild::CompileCommand> units; // affected, by original object
    std::vector<std::string> notes;
    std::map<std::string, UnitAnalysis> analysed; // by original object
    std::vector<source::Touched> touched;         // over all units, each definition once
    std::vector<source::Finding> findings;
    std::vector<std::string> warnings;
    size_t failed = 0; // units the scanner could not analyse
};

Fix preflight(Run &r);                                                                // stage 1
Original original_build(Run &r);                                                      // stage 2
SourceAnalysis source_analysis(Run &r, const Fix &fix, const Original &orig);         // stage 3
kbuild::PatchedBuild patched_build(Run &r, const Fix &fix, const SourceAnalysis &sa); // 4

// diff_all.cc: stage 5, every recompiled object diffed in parallel, each
// object parsed once; then the reconciliation with the source.
struct Diffed {
    std::vector<std::pair<std::string, std::string>> pairs; // original, patched object
    std::vector<diff::Result> results;
    std::vector<std::set<std::string>> out_of_line; // functions defined in each patched object
    size_t changed_objects = 0, refusals = 0;
    bool refused = false;
};
Diffed diff_all(Run &r, const kbuild::PatchedBuild &pb);
struct Reconciled {
    std::vector<source::ObjectReconciliation> recs;
    size_t unexplained = 0;
};
Reconciled reconcile_all(Run &r, const Diffed &d, const SourceAnalysis &sa);

// report.cc: the JSON report.
nlohmann::json check_report(const Run &r, const Fix &fix, const SourceAnalysis &sa);
nlohmann::json diff_report(const Run &r, const Fix &fix, const Original &orig,
                           const SourceAnalysis &sa, const kbuild::PatchedBuild &pb,
                           const Diffed &d, const Reconciled &rec);
// Sets result and the stage times, writes NAME.json, keeps its text in res.
void write_report(const Run &r, nlohmann::json &report, const char *result, DriverOutcome &res);

// output.cc: stage 6 (link and finalize) and stage 7 (bundle).
module::LinkedModule link_stage(Run &r, const Fix &fix, const Original &orig,
                                const SourceAnalysis &sa, const Diffed &d);
void output_stage(Run &r, const Fix &fix, const Original &orig, const Diffed &d,
                  module::LinkedModule &lm, nlohmann::json &report, DriverOutcome &res);

} // namespace fbsdlp::pipeline
