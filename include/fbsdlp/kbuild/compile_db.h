// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Compile commands as the original build ran them (recorded by the
// compiler wrapper `fbsd-patchgen cc-log`), and make-style depfiles.  The
// patched build reruns exactly these commands, so __FILE__ and every flag
// stay identical.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace fbsdlp::kbuild {

struct CompileCommand {
    std::string cwd;
    std::vector<std::string> argv; // the real compiler and its arguments
    std::string source;            // absolute
    std::string output;            // absolute
};

// One JSON object per line: {"cwd": ..., "argv": [...]}.  Appends with a
// lock, as parallel make runs many compilers at once.
void append_command_log(const std::string &log, const std::string &cwd,
                        const std::vector<std::string> &argv);
// Commands that compile one C file to one object; others (links, -E) skipped.
std::vector<CompileCommand> read_command_log(const std::string &log);

// The prerequisites of a make-style depfile ("obj.o: a.c b.h \ ...").
std::vector<std::string> parse_depfile(const std::string &text);

} // namespace fbsdlp::kbuild
