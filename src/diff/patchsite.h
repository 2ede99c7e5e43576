// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The trampoline site of a function to be replaced, and the byte ranges
// of it that the running kernel holds with other contents than the object
// file because another mechanism rewrites them: SDT probe sites (DTrace
// writes a jmp over their 5-byte nop when a probe is enabled) and ifunc
// call sites (link_elf applies the ifunc relocations of kernel text at
// boot, with lld's -z ifunc-noplt).  Found from the object's relocations
// and confirmed by decoding the instructions, never by guessing.
#pragma once

#include "context.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fbsdlp::diff {

struct ForeignPatch {
    enum Kind : uint8_t { SdtProbe, IfuncCall } kind = SdtProbe;
    uint64_t offset = 0; // from the function's start
    uint32_t len = 0;    // bytes the other mechanism writes
    std::string what;    // "SDT probe foo::request:start", "ifunc call to foo_fill"
};

struct PatchSite {
    uint64_t entry = 0; // where the jmp goes: 4 after an endbr64, else 0
    std::vector<ForeignPatch> foreign;
    std::vector<std::string> problems; // shapes we cannot vouch for (refuse)
};

// The function must be a defined function symbol of ix.  Analysed once per
// function and index; the reference stays valid as long as ix.
const PatchSite &analyse_patch_site(const ObjIndex &ix, uint32_t sym);

// Bytes the runtime overwrites with "jmp rel32".
constexpr uint64_t kJumpSize = 5;

} // namespace fbsdlp::diff
