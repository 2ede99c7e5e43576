// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen verify BUNDLE --pubkey KEY.pub: a bundle's checksums and
// signature against a public key.

#include "bundle_io.h"
#include "commands.h"
#include "options.h"

#include <boost/program_options.hpp>
#include <iostream>

namespace po = boost::program_options;

namespace fbsdlp::cli {

int cmd_verify(const std::vector<std::string> &args) {
    po::options_description desc("usage: fbsd-patchgen verify BUNDLE --pubkey KEY.pub");
    std::string pub_path;
    std::vector<std::string> inputs;
    desc.add_options()("help,h", "describe the options")("pubkey,p", po::value(&pub_path),
                                                         "public key (signify or minisign format)")(
        "quiet,q", "print nothing but errors");
    po::variables_map vm;
    int st = parse(args, desc, "bundle", &inputs, vm, "verify",
                   "Exit status: 0 verified, 1 usage or unreadable key, 5 verification failed.");
    if (st >= 0)
        return st;
    if (inputs.size() != 1 || pub_path.empty()) {
        print_error(
            "verify needs one BUNDLE and --pubkey KEY.pub; run 'fbsd-patchgen verify --help'");
        return kUsage;
    }
    return guarded(kUsage, [&] {
        bundle::signify::PublicKey pub =
            bundle::signify::parse_public_key(read_text(pub_path, 4096), pub_path);
        Bytes data = read_file(inputs[0]); // unreadable: exit 1
        try {
            bundle::Bundle b = bundle::read(data, inputs[0]);
            bundle::verify(b, pub, inputs[0]);
            if (!vm.count("quiet")) {
                const bundle::Manifest &m = b.manifest;
                std::cout << "Signature Verified\n"
                          << inputs[0] << ": bundle " << m.name << " (" << m.module_file() << ", "
                          << b.module.size() << " bytes, " << m.functions.size()
                          << " function(s))\n"
                          << "target: " << summary_target(m) << "\n"
                          << "key id: " << bundle::signify::key_id(b.signature->keynum) << "\n"
                          << "trusted comment: "
                          << (b.signature->trusted_comment
                                  ? *b.signature->trusted_comment
                                  : std::string("(none: plain signify signature)"))
                          << "\n";
            }
            return int(kOk);
        } catch (const Error &e) {
            print_error(e.what());
            return int(kVerifyFailed);
        }
    });
}

} // namespace fbsdlp::cli
