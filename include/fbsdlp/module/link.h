// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Stages link and finalize: the diff objects and the module stub (compiled
// with the kernel's own command, stub.h) become one ET_REL kld (`ld -r`, as
// bsd.kmod.mk links .ko files), then the module is checked against
// kernel.full: every undefined symbol must be a kernel global or an export
// of livepatch.ko, the module metadata must declare the patch's module and
// its dependency on livepatch, and every replaced function and every static
// a livepatch relocation names must exist exactly once in its source file.
// The hosted profile (the userhost's programs, no kernel linker) links a
// generated patch-info object instead of the stub.
#pragma once

#include "fbsdlp/util/bytes.h"

#include "fbsdlp/diff/diff.h"
#include "fbsdlp/module/kernel_image.h"
#include "fbsdlp/module/stub.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace fbsdlp::module {

struct PatchInfo {
    std::string name;
    std::string build_id; // hex, of the target kernel
    uint32_t freebsd_version = 0;
    uint32_t flags = 0;             // FBSDLP_PATCH_*
    std::string diff_sha256;        // hex, of the fix as built (a series: combined)
    std::vector<std::string> fixes; // hex SHA-256 of each fix carried, in order
};

// An ET_REL object holding struct fbsdlp_patch_info in set_fbsdlp_info:
// the hosted profile's patch information (a kld's comes from the stub).
Bytes info_object(const PatchInfo &info);

// What a kld is linked and checked with: the stub's sources, the compile
// command of one of the kernel's units, livepatch.ko's interface.
struct KldStub {
    KmodSources sources;
    KernelCompile compile;
};

// ld.lld -r; throws with the linker's message on failure.
void link_module(const std::vector<std::string> &objects, const std::string &out);

// What the module must find in the kernel, per diff object: each replaced
// function and each static a livepatch relocation names, exactly once in
// the object's source file.
struct Expected {
    std::string object, source_file;
    std::vector<std::string> replaced, statics;
};
std::vector<Expected> expected_of(const std::vector<diff::Result> &results);

// Problems found checking the module against the kernel (empty: valid).
// where names the module in messages.  With livepatch (the kld profile),
// its exports resolve undefined symbols and the module metadata must
// declare module `name` depending on livepatch.
struct LivepatchInterface {
    std::set<std::string> exports; // livepatch_register, ...
    int version = 0;               // LIVEPATCH_VERSION, for MODULE_DEPEND
};
LivepatchInterface livepatch_interface(const KmodSources &k);
std::vector<std::string>
validate_module(const Bytes &module, const std::string &where, const KernelImage &kernel,
                const std::vector<Expected> &expected, diff::Profile profile,
                const LivepatchInterface *livepatch = nullptr, const std::string &name = {});

// Stages link and finalize in one: the diff objects (files) and the patch
// information linked into work_dir/NAME.ko, then validated.  The module
// is returned in memory; nothing is written outside work_dir.
struct LinkedModule {
    std::string path; // in work_dir
    Bytes bytes;
    std::vector<std::string> problems; // empty: valid
};
// kld: required for the FreeBSD kernel profile, unused for the hosted one.
LinkedModule link_and_validate(const std::vector<std::string> &diff_objects, const PatchInfo &info,
                               const std::string &work_dir, const KernelImage &kernel,
                               const std::vector<Expected> &expected, diff::Profile profile,
                               const KldStub *kld);

} // namespace fbsdlp::module
