// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Stage 5: every recompiled object diffed against its original, in
// parallel, each object parsed once; a worker's error does not stop the
// others, and every error is reported.  Then the reconciliation: every
// binary change explained by the source.

#include "stages.h"

#include "fbsdlp/diff/report.h"
#include "fbsdlp/elf/object.h"
#include "fbsdlp/util/error.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace fbsdlp::pipeline {

namespace {

// One pair: the diff, and the functions the patched object defines (for
// the reconciliation, from the same parse).
void diff_one(const Run &r, Diffed &d, size_t i) {
    elf::ObjectFile a = elf::ObjectFile::load(d.pairs[i].first);
    elf::ObjectFile b = elf::ObjectFile::load(d.pairs[i].second);
    diff::Options dopts;
    dopts.profile = r.o.profile;
    dopts.show_first_changed = true;
    d.results[i] = diff::diff_objects(a, b, dopts);
    for (const auto &sym : b.symbols())
        if (sym.is_func() && sym.defined())
            d.out_of_line[i].insert(std::string(sym.name));
}

void run_workers(const Run &r, Diffed &d) {
    std::vector<std::string> errors(d.pairs.size());
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (int k = 0; k < std::max(1, r.o.jobs); k++)
        threads.emplace_back([&] {
            for (size_t i; (i = next++) < d.pairs.size();) {
                try {
                    diff_one(r, d, i);
                } catch (const Error &e) {
                    errors[i] = e.what();
                }
            }
        });
    for (auto &t : threads)
        t.join();
    std::string all;
    for (const auto &e : errors)
        if (!e.empty())
            all += (all.empty() ? "" : "; ") + e;
    if (!all.empty())
        throw Error("diff", all);
}

} // namespace

Diffed diff_all(Run &r, const kbuild::PatchedBuild &pb) {
    StageTimer t = r.stage(5, "diff");
    Diffed d;
    d.pairs.assign(pb.objects.begin(), pb.objects.end());
    d.results.resize(d.pairs.size());
    d.out_of_line.resize(d.pairs.size());
    run_workers(r, d);
    size_t nchanged = 0, nnew = 0;
    for (const auto &x : d.results) {
        nchanged += x.changed_functions.size();
        nnew += x.new_functions.size();
        d.changed_objects += !x.no_change();
        d.refused |= x.refused();
        d.refusals += x.refusals.size();
    }
    t.done(std::to_string(d.changed_objects) + " object(s) changed: " + std::to_string(nchanged) +
           " changed, " + std::to_string(nnew) + " new function(s)");
    if (!r.o.quiet)
        for (const auto &x : d.results)
            if (!x.no_change())
                r.say(Progress::Kind::Text, diff::report_text(x));
    // Without DWARF a changed struct layout that unpatched code still uses
    // goes unnoticed, and the patch corrupts live data: refuse to go on
    // unless the user said so.  Once per run, not once per object: a kernel
    // built without -g lacks DWARF in every object.
    const diff::Result *first = nullptr;
    size_t unchecked = 0;
    for (const auto &x : d.results)
        if (!x.layout_checked) {
            first = first ? first : &x;
            unchecked++;
        }
    if (first && !r.o.allow_no_layout_checks)
        throw Error(first->object + (unchecked > 1 ? " (and " + std::to_string(unchecked - 1) +
                                                         " other object(s))"
                                                   : std::string()),
                    "no type-layout checks: " + first->layout_skipped +
                        "; a changed struct, union, enum or variable type that unpatched code "
                        "uses would go undetected",
                    "build the kernel with debug information (makeoptions DEBUG=-g, as GENERIC "
                    "does), or pass --allow-no-layout-checks to generate the patch without the "
                    "checks");
    if (first && !r.o.quiet)
        r.say(Progress::Kind::Warning,
              first->object + ": " + first->layout_skipped +
                  "; type-layout checks skipped (--allow-no-layout-checks; and for any other "
                  "object without DWARF)");
    return d;
}

Reconciled reconcile_all(Run &r, const Diffed &d, const SourceAnalysis &sa) {
    Reconciled out;
    for (size_t i = 0; i < d.results.size(); i++) {
        auto ua = sa.analysed.find(d.pairs[i].first);
        // A unit the parser could not read was warned about; calling all
        // its changes unexplained would only repeat that.
        if (ua == sa.analysed.end() || !ua->second.patched.ok || !ua->second.orig.ok)
            continue;
        source::BinaryObject bin;
        bin.object = d.results[i].object;
        for (const auto *fl : {&d.results[i].changed_functions, &d.results[i].new_functions})
            for (const auto &f : *fl) {
                bin.changed.push_back(f.name);
                if (!f.inlines.empty())
                    bin.inlines[f.name] = f.inlines;
            }
        bin.out_of_line = d.out_of_line[i];
        auto rec = source::reconcile(bin, ua->second.touched, ua->second.patched);
        for (const auto &e : rec.changed)
            out.unexplained += e.cls == "unexplained";
        if (!rec.changed.empty() || !rec.touched.empty())
            out.recs.push_back(std::move(rec));
    }
    if (!r.o.quiet)
        r.say(Progress::Kind::Text, source::report_text(out.recs));
    for (const auto &x : out.recs)
        for (const auto &e : x.changed)
            if (e.cls == "unexplained")
                r.say(r.o.strict ? Progress::Kind::Error : Progress::Kind::Warning,
                      x.object + ": " + e.function +
                          " changed in the binary but the fix does not explain it; the original "
                          "and patched builds may differ in flags, compiler or environment, and "
                          "such a patch must not ship");
    return out;
}

} // namespace fbsdlp::pipeline
