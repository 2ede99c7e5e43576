// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen: the generator's command line.  Thin: parse, call the
// library, print, exit with a documented code.

#include "commands.h"

#include <cstdio>
#include <cstring>
#include <iostream>

namespace fbsdlp::cli {

void print_error(const std::string &msg) { std::cerr << "fbsd-patchgen: error: " << msg << "\n"; }

} // namespace fbsdlp::cli

namespace {

struct Command {
    const char *name;
    const char *summary;
    int (*fn)(const std::vector<std::string> &);
};

const Command kCommands[] = {
    {"diff", "compare two objects of one translation unit and write the patch object",
     fbsdlp::cli::cmd_diff},
    {"check",
     "source-level preflight of a fix: touched definitions, unsafe changes; no patched build",
     fbsdlp::cli::cmd_check},
    {"link", "link patch objects and the module stub into a kld NAME.ko, checked against a kernel",
     fbsdlp::cli::cmd_link},
    {"cache", "list or prune the original-build cache", fbsdlp::cli::cmd_cache},
    {"keygen", "create a signing key pair (signify format)", fbsdlp::cli::cmd_keygen},
    {"bundle", "pack a patch module, manifest and checksums into NAME.lpbundle",
     fbsdlp::cli::cmd_bundle},
    {"sign", "add or replace the signature of a bundle", fbsdlp::cli::cmd_sign},
    {"verify", "verify a bundle's checksums and signature against a public key",
     fbsdlp::cli::cmd_verify},
    {"info", "describe a bundle (checks its structure, not its signature)", fbsdlp::cli::cmd_info},
    {"inspect", "show what a patch object or module contains", fbsdlp::cli::cmd_inspect},
    {"cc-log", "compiler wrapper recording the original build's commands (internal)",
     fbsdlp::cli::cmd_cc_log},
};

void usage(FILE *f) {
    std::fprintf(f, "usage: fbsd-patchgen --src FIX.diff --kernel KERNCONF [options]\n"
                    "       fbsd-patchgen <command> [options]\n\ncommands:\n");
    for (const Command &c : kCommands)
        std::fprintf(f, "  %-8s %s\n", c.name, c.summary);
    std::fprintf(f,
                 "\n'fbsd-patchgen <command> --help' describes a command; see fbsd-patchgen(8).\n");
}

} // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return fbsdlp::cli::kUsage;
    }
    std::string cmd = argv[1];
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        usage(stdout);
        return 0;
    }
    if (cmd == "--version" || cmd == "-V") {
        std::printf("fbsd-patchgen %s\n", FBSDLP_VERSION);
        return 0;
    }
    // The main job: the driver, selected by its options.
    if (cmd.rfind("--", 0) == 0)
        return fbsdlp::cli::cmd_build(std::vector<std::string>(argv + 1, argv + argc));
    std::vector<std::string> args(argv + 2, argv + argc);
    for (const Command &c : kCommands)
        if (cmd == c.name)
            return c.fn(args);
    fbsdlp::cli::print_error("unknown command '" + cmd + "'; run 'fbsd-patchgen --help'");
    return fbsdlp::cli::kUsage;
}
