// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The kld side of a patch module (docs/kld-module.md): the stub
// kmod-template/patch/fbsdlp_patch.c, compiled with the target kernel's own
// compile command, as bsd.kmod.mk compiles a module's sources.  It carries
// the patch-info record, the module declaration, MODULE_DEPEND on
// livepatch and the event handler that calls livepatch_register.
#pragma once

#include "fbsdlp/kbuild/compile_db.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fbsdlp::module {

struct PatchInfo;

// Where the kld sources are: kmod-template/ in a source tree, or
// share/fbsd-livepatch after `make install`.
struct KmodSources {
    std::string dir;
    std::string stub() const { return dir + "/patch/fbsdlp_patch.c"; }
    std::string abi_include() const { return dir + "/include"; }
    std::string livepatch_include() const { return dir + "/freebsd"; }
};

// $FBSDLP_KMOD_DIR, else next to the program (../share/fbsd-livepatch),
// else the source tree it was built from.  Throws naming what was tried.
KmodSources find_kmod_sources(const std::string &self);

// A C identifier for DECLARE_MODULE from a patch name ("mq-fix.1" ->
// "mq_fix_1"); the name itself stays the patch's and the module's name.
std::string module_identifier(const std::string &name);

// How the kernel compiles its sources: a recorded unit's command without
// its source, its object and its depfile options, run in its directory.
struct KernelCompile {
    std::string cwd;
    std::vector<std::string> argv; // the compiler first
};
// Throws when the recorded command does not name its own source.
KernelCompile kernel_compile_of(const kbuild::CompileCommand &unit);

// The stub's compile command: the kernel's, plus -c, -DKLD_MODULE, the
// include directories of the stub and the patch info as -D macros.
std::vector<std::string> stub_command(const KernelCompile &kc, const KmodSources &k,
                                      const PatchInfo &info, const std::string &out);

// Runs stub_command in kc.cwd; throws with the compiler's first message on
// failure.
void compile_stub(const KernelCompile &kc, const KmodSources &k, const PatchInfo &info,
                  const std::string &out);

} // namespace fbsdlp::module
