// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen diff ORIG.o PATCHED.o -o OUT.o [--json FILE] ...

#include "commands.h"
#include "options.h"

#include "fbsdlp/diff/diff.h"
#include "fbsdlp/diff/report.h"
#include "fbsdlp/elf/object.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"

#include <boost/program_options.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace po = boost::program_options;

namespace fbsdlp::cli {

int cmd_diff(const std::vector<std::string> &args) {
    po::options_description desc("usage: fbsd-patchgen diff ORIG.o PATCHED.o -o OUT.o [options]");
    std::string out, json, profile = "freebsd-kernel", objname;
    desc.add_options()("help,h", "describe the options")("output,o", po::value(&out),
                                                         "patch object to write")(
        "json", po::value(&json), "write the JSON report to this file ('-' for standard output)")(
        "show-first-changed", "show the first differing instruction of each changed function")(
        "profile", po::value(&profile), "relocation profile: freebsd-kernel (default) or hosted")(
        "objname", po::value(&objname),
        "object name used in the report (default: ORIG's file name)")(
        "quiet,q", "print nothing but errors")("debug",
                                               "trace correlation decisions on standard error")(
        "no-dwarf", "skip the DWARF type-layout checks and inline chains");
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
        print_error(std::string(e.what()) + "; run 'fbsd-patchgen diff --help'");
        return kUsage;
    }
    if (vm.count("help")) {
        std::cout << desc
                  << "\nExit status: 0 patch written, 1 usage or invalid input, 2 refused, 3 no "
                     "change.\n";
        return kOk;
    }
    if (inputs.size() != 2) {
        print_error("diff needs exactly two objects, ORIG.o and PATCHED.o; run 'fbsd-patchgen diff "
                    "--help'");
        return kUsage;
    }
    diff::Options opts;
    if (profile == "hosted")
        opts.profile = diff::Profile::Hosted;
    else if (profile != "freebsd-kernel") {
        print_error("unknown profile '" + profile + "'; use freebsd-kernel or hosted");
        return kUsage;
    }
    opts.show_first_changed = vm.count("show-first-changed") != 0;
    opts.debug = vm.count("debug") != 0;
    opts.dwarf = vm.count("no-dwarf") == 0;
    opts.object_name = objname;
    bool quiet = vm.count("quiet") != 0;

    return guarded(kUsage, [&]() -> int {
        elf::ObjectFile orig = elf::ObjectFile::load(inputs[0]);
        elf::ObjectFile patched = elf::ObjectFile::load(inputs[1]);
        diff::Result r = diff::diff_objects(orig, patched, opts);
        for (const auto &line : r.debug_log)
            std::cerr << line << "\n";
        if (!quiet)
            std::cout << diff::report_text(r);
        if (!quiet && !r.layout_checked && !r.layout_skipped.empty())
            std::cerr << "fbsd-patchgen: warning: " << r.object << ": " << r.layout_skipped
                      << "; type-layout checks skipped\n";
        if (!json.empty()) {
            std::string text = diff::report_json({r}).dump(2) + "\n";
            if (json == "-")
                std::cout << text;
            else
                write_file_atomic(json, text);
        }
        if (r.refused()) {
            std::cerr << "fbsd-patchgen: " << r.object << ": refused: " << r.refusals.size()
                      << " unsafe change(s), no patch written\n";
            return kRefused;
        }
        if (r.no_change())
            return kNoChange;
        if (out.empty()) {
            if (!quiet)
                std::cout << r.object << ": no -o given, patch object not written\n";
            return kOk;
        }
        write_file_atomic(out, r.output);
        return kOk;
    });
}

} // namespace fbsdlp::cli
