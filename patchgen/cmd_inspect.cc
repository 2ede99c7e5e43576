// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen inspect OBJECT|MODULE [--json]

#include "commands.h"
#include "options.h"

#include "fbsdlp/module/inspect.h"
#include "fbsdlp/util/error.h"

#include <boost/program_options.hpp>
#include <iostream>

namespace po = boost::program_options;

namespace fbsdlp::cli {

int cmd_inspect(const std::vector<std::string> &args) {
    po::options_description desc("usage: fbsd-patchgen inspect OBJECT|MODULE [--json]");
    desc.add_options()("help,h", "describe the options")("json", "print JSON instead of tables");
    po::options_description hidden;
    std::vector<std::string> inputs;
    hidden.add_options()("input", po::value(&inputs));
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description pos;
    pos.add("input", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error &e) {
        print_error(std::string(e.what()) + "; run 'fbsd-patchgen inspect --help'");
        return kUsage;
    }
    if (vm.count("help")) {
        std::cout << desc << "\nExit status: 0 decoded, 1 usage or invalid input.\n";
        return kOk;
    }
    if (inputs.size() != 1) {
        print_error("inspect needs exactly one patch object or module; run 'fbsd-patchgen "
                    "inspect --help'");
        return kUsage;
    }
    return guarded(kUsage, [&]() -> int {
        module::Inspection in = module::inspect(inputs[0]);
        if (vm.count("json"))
            std::cout << module::inspection_json(in).dump(2) << "\n";
        else
            std::cout << module::inspection_text(in);
        return kOk;
    });
}

} // namespace fbsdlp::cli
