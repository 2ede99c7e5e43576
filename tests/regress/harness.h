// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Regression-case harness: compile a case's orig.c and patched.c with the
// FreeBSD kernel flags (as the same file name, as a kernel build would), run
// the real fbsd-patchgen, and check its verdict and its output object with
// the real ld.lld and readelf.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace fbsdlp::test {

struct CommandResult {
    int status = -1;    // exit code, or -1 if it did not exit normally
    std::string output; // stdout and stderr together
};

CommandResult run(const std::string &cmd);
std::string shell_quote(const std::string &s);
std::string source_dir();
std::string patchgen();
std::string work_dir(const std::string &what); // fresh directory under the build tree
std::string read_text(const std::string &path);

// The expectation file of a case, resolved for one compiler.
struct Expect {
    bool nochange = false;
    bool has_changed = false, has_new_data = false;
    std::set<std::string> changed, added, new_data, refuse, local_reloc, undef, sdt_masked, notes;
    std::string cflags; // appended to the kernel flags (overrides)
    // function -> (text in its orig first-change instruction, in patched)
    std::map<std::string, std::pair<std::string, std::string>> first_change;
    // function -> substrings of its "why"; function -> names it inlines.
    std::map<std::string, std::vector<std::string>> why;
    std::map<std::string, std::set<std::string>> inlines;
};

std::vector<std::string> list_cases();
std::vector<std::string> case_compilers(const std::string &name);
Expect load_expect(const std::string &name, const std::string &compiler);

// Compile dir/<name>.c from src with the kernel flags of compiler, and
// extra flags after them.
CommandResult compile_kernel_c(const std::string &compiler, const std::string &src,
                               const std::string &dir, const std::string &name,
                               const std::string &extra = {});

} // namespace fbsdlp::test
