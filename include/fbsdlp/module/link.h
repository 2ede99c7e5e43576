// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Stages link and finalize: the diff objects and a generated patch-info
// object become one ET_REL module (`ld -r`, as bsd.kmod.mk links .ko
// files), then the module is checked against kernel.full: every undefined
// symbol must be a kernel global, every replaced function and every static
// a livepatch relocation names must exist exactly once in its source file,
// with the size the diff saw.
#pragma once

#include "fbsdlp/util/bytes.h"

#include "fbsdlp/diff/diff.h"
#include "fbsdlp/module/kernel_image.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fbsdlp::module {

struct PatchInfo {
    std::string name;
    std::string build_id; // hex, of the target kernel
    uint32_t freebsd_version = 0;
    uint32_t flags = 0;      // FBSDLP_PATCH_*
    std::string diff_sha256; // hex
};

// An ET_REL object holding struct fbsdlp_patch_info in set_fbsdlp_info.
Bytes info_object(const PatchInfo &info);

// ld.lld -r; throws with the linker's message on failure.
void link_module(const std::vector<std::string> &objects, const std::string &out);

// Problems found checking the module against the kernel (empty: valid).
std::vector<std::string> validate_module(const std::string &module, const KernelImage &kernel,
                                         const std::vector<diff::Result> &results,
                                         diff::Profile profile);

} // namespace fbsdlp::module
