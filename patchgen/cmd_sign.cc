// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen sign BUNDLE --sign-key KEY.sec [-o OUT]: add or replace a
// bundle's signature.

#include "bundle_io.h"
#include "commands.h"
#include "options.h"

#include <boost/program_options.hpp>
#include <iostream>

namespace po = boost::program_options;

namespace fbsdlp::cli {

int cmd_sign(const std::vector<std::string> &args) {
    po::options_description desc("usage: fbsd-patchgen sign BUNDLE --sign-key KEY.sec [-o OUT]");
    std::string key_path, out, pwfile;
    std::vector<std::string> inputs;
    desc.add_options()("help,h", "describe the options")("sign-key,s", po::value(&key_path),
                                                         "secret key (signify format)")(
        "passphrase-file", po::value(&pwfile),
        "the secret key's passphrase is the first line of FILE (default: ask on the terminal)")(
        "output,o", po::value(&out), "write the signed bundle here (default: replace BUNDLE)")(
        "quiet,q", "print nothing but errors");
    po::variables_map vm;
    int st = parse(args, desc, "bundle", &inputs, vm, "sign",
                   "Exit status: 0 signed, 1 usage or error, 5 the bundle is corrupt.");
    if (st >= 0)
        return st;
    if (inputs.size() != 1 || key_path.empty()) {
        print_error(
            "sign needs one BUNDLE and --sign-key KEY.sec; run 'fbsd-patchgen sign --help'");
        return kUsage;
    }
    int rc = guarded(kUsage, [&] {
        try {
            bundle::signify::SecretKey k = load_secret_key(key_path, pwfile);
            bundle::Bundle b = load_bundle(inputs[0]);
            Bytes data = bundle::sign(b, k, untrusted_comment_for(key_path, k));
            write_file(out.empty() ? inputs[0] : out, data);
            if (!vm.count("quiet"))
                std::cout << (out.empty() ? inputs[0] : out) << ": signed with key id "
                          << bundle::signify::key_id(k.keynum) << "\n";
            return int(kOk);
        } catch (const VerifyFailure &e) {
            print_error(e.what());
            return int(kVerifyFailed);
        }
    });
    return rc;
}

} // namespace fbsdlp::cli
