// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen --src fix.diff --kernel KERNCONF: the whole pipeline of
// DESIGN.md 2, stage by stage.
#pragma once

#include "fbsdlp/bundle/signify.h"
#include "fbsdlp/diff/diff.h"

#include <ostream>
#include <string>
#include <vector>

namespace fbsdlp::pipeline {

struct DriverOptions {
    std::string diff_path;
    std::string kernconf;
    std::string srcdir = "/usr/src";
    std::string workdir;   // --objdir: patched build; default: temporary
    std::string cache_dir; // original builds
    std::string output_dir = ".";
    std::string name; // default: from the diff's file name
    std::string cc = "clang";
    std::vector<std::string> make_vars; // --make-var VAR=value, passed to make buildkernel
    std::string kernel_image = "kernel.full";
    std::string kernel_file; // the target's kernel (e.g. its /boot/kernel/kernel): must match
    std::string self;        // path of fbsd-patchgen (compiler wrapper)
    std::string sign_key;    // signify secret key: the bundle is signed
    bundle::signify::PassphraseSource sign_key_passphrase; // for an encrypted sign_key
    std::string advisory; // e.g. FreeBSD-SA-24:06.ktrace, for the manifest
    std::string description;
    int jobs = 2;
    bool keep_tmp = false;
    bool quiet = false;
    bool json = false;       // the caller prints the report; progress goes to the stream given
    bool check_only = false; // fbsd-patchgen check: stop after the source analysis
    bool strict = false;     // an unexplained binary change is an error, not a warning
    diff::Profile profile = diff::Profile::FreeBsdKernel;
};

struct DriverOutcome {
    int exit_code = 0; // as fbsd-patchgen(8) documents
    std::string module_path, report_path, bundle_path;
    std::vector<diff::Result> results;
};

DriverOutcome run_driver(const DriverOptions &opts, std::ostream &progress);

// Set from a SIGINT handler: stages stop at the next check.
void request_interrupt();

} // namespace fbsdlp::pipeline
