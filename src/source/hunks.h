// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Inside src/source: the changed lines of each hunk, where it applied.
#pragma once

#include "fbsdlp/srcpatch/source_patch.h"

#include <string>
#include <vector>

namespace fbsdlp::source {

struct HunkLines {
    std::vector<unsigned> removed, added; // original numbering; patched numbering
    // A pure removal touches what surrounds it in the patched text too:
    // the line before which the removed lines were.
    unsigned patched_at = 0;
};

std::vector<HunkLines> hunk_lines(const srcpatch::FilePatch &fp, const std::string &path_abs);

} // namespace fbsdlp::source
