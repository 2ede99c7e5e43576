// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The one manifest builder: what the driver and `fbsd-patchgen bundle`
// put into a bundle's manifest.json.  The replaced functions come from a
// diff report (the driver's own, in memory, or the file `fbsd-patchgen
// diff --json` wrote), the time from SOURCE_DATE_EPOCH when it is set.
#pragma once

#include "fbsdlp/bundle/bundle.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace fbsdlp::module {

struct ManifestInput {
    std::string name;
    std::string build_id; // any case; stored lower-case
    uint32_t freebsd_version = 0;
    std::string kernconf;
    std::optional<std::string> diff_sha256;
    std::optional<std::string> advisory, description;
};

// Throws fbsdlp::Error for a SOURCE_DATE_EPOCH that is not a number.
bundle::Manifest build_manifest(const ManifestInput &in);

// The changed functions of a diff report, per object, appended to m.  A
// report listing refusals returns the first refused object's name and adds
// nothing (a refused patch is never bundled); a file that is not a report
// is an Error naming where.
std::optional<std::string> add_report_functions(bundle::Manifest &m, const nlohmann::json &report,
                                                const std::string &where);

} // namespace fbsdlp::module
