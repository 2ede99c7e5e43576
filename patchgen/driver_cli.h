// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The driver's command line, shared by the main job (cmd_build.cc) and by
// check (cmd_check.cc), which differ in their usage line and in stopping
// after the source-level analysis.
#pragma once

#include <string>
#include <vector>

namespace fbsdlp::cli {

int run_driver_cli(const std::vector<std::string> &args, bool check_only, const char *usage);

} // namespace fbsdlp::cli
