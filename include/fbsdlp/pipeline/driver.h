// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen --src fix.diff --kernel KERNCONF: the whole pipeline of
// DESIGN.md 2, stage by stage.
#pragma once

#include "fbsdlp/bundle/signify.h"
#include "fbsdlp/diff/diff.h"
#include "fbsdlp/pipeline/progress.h"

#include <string>
#include <vector>

namespace fbsdlp::pipeline {

struct DriverOptions {
    // The fix (a unified diff), or several applied in order, or a series
    // file listing them: several give one cumulative (replace-all) patch.
    std::vector<std::string> diff_paths;
    std::string kernconf;
    std::string srcdir = "/usr/src";
    std::string workdir;   // --objdir: patched build; default: temporary
    std::string cache_dir; // original builds
    std::string output_dir = ".";
    std::string name; // default: from the diff's file name
    std::string cc = "clang";
    std::vector<std::string> make_vars; // --make-var VAR=value, passed to make buildkernel
    std::string kernel_image = "kernel.full";
    // The kernel the patch is for (e.g. the target's /boot/kernel/kernel, a
    // stock GENERIC): the patch is bound to it and checked against it.
    // Default: the original build's own kernel.
    std::string kernel_file;
    std::string kernel_debug; // its separate kernel.debug, for the symbols
    std::string self;         // path of fbsd-patchgen (compiler wrapper)
    std::string sign_key;     // signify secret key: the bundle is signed
    bundle::signify::PassphraseSource sign_key_passphrase; // for an encrypted sign_key
    std::string advisory; // e.g. FreeBSD-SA-24:06.ktrace, for the manifest
    std::string description;
    int jobs = 2;
    bool keep_tmp = false;
    bool quiet = false;
    bool check_only = false; // fbsd-patchgen check: stop after the source analysis
    bool strict = false;     // an unexplained binary change is an error, not a warning
    // Objects without DWARF (a kernel built without -g) skip the type-layout
    // checks; the driver refuses to run so unless the user allows it.
    bool allow_no_layout_checks = false;
    diff::Profile profile = diff::Profile::FreeBsdKernel;
};

// How a run ended.  Errors are exceptions (fbsdlp::BuildError: a build
// failed; fbsdlp::Error: anything else); these are the other ends.
enum class Ending {
    Patch,             // module, report and bundle written
    Checked,           // check_only: nothing a live patch cannot carry
    SourceRefused,     // source analysis found unsafe changes; nothing built
    Refused,           // the binary diff refused changes
    UnexplainedStrict, // --strict and a change the fix does not explain
    ValidationRefused, // the linked module does not fit the kernel
    NoChange,          // the fix changes no function
    Interrupted,       // SIGINT or SIGTERM; the tree is untouched
};

struct DriverOutcome {
    Ending ending = Ending::Patch;
    size_t count = 0; // refusals, findings or unexplained changes, by ending
    std::string module_path, report_path, bundle_path;
    std::string report_text; // what report_path holds
    std::vector<diff::Result> results;
    bool signed_bundle = false;
};

DriverOutcome run(const DriverOptions &opts, Progress &progress);

// Set from a SIGINT handler: stages stop at the next check.
void request_interrupt();

} // namespace fbsdlp::pipeline
