// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
#pragma once

#include <string>
#include <vector>

namespace fbsdlp::cli {

// Exit codes, documented in fbsd-patchgen(8).
enum Exit : int {
    kOk = 0,
    kUsage = 1, // also: unreadable or invalid input
    kRefused = 2,
    kNoChange = 3,
    kBuildFailed = 4,
    kVerifyFailed = 5,
    kInterrupted = 130, // SIGINT or SIGTERM during the driver; the tree is untouched
};

int cmd_diff(const std::vector<std::string> &args);
int cmd_keygen(const std::vector<std::string> &args);
int cmd_bundle(const std::vector<std::string> &args);
int cmd_sign(const std::vector<std::string> &args);
int cmd_verify(const std::vector<std::string> &args);
int cmd_info(const std::vector<std::string> &args);
int cmd_inspect(const std::vector<std::string> &args);
int cmd_link(const std::vector<std::string> &args);
int cmd_cache(const std::vector<std::string> &args);
int cmd_build(const std::vector<std::string> &args);
int cmd_check(const std::vector<std::string> &args);
int cmd_cc_log(const std::vector<std::string> &args);

// "fbsd-patchgen: error: <msg>" on stderr.
void print_error(const std::string &msg);

} // namespace fbsdlp::cli
