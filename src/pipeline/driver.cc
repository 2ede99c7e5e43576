// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The driver is the pipeline's table of contents: preflight, original
// build, source analysis, patched build, diff, link and finalize, output
// (DESIGN.md 2).  Each stage is one call, timed, and passes what it made
// to the next in memory.  The user's tree is only ever read: the patched
// build works in a shadow tree, so an error or an interrupt at any point
// leaves the tree exactly as it was.

#include "stages.h"

#include "fbsdlp/util/error.h"

namespace fbsdlp::pipeline {

namespace {

DriverOutcome ended(DriverOutcome res, Ending e, size_t count = 0) {
    res.ending = e;
    res.count = count;
    return res;
}

DriverOutcome stages(Run &r) {
    DriverOutcome res;
    Fix fix = preflight(r);
    check_interrupt();
    Original orig = original_build(r);
    check_interrupt();
    SourceAnalysis sa = source_analysis(r, fix, orig);
    if (r.o.check_only || !sa.findings.empty()) {
        nlohmann::json report = check_report(r, fix, sa);
        write_report(r, report, sa.findings.empty() ? "ok" : "refused", res);
        return sa.findings.empty() ? ended(res, Ending::Checked)
                                   : ended(res, Ending::SourceRefused, sa.findings.size());
    }
    check_interrupt();
    kbuild::PatchedBuild pb = patched_build(r, fix, sa);
    check_interrupt();
    Diffed d = diff_all(r, pb);
    res.results = d.results;
    Reconciled rec = reconcile_all(r, d, sa);
    nlohmann::json report = diff_report(r, fix, orig, sa, pb, d, rec);
    if (d.refused) {
        write_report(r, report, "refused", res);
        return ended(res, Ending::Refused, d.refusals);
    }
    if (rec.unexplained && r.o.strict) {
        write_report(r, report, "refused", res);
        return ended(res, Ending::UnexplainedStrict, rec.unexplained);
    }
    if (d.changed_objects == 0) {
        write_report(r, report, "no change", res);
        return ended(res, Ending::NoChange);
    }
    check_interrupt();
    module::LinkedModule lm = link_stage(r, fix, orig, sa, d);
    if (!lm.problems.empty()) {
        report["validation"] = lm.problems;
        write_report(r, report, "refused", res);
        return ended(res, Ending::ValidationRefused, lm.problems.size());
    }
    output_stage(r, fix, orig, d, lm, report, res);
    return ended(res, Ending::Patch);
}

} // namespace

DriverOutcome run(const DriverOptions &given, Progress &progress) {
    // Checked and made absolute before anything is built (the builds run in
    // other directories); a bad name or path costs nothing.
    DriverOptions o = checked_options(given);
    Run r = start(o, progress);
    WorkDirCleanup cleanup{r.work, o.keep_tmp || !r.temp_work};
    try {
        return stages(r);
    } catch (const BuildError &) {
        if (!interrupt_requested())
            throw;
        return ended({}, Ending::Interrupted);
    } catch (const Interrupted &) {
        return ended({}, Ending::Interrupted);
    }
}

} // namespace fbsdlp::pipeline
