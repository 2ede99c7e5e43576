// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The libclang scan behind fbsdlp-clang-scan (tools/fbsdlp-clang-scan).
// Only that program includes this: libfbsdlp never links libclang.
#pragma once

#include <clang-c/Index.h>
#include <nlohmann/json.hpp>

namespace fbsdlp::source::clang_scan {

// One job, {cwd, argv, source, files, unsaved, reparse?}: parse it with
// index (one per thread: libclang allows parallel use of separate indexes,
// not of one).  Returns {"first": scan, "second": scan} (second with
// "reparse").  Throws on a malformed job.
nlohmann::json run_job(CXIndex index, const nlohmann::json &job);

} // namespace fbsdlp::source::clang_scan
