// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Building the kernel twice.  The original build runs the tree's own
// `make buildkernel` with function and data sections and a compiler
// wrapper that records every compile command; it is cached by (tree,
// KERNCONF, compiler, flags).  The patched build reruns only the recorded
// commands of the translation units the fix touches, against a shadow tree
// (directories real, files symlinked, patched files real copies) so the
// user's tree is never written to, and maps the shadow path back with
// -ffile-prefix-map so __FILE__ and debug paths are unchanged.
#pragma once

#include "fbsdlp/kbuild/compile_db.h"
#include "fbsdlp/srcpatch/source_patch.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace fbsdlp::kbuild {

struct TreeSpec {
    std::string srcdir; // absolute
    std::string kernconf;
    std::string cc = "clang";
    std::string conf_cflags = "-ffunction-sections -fdata-sections";
    std::vector<std::string> make_vars;       // extra VAR=value for make buildkernel
    std::string kernel_image = "kernel.full"; // what the build links, in the objdir
};

// Preflight: is srcdir a kernel tree with this KERNCONF?  Throws with a hint.
void check_kernel_tree(const TreeSpec &t);

// Fingerprint of the tree (paths, sizes, modification times) for the cache.
std::string tree_fingerprint(const std::string &srcdir);

struct OriginalBuild {
    std::string dir;      // cache entry
    std::string objdir;   // flat kernel object directory
    std::string commands; // command log
    bool cached = false;
};

// The command that builds the kernel: the tree's `make buildkernel` (bmake
// on FreeBSD, the fixture's GNU make), or on a Linux host FreeBSD's
// tools/build/make.py with the host LLVM as cross toolchain.  CC is the
// compile-command recorder wrapping the compiler.
std::vector<std::string> buildkernel_command(const TreeSpec &t, const std::string &objprefix,
                                             const std::string &cc_wrapper, int jobs);

// What a long original build tells while it runs.
struct BuildWatcher {
    virtual ~BuildWatcher() = default;
    virtual void waiting(const std::string &lock) = 0; // another build holds the entry
    virtual void building(const std::string &log) = 0;
    // Units compiled so far, against the count of the last build of this
    // configuration (0 when unknown); about every half second.
    virtual void compiled(size_t n, size_t expected) = 0;
};

// Builds (or finds in the cache) the original kernel.  self is the path of
// fbsd-patchgen, used as the compiler wrapper.
OriginalBuild build_original(const TreeSpec &t, const std::string &cache_dir,
                             const std::string &self, int jobs, BuildWatcher *watch = nullptr);

struct PatchedBuild {
    std::map<std::string, std::string> objects; // orig object -> patched object
    std::vector<std::string> notes;
};

// Translation units whose sources or headers the fix touches, from the
// original build's depfiles: object path -> command.
std::map<std::string, CompileCommand> affected_units(const TreeSpec &t, const OriginalBuild &ob,
                                                     const srcpatch::SourcePatch &sp,
                                                     std::vector<std::string> *notes);

// Recompiles the affected units against a shadow tree in work_dir.
PatchedBuild build_patched(const TreeSpec &t, const srcpatch::SourcePatch &sp,
                           const std::map<std::string, CompileCommand> &units,
                           const std::string &work_dir, int jobs);

} // namespace fbsdlp::kbuild
