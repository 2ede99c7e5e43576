// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Whole-file reads and atomic writes: a file the tools produce is written
// to a temporary name and renamed, so an interrupted run never leaves a
// half-written file under the final name.
#pragma once

#include <string>

namespace fbsdlp {

// Throws fbsdlp::Error naming the file.
std::string read_file(const std::string &path);
void write_file_atomic(const std::string &path, const std::string &data);

} // namespace fbsdlp
