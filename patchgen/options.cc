// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "options.h"
#include "commands.h"

#include "fbsdlp/util/error.h"

#include <climits>
#include <iostream>
#include <new>
#include <unistd.h>

namespace po = boost::program_options;

namespace fbsdlp::cli {

int parse(const std::vector<std::string> &args, po::options_description &desc,
          const std::string &positional, std::vector<std::string> *inputs, po::variables_map &vm,
          const char *cmd, const char *exit_text) {
    po::options_description all;
    all.add(desc);
    po::positional_options_description pos;
    po::options_description hidden;
    if (inputs) {
        hidden.add_options()(positional.c_str(), po::value(inputs));
        all.add(hidden);
        pos.add(positional.c_str(), -1);
    }
    try {
        po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error &e) {
        print_error(std::string(e.what()) + "; run 'fbsd-patchgen " + cmd + " --help'");
        return kUsage;
    }
    if (vm.count("help")) {
        std::cout << desc << "\n" << exit_text << "\n";
        return kOk;
    }
    return -1;
}

int guarded(int error_status, const std::function<int()> &body) {
    try {
        return body();
    } catch (const Error &e) {
        print_error(e.what());
        return error_status;
    } catch (const std::bad_alloc &) {
        print_error("out of memory");
        return kUsage;
    } catch (const std::exception &e) {
        print_error(std::string("internal error: ") + e.what());
        return kUsage;
    }
}

std::string self_path() {
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return {};
    buf[n] = 0;
    return buf;
}

} // namespace fbsdlp::cli
