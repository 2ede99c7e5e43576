// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The patch against the kernel it will patch, at build time, as the
// runtime checks it at load time: every replaced function found the way
// livepatch.ko finds it, with the size and the relocation-masked hash the
// module records.  The target may be a stock kernel built without
// function sections (a release's GENERIC): where the rebuild with function
// sections made other code for a function than that kernel has, the patch
// is refused with the function and the first differing byte named.
#pragma once

#include "fbsdlp/module/inspect.h"
#include "fbsdlp/module/kernel_image.h"

#include <string>
#include <vector>

namespace fbsdlp::module {

// Problems (empty: every old function is the target's).  reference is
// the original build, whose bytes show where a mismatch starts; it may be
// the target itself.
std::vector<std::string> check_old_functions(const Inspection &module, const KernelImage &target,
                                             const KernelImage &reference);

} // namespace fbsdlp::module
