// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen keygen -p KEY.pub -s KEY.sec [-c COMMENT]: a signify key
// pair for signing bundles, the secret key optionally encrypted.

#include "commands.h"
#include "options.h"
#include "passphrase.h"

#include "fbsdlp/bundle/signify.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"

#include <boost/program_options.hpp>
#include <iostream>
#include <openssl/crypto.h>
#include <optional>
#include <unistd.h>

namespace po = boost::program_options;

namespace fbsdlp::cli {

int cmd_keygen(const std::vector<std::string> &args) {
    po::options_description desc(
        "usage: fbsd-patchgen keygen -p KEY.pub -s KEY.sec [-c COMMENT]\n"
        "                            [--passphrase-file FILE | --ask-passphrase]");
    std::string pub, sec, comment = "fbsd-livepatch", pwfile;
    desc.add_options()("help,h", "describe the options")(
        "pubkey,p", po::value(&pub), "public key file to create (signify format)")(
        "seckey,s", po::value(&sec), "secret key file to create (signify format)")(
        "comment,c", po::value(&comment), "comment for the key files (default: fbsd-livepatch)")(
        "passphrase-file", po::value(&pwfile),
        "encrypt the secret key with the first line of FILE (bcrypt_pbkdf, 42 rounds)")(
        "ask-passphrase", "encrypt the secret key with a passphrase typed on the terminal");
    po::variables_map vm;
    int st = parse(args, desc, "", nullptr, vm, "keygen",
                   "Exit status: 0 keys written, 1 usage or error.");
    if (st >= 0)
        return st;
    if (pub.empty() || sec.empty()) {
        print_error("keygen needs -p KEY.pub and -s KEY.sec; run 'fbsd-patchgen keygen --help'");
        return kUsage;
    }
    return guarded(kUsage, [&] {
        std::string pc = comment + " public key", sc = comment + " secret key";
        if (!bundle::signify::valid_comment(sc, 1000))
            throw Error("keygen", "comment is too long or holds control characters");
        if (::access(pub.c_str(), F_OK) == 0)
            throw Error(pub, "file exists; refusing to overwrite it",
                        "remove it first or choose another name");
        std::optional<std::string> pw;
        if (!pwfile.empty() || vm.count("ask-passphrase"))
            pw = new_passphrase(pwfile);
        bundle::signify::SecretKey k = bundle::signify::generate(sc);
        std::string st = bundle::signify::format_secret_key(k, sc, pw);
        if (pw)
            OPENSSL_cleanse(pw->data(), pw->size());
        write_file_atomic(sec, st, {0600, true});
        std::string pt = bundle::signify::format_public_key(k.public_key(), pc);
        try {
            write_file_atomic(pub, pt, {0644, true});
        } catch (...) {
            ::unlink(sec.c_str());
            throw;
        }
        std::cout << "public key: " << pub << "\nsecret key: " << sec
                  << (pw ? " (encrypted with the passphrase)" : " (not encrypted: keep it private)")
                  << "\nkey id: " << bundle::signify::key_id(k.keynum) << "\n";
        return int(kOk);
    });
}

} // namespace fbsdlp::cli
