// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen --src fix.diff --kernel KERNCONF [...]: the driver, the
// main job.  check (cmd_check.cc) runs the same driver, stopping after the
// source-level analysis.

#include "commands.h"
#include "driver_cli.h"
#include "options.h"
#include "passphrase.h"

#include "fbsdlp/pipeline/driver.h"
#include "fbsdlp/util/error.h"

#include <boost/program_options.hpp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace po = boost::program_options;

namespace fbsdlp::cli {

namespace {

void on_sigint(int) { pipeline::request_interrupt(); }

// The driver's progress as "fbsd-patchgen: ..." lines; on a terminal, an
// ongoing count is rewritten in place and cleared before the next line.
struct StreamProgress : pipeline::Progress {
    std::ostream &out;
    bool tty;
    bool ongoing = false;
    StreamProgress(std::ostream &os, bool is_tty) : out(os), tty(is_tty) {}
    void clear() {
        if (ongoing)
            out << "\r\033[K";
        ongoing = false;
    }
    void stage(int n, const std::string &what, const std::string &detail, double seconds) override {
        clear();
        char buf[64];
        snprintf(buf, sizeof buf, "%.2f s", seconds);
        out << "fbsd-patchgen: [" << n << "/" << pipeline::kStages << "] " << what << ": " << detail
            << " (" << buf << ")\n";
        out.flush();
    }
    void message(Kind kind, const std::string &text) override {
        if (kind == Kind::Ongoing) {
            if (tty) {
                out << "\r\033[Kfbsd-patchgen: " << text;
                out.flush();
                ongoing = true;
            }
            return;
        }
        clear();
        switch (kind) {
        case Kind::Ongoing: break;
        case Kind::Status: out << "fbsd-patchgen: " << text << "\n"; break;
        case Kind::Warning: out << "fbsd-patchgen: warning: " << text << "\n"; break;
        case Kind::Note: out << "fbsd-patchgen: note: " << text << "\n"; break;
        case Kind::Refused: out << "fbsd-patchgen: refused: " << text << "\n"; break;
        case Kind::Error: out << "fbsd-patchgen: error: " << text << "\n"; break;
        case Kind::Text: out << text; break;
        }
    }
};

// The last line of a run, and its exit status (fbsd-patchgen(8)).
int report_ending(const pipeline::DriverOutcome &r, bool quiet, std::ostream &out) {
    using pipeline::Ending;
    std::string n = std::to_string(r.count);
    switch (r.ending) {
    case Ending::Patch: return kOk;
    case Ending::Checked:
        if (!quiet)
            out << "fbsd-patchgen: check: nothing in the fix a live patch cannot carry\n";
        return kOk;
    case Ending::SourceRefused:
        out << "fbsd-patchgen: refused at source level: " << n
            << " unsafe change(s); nothing built (report: " << r.report_path << ")\n";
        return kRefused;
    case Ending::Refused:
        out << "fbsd-patchgen: refused: " << n
            << " unsafe change(s); no module written (report: " << r.report_path << ")\n";
        return kRefused;
    case Ending::UnexplainedStrict:
        out << "fbsd-patchgen: refused: " << n
            << " unexplained binary change(s) with --strict; no module written (report: "
            << r.report_path << ")\n";
        return kRefused;
    case Ending::ValidationRefused: return kRefused;
    case Ending::NoChange:
        out << "fbsd-patchgen: the fix changes no function of the kernel\n";
        return kNoChange;
    case Ending::Interrupted:
        out << "fbsd-patchgen: interrupted; the source tree was not modified\n";
        return kInterrupted;
    }
    return kUsage;
}

} // namespace

int run_driver_cli(const std::vector<std::string> &args, bool check_only, const char *usage) {
    pipeline::DriverOptions o;
    o.check_only = check_only;
    std::string profile = "freebsd-kernel", passphrase_file;
    po::options_description desc(usage);
    desc.add_options()("help,h", "describe the options")(
        "src", po::value(&o.diff_paths),
        "the fix, a unified diff against --srcdir; repeated, or a series file listing diffs: "
        "the fixes in order, as one cumulative patch")(
        "kernel", po::value(&o.kernconf), "kernel configuration (KERNCONF) of the target")(
        "srcdir", po::value(&o.srcdir)->default_value("/usr/src"), "kernel source tree")(
        "objdir", po::value(&o.workdir), "directory for the patched build (default: temporary)")(
        "cache", po::value(&o.cache_dir), "original-build cache (default: ~/.cache/fbsd-patchgen)")(
        "jobs,j", po::value(&o.jobs)->default_value(2), "parallel jobs")(
        "name", po::value(&o.name), "patch name (default: from the diff's file name)")(
        "output", po::value(&o.output_dir)->default_value("."), "where NAME.ko and NAME.json go")(
        "sign-key", po::value(&o.sign_key), "sign the bundle with this signify secret key")(
        "passphrase-file", po::value(&passphrase_file),
        "the secret key's passphrase is the first line of FILE (default: ask on the terminal)")(
        "advisory", po::value(&o.advisory),
        "advisory id for the manifest (e.g. FreeBSD-SA-24:06.ktrace)")(
        "description", po::value(&o.description), "one-line description for the manifest")(
        "cc", po::value(&o.cc)->default_value("clang"), "compiler the kernel is built with")(
        "profile", po::value(&profile), "freebsd-kernel (default) or hosted")(
        "make-var", po::value(&o.make_vars), "VAR=value passed to make buildkernel (repeatable)")(
        "kernel-file", po::value(&o.kernel_file),
        "the kernel to patch (e.g. the target's /boot/kernel/kernel, a stock GENERIC): the patch "
        "is bound to it and checked against it; its compiler must be the build's")(
        "kernel-debug", po::value(&o.kernel_debug),
        "the kernel's separate debug file (/usr/lib/debug/boot/kernel/kernel.debug): symbols")(
        "kernel-image", po::value(&o.kernel_image)->default_value("kernel.full"),
        "the linked kernel in the object directory")(
        "json", "print the JSON report on standard output")("keep-tmp",
                                                            "keep the patched build's directory")(
        "strict", "an unexplained binary change is an error (exit 2), not a warning")(
        "allow-no-layout-checks", po::bool_switch(&o.allow_no_layout_checks),
        "accept objects without DWARF (kernel built without -g): no type-layout checks")(
        "quiet,q", "print only errors and the final result");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(desc).run(), vm);
        po::notify(vm);
    } catch (const po::error &e) {
        print_error(std::string(e.what()) + "; run 'fbsd-patchgen --src x --help'");
        return kUsage;
    }
    if (vm.count("help")) {
        std::cout << desc
                  << "\nExit status: 0 module written, 1 usage or invalid input, 2 refused, 3 no "
                     "change,\n"
                     "4 build failed, 130 interrupted.\n";
        return kOk;
    }
    if (o.diff_paths.empty() || o.kernconf.empty()) {
        print_error("--src and --kernel are required; run 'fbsd-patchgen --src x --help'");
        return kUsage;
    }
    if (profile == "hosted")
        o.profile = diff::Profile::Hosted;
    else if (profile != "freebsd-kernel") {
        print_error("unknown profile '" + profile + "'");
        return kUsage;
    }
    bool json = vm.count("json") != 0;
    o.keep_tmp = vm.count("keep-tmp") != 0;
    o.quiet = vm.count("quiet") != 0;
    if (!o.sign_key.empty())
        o.sign_key_passphrase = passphrase_source(passphrase_file, o.sign_key);
    o.strict = vm.count("strict") != 0;
    o.self = self_path();
    if (o.self.empty())
        o.self = "fbsd-patchgen";
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    try {
        // With --json, standard output carries only the report.
        StreamProgress progress(json ? std::cerr : std::cout, isatty(json ? 2 : 1) == 1);
        pipeline::DriverOutcome r = pipeline::run(o, progress);
        int rc = report_ending(r, o.quiet, progress.out);
        if (json && !r.report_text.empty())
            std::cout << r.report_text;
        return rc;
    } catch (const BuildError &e) {
        print_error(e.what());
        return kBuildFailed;
    } catch (const Error &e) {
        print_error(e.what());
        return kUsage;
    } catch (const std::exception &e) {
        print_error(std::string("internal error: ") + e.what());
        return kUsage;
    }
}

int cmd_build(const std::vector<std::string> &args) {
    return run_driver_cli(args, false,
                          "usage: fbsd-patchgen --src FIX.diff --kernel KERNCONF [options]");
}

} // namespace fbsdlp::cli
