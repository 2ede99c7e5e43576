// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen --src fix.diff --kernel KERNCONF [...]: the driver; and
// fbsd-patchgen cc-log LOG CC ARGS...: the compiler wrapper the original
// build runs, which records each command and then becomes the compiler.

#include "commands.h"
#include "passphrase.h"

#include "fbsdlp/kbuild/compile_db.h"
#include "fbsdlp/pipeline/driver.h"
#include "fbsdlp/util/error.h"

#include <boost/program_options.hpp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace po = boost::program_options;

namespace fbsdlp::cli {

namespace {

void on_sigint(int) { pipeline::request_interrupt(); }

std::string self_path() {
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0)
        return std::string(buf, size_t(n));
    return "fbsd-patchgen";
}

// The driver's progress as "fbsd-patchgen: ..." lines.
struct StreamProgress : pipeline::Progress {
    std::ostream &out;
    explicit StreamProgress(std::ostream &os) : out(os) {}
    void stage(int n, const std::string &what, const std::string &detail, double seconds) override {
        char buf[64];
        snprintf(buf, sizeof buf, "%.2f s", seconds);
        out << "fbsd-patchgen: [" << n << "/" << pipeline::kStages << "] " << what << ": " << detail
            << " (" << buf << ")\n";
        out.flush();
    }
    void message(Kind kind, const std::string &text) override {
        switch (kind) {
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

int run(const std::vector<std::string> &args, bool check) {
    pipeline::DriverOptions o;
    o.check_only = check;
    std::string profile = "freebsd-kernel", passphrase_file;
    po::options_description desc(
        check ? "usage: fbsd-patchgen check --src FIX.diff --kernel KERNCONF [options]\n"
                "the source-level analysis only: touched definitions and the changes a live "
                "patch cannot carry, from the recorded compile commands of the original build"
              : "usage: fbsd-patchgen --src FIX.diff --kernel KERNCONF [options]");
    desc.add_options()("help,h", "describe the options")(
        "src", po::value(&o.diff_path), "the fix, a unified diff against --srcdir")(
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
    if (o.diff_path.empty() || o.kernconf.empty()) {
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
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    try {
        // With --json, standard output carries only the report.
        StreamProgress progress(json ? std::cerr : std::cout);
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

} // namespace

int cmd_build(const std::vector<std::string> &args) { return run(args, false); }
int cmd_check(const std::vector<std::string> &args) { return run(args, true); }

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
