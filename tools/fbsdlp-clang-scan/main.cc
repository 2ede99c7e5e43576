// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsdlp-clang-scan REQUEST.json OUT.json: parses translation units with
// libclang, each exactly as its recorded compile command compiles it, and
// writes the definitions of the files of interest as JSON
// (src/source/clang_scan.cc does the scan).
//
// A process of its own, for two reasons: libclang carries a whole LLVM of
// its own (libLLVM-14.so) that must not meet the statically linked LLVM
// libraries of libfbsdlp in one address space, and a parser that fails on
// an odd translation unit must cost a warning, never the generator.

#include "clang_scan.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using fbsdlp::source::clang_scan::run_job;
using nlohmann::json;

namespace {

int fail(const std::string &out, const std::string &msg) {
    std::ofstream(out) << json{{"error", msg}}.dump() << "\n";
    return 1;
}

} // namespace

// Request: {"jobs": [{cwd, argv, source, files, unsaved, reparse?}...],
// "threads": N}.  Answer: {"results": [{"first": scan, "second": scan} or
// {"error": text}, ...]}, one per job, in order.
int main(int argc, char **argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: fbsdlp-clang-scan REQUEST.json OUT.json (internal)\n");
        return 1;
    }
    std::string out = argv[2];
    json req;
    try {
        std::ifstream in(argv[1]);
        req = json::parse(in);
    } catch (const std::exception &e) {
        return fail(out, std::string("bad request: ") + e.what());
    }
    const json jobs = req.value("jobs", json::array());
    std::vector<json> results(jobs.size());
    std::atomic<size_t> next{0};
    auto worker = [&] {
        // One index per thread: libclang allows parallel use of separate
        // indexes, not of one.
        CXIndex index = clang_createIndex(0, 0);
        for (size_t i; (i = next++) < jobs.size();) {
            try {
                results[i] = run_job(index, jobs[i]);
            } catch (const std::exception &e) {
                results[i] = {{"error", std::string("bad job: ") + e.what()}};
            }
        }
        clang_disposeIndex(index);
    };
    std::vector<std::thread> threads;
    int n = std::clamp(req.value("threads", 1), 1, 64);
    for (int k = 0; k < n; k++)
        threads.emplace_back(worker);
    for (auto &t : threads)
        t.join();
    std::ofstream o(out);
    o << json{{"results", results}}.dump() << "\n";
    return o ? 0 : 1;
}
