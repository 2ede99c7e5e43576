// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Running child processes: argv vectors, never a shell, output to a log.
#pragma once

#include <string>
#include <vector>

namespace fbsdlp {

struct ProcessResult {
    int status = -1;    // exit code; 128+signal when killed
    std::string output; // stdout+stderr, when captured
};

// Runs argv in cwd (empty: ours) with extra environment entries
// ("NAME=value").  Output is captured, or appended to log_path if given.
ProcessResult run_process(const std::vector<std::string> &argv, const std::string &cwd = {},
                          const std::vector<std::string> &env = {},
                          const std::string &log_path = {});

// The first line of `argv[0] --version`-like output, for messages.
std::string first_line(const std::string &s);

} // namespace fbsdlp
