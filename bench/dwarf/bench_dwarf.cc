// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Cost of the DWARF pass of the diff (docs/layout-checks.md) relative to the
// diff's own time, in the same run and process: the diff of one object pair
// with the pass and without it, alternated, several times each.  CPU time of
// this thread (CLOCK_THREAD_CPUTIME_ID), so that other work on the machine
// does not enter the figures; medians.  Run by bench/dwarf.sh.
//
// Usage: bench-dwarf RUNS ORIG.o PATCHED.o

#include "fbsdlp/analysis/dwarf.h"
#include "fbsdlp/diff/diff.h"
#include "fbsdlp/util/error.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

using namespace fbsdlp;

static double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

static double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

int main(int argc, char **argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: bench-dwarf RUNS ORIG.o PATCHED.o\n");
        return 1;
    }
    int runs = std::max(1, std::atoi(argv[1]));
    try {
        elf::ObjectFile o = elf::ObjectFile::load(argv[2]);
        elf::ObjectFile p = elf::ObjectFile::load(argv[3]);
        diff::Options with, without;
        without.dwarf = false;
        std::vector<double> t_with, t_without, t_read;
        diff::Result r = diff::diff_objects(o, p, with); // warm-up
        if (!r.layout_checked) {
            std::fprintf(stderr, "bench-dwarf: %s: %s\n", argv[2], r.layout_skipped.c_str());
            return 1;
        }
        for (int i = 0; i < runs; i++) {
            double t0 = cpu_ms();
            diff::diff_objects(o, p, without);
            double t1 = cpu_ms();
            diff::diff_objects(o, p, with);
            double t2 = cpu_ms();
            auto a = analysis::read_dwarf(o);
            auto b = analysis::read_dwarf(p);
            double t3 = cpu_ms();
            t_without.push_back(t1 - t0);
            t_with.push_back(t2 - t1);
            t_read.push_back(t3 - t2);
        }
        double w = median(t_with), wo = median(t_without), rd = median(t_read);
        std::printf("diff_ms=%.2f diff_dwarf_ms=%.2f dwarf_ms=%.2f read_ms=%.2f ratio=%.2f "
                    "runs=%d\n",
                    wo, w, w - wo, rd, (w - wo) / wo, runs);
    } catch (const Error &e) {
        std::fprintf(stderr, "bench-dwarf: %s\n", e.what());
        return 1;
    }
    return 0;
}
