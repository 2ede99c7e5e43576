// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen check --src FIX.diff --kernel KERNCONF [...]: the driver's
// source-level preflight alone; nothing is built.

#include "commands.h"
#include "driver_cli.h"

namespace fbsdlp::cli {

int cmd_check(const std::vector<std::string> &args) {
    return run_driver_cli(
        args, true,
        "usage: fbsd-patchgen check --src FIX.diff --kernel KERNCONF [options]\n"
        "the source-level analysis only: touched definitions and the changes a live "
        "patch cannot carry, from the recorded compile commands of the original build");
}

} // namespace fbsdlp::cli
