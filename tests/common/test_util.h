// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// What the Catch2 test programs that run other programs share: a work
// directory per test process, whole-file reads and writes, and shell
// commands that must succeed.  Failures are Catch2 failures of the test
// that called, with the command's output.
#pragma once

#include <string>

namespace fbsdlp::testutil {

// base/prefix<pid>, made on the first call and removed when the process
// exits, unless the environment variable keep_env is set.
std::string process_workdir(const std::string &base, const std::string &prefix,
                            const char *keep_env);

// The whole file; empty when it cannot be read.
std::string slurp(const std::string &path);

// Replace path's contents with data; the write must succeed.
void spit(const std::string &path, const std::string &data);

// Run cmd in the shell, its output to log; a non-zero status fails the
// test, showing the output.
void must_run(const std::string &cmd, const std::string &log);

} // namespace fbsdlp::testutil
