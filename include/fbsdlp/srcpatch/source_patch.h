// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The fix as a unified diff: parsed, checked against a tree, and applied to
// copies of the files - never to the user's tree.  Applying can insert
// #line directives so that code after a changed region keeps its original
// line numbers: without them, every __LINE__ (KASSERT, panic, printf) below
// a fix would change and drag unrelated functions into the patch.
#pragma once

#include <string>
#include <vector>

namespace fbsdlp::srcpatch {

struct Hunk {
    int old_start = 0, old_len = 0, new_start = 0, new_len = 0;
    std::vector<std::string> lines; // each starts with ' ', '-' or '+'
};

struct FilePatch {
    std::string path; // relative to the tree root (prefix a/, b/ removed)
    bool creates = false, deletes = false;
    std::vector<Hunk> hunks;
};

struct SourcePatch {
    std::vector<FilePatch> files;
};

// Throws fbsdlp::Error naming the diff and line on malformed input.
SourcePatch parse_unified_diff(const std::string &text, const std::string &name);

// Where a hunk applied: 1-based first line of its old side in the original
// and of its new side in the result without directives (patch(1) may find
// a hunk some lines away from its header's numbers).
struct HunkPlace {
    int old_start = 0, new_start = 0;
};

// Applies fp to the original text.  Hunks must match exactly (an offset of
// up to 100 lines is allowed, as patch(1) does; no fuzz).  With
// line_directives, "#line N" follows each change that shifts later lines,
// placed only at the start of a logical line of code, never inside a
// comment, a string literal or a directive's continuation; when the first
// such place is on a line continuing a comment or a literal, that line is
// split at the token boundary where its code begins.  A change followed by
// code that continues a line (backslash-newline) has no such place: an
// Error says so rather than leave that code misnumbered.
std::string apply_file_patch(const std::string &orig, const FilePatch &fp, bool line_directives,
                             std::vector<HunkPlace> *places = nullptr);

} // namespace fbsdlp::srcpatch
