// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen cc-log LOG CC ARGS...: the compiler wrapper the original
// build runs, which records each command and then becomes the compiler.

#include "commands.h"

#include "fbsdlp/kbuild/compile_db.h"
#include "fbsdlp/util/error.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace fbsdlp::cli {

int cmd_cc_log(const std::vector<std::string> &args) {
    if (args.size() < 2) {
        print_error("cc-log LOG CC [ARGS...]: the compiler wrapper used by the original build");
        return kUsage;
    }
    std::vector<std::string> argv(args.begin() + 1, args.end());
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) {
        print_error("cc-log: cannot get the working directory");
        return kUsage;
    }
    try {
        kbuild::append_command_log(args[0], cwd, argv);
    } catch (const Error &e) {
        print_error(e.what());
        return kUsage;
    }
    std::vector<char *> cargv;
    for (auto &a : argv)
        cargv.push_back(a.data());
    cargv.push_back(nullptr);
    execvp(cargv[0], cargv.data());
    print_error(std::string("cc-log: cannot run ") + argv[0] + ": " + std::strerror(errno));
    return 127;
}

} // namespace fbsdlp::cli
