// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// What every subcommand does the same way: parse its options (boost
// program_options, --help printing the options and the exit statuses) and
// turn an exception into one error line and an exit status.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <string>
#include <vector>

namespace fbsdlp::cli {

// Parse args; positional arguments (named `positional`) go to inputs when
// it is given.  Returns -1 to go on, else the exit status.
int parse(const std::vector<std::string> &args, boost::program_options::options_description &desc,
          const std::string &positional, std::vector<std::string> *inputs,
          boost::program_options::variables_map &vm, const char *cmd, const char *exit_text);

// Run body, mapping exceptions to one error line and an exit status.
int guarded(int error_status, const std::function<int()> &body);

// This program's own path (/proc/self/exe), for the commands that run it
// again (the build's compiler wrapper); empty when it cannot be read.
std::string self_path();

} // namespace fbsdlp::cli
