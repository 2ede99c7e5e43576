// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The diff report, for people (text) and machines (JSON).  The JSON shape is
// documented in fbsd-patchgen(8); fields are only ever added.
#pragma once

#include "fbsdlp/diff/diff.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fbsdlp::diff {

nlohmann::json report_json(const std::vector<Result> &results);
nlohmann::json object_json(const Result &r);
std::string report_text(const Result &r);

} // namespace fbsdlp::diff
