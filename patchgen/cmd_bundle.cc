// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The bundle stage and signatures:
//   fbsd-patchgen keygen -p KEY.pub -s KEY.sec [-c COMMENT]
//   fbsd-patchgen bundle --module NAME.ko --name NAME --build-id HEX ... -o NAME.lpbundle
//   fbsd-patchgen sign BUNDLE --sign-key KEY.sec [-o OUT]
//   fbsd-patchgen verify BUNDLE --pubkey KEY.pub
//   fbsd-patchgen info BUNDLE [--json]

#include "commands.h"
#include "options.h"
#include "passphrase.h"

#include "fbsdlp/bundle/bundle.h"
#include "fbsdlp/bundle/signify.h"
#include "fbsdlp/module/manifest.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"
#include "fbsdlp/util/sha256.h"

#include <boost/program_options.hpp>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <iostream>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

namespace po = boost::program_options;

namespace fbsdlp::cli {

namespace {

// Bundles and keys: read whole, bounded.
Bytes read_file(const std::string &path, size_t max = size_t(128) << 20) {
    return read_bytes(path, max);
}

std::string read_text(const std::string &path, size_t max = 1u << 20) {
    return to_text(read_bytes(path, max));
}

void write_file(const std::string &path, const Bytes &b) { write_file_atomic(path, b, {0644}); }

std::string base_name(const std::string &path) {
    return std::filesystem::path(path).filename().string();
}

// signify's convention: signing with dir/name.sec says "verify with name.pub".
std::string untrusted_comment_for(const std::string &seckey_path,
                                  const bundle::signify::SecretKey &k) {
    std::string b = base_name(seckey_path);
    if (b.size() > 4 && b.compare(b.size() - 4, 4, ".sec") == 0) {
        std::string c = "verify with " + b.substr(0, b.size() - 4) + ".pub";
        if (bundle::signify::valid_comment(c, 256))
            return c;
    }
    return "verify with the public key of key id " + bundle::signify::key_id(k.keynum);
}

bundle::signify::SecretKey load_secret_key(const std::string &path,
                                           const std::string &passphrase_file) {
    return bundle::signify::parse_secret_key(read_text(path, 4096), path,
                                             passphrase_source(passphrase_file, path));
}

// A bundle that fails to read is a verification failure (exit 5).
struct VerifyFailure : Error {
    using Error::Error;
};

bundle::Bundle load_bundle(const std::string &path, Bytes *raw = nullptr) {
    Bytes data = read_file(path);
    try {
        bundle::Bundle b = bundle::read(data, path);
        if (raw)
            *raw = std::move(data);
        return b;
    } catch (const Error &e) {
        throw VerifyFailure(e.where(), e.what_text(), e.hint());
    }
}

std::string summary_target(const bundle::Manifest &m) {
    return "build_id " + m.build_id + ", __FreeBSD_version " + std::to_string(m.freebsd_version) +
           ", KERNCONF " + m.kernconf;
}

std::string time_text(uint64_t t) {
    std::time_t tt = std::time_t(t);
    struct tm tm {};
    char buf[64];
    if (!gmtime_r(&tt, &tm) || !std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm))
        return std::to_string(t);
    return buf;
}

} // namespace

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

int cmd_bundle(const std::vector<std::string> &args) {
    po::options_description desc(
        "usage: fbsd-patchgen bundle --module NAME.ko --name NAME --build-id HEX "
        "--freebsd-version N --kernconf K [options] -o NAME.lpbundle");
    std::string module, name, build_id, kernconf, report, advisory, description, sign_key, out,
        diff, pwfile;
    uint32_t fbsd_version = 0;
    std::vector<std::string> funcs;
    desc.add_options()("help,h", "describe the options")("module", po::value(&module),
                                                         "the patch module (.ko)")(
        "name", po::value(&name),
        "bundle and module name (default: the module's file name without .ko)")(
        "build-id", po::value(&build_id), "the target kernel's kern.build_id (hex)")(
        "freebsd-version", po::value(&fbsd_version),
        "the target's __FreeBSD_version (kern.osreldate)")(
        "kernconf", po::value(&kernconf), "the target's kernel configuration name")(
        "report", po::value(&report),
        "diff report (fbsd-patchgen diff --json); its changed functions are listed")(
        "function", po::value(&funcs),
        "NAME:OBJECT, a replaced function (repeatable; adds to --report's)")(
        "diff", po::value(&diff), "the source fix; its SHA-256 is recorded")(
        "advisory", po::value(&advisory), "advisory id, e.g. FreeBSD-SA-26:01.example")(
        "description", po::value(&description), "one-paragraph description")(
        "sign-key", po::value(&sign_key), "sign with this secret key (signify format)")(
        "passphrase-file", po::value(&pwfile),
        "the secret key's passphrase is the first line of FILE (default: ask on the terminal)")(
        "output,o", po::value(&out),
        "bundle to write (default: NAME.lpbundle)")("quiet,q", "print nothing but errors");
    po::variables_map vm;
    int st = parse(args, desc, "", nullptr, vm, "bundle",
                   "Exit status: 0 bundle written, 1 usage or invalid input, 2 the report lists "
                   "refused changes.");
    if (st >= 0)
        return st;
    for (const char *need : {"module", "build-id", "freebsd-version", "kernconf"})
        if (!vm.count(need)) {
            print_error(std::string("bundle needs --") + need +
                        "; run 'fbsd-patchgen bundle --help'");
            return kUsage;
        }
    return guarded(kUsage, [&]() -> int {
        bundle::CreateInput in;
        if (name.empty()) {
            name = base_name(module);
            if (name.size() > 3 && name.compare(name.size() - 3, 3, ".ko") == 0)
                name.resize(name.size() - 3);
        }
        module::ManifestInput mi{name, build_id, fbsd_version, kernconf, {}, {}, {}};
        if (vm.count("advisory"))
            mi.advisory = advisory;
        if (vm.count("description"))
            mi.description = description;
        in.manifest = module::build_manifest(mi);
        bundle::Manifest &m = in.manifest;
        if (!diff.empty())
            m.diff_sha256 = sha256_hex(read_file(diff));
        in.module = read_file(module);
        if (!report.empty()) {
            in.report = read_file(report, 16u << 20);
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(in.report->begin(), in.report->end());
            } catch (const nlohmann::json::exception &e) {
                throw Error(report, std::string("not a diff report: ") + e.what(),
                            "give the file written by 'fbsd-patchgen diff --json'");
            }
            if (auto obj = module::add_report_functions(m, j, report)) {
                print_error(report + ": " + *obj +
                            ": the report lists refused changes; a refused "
                            "patch cannot be bundled");
                return kRefused;
            }
        }
        for (const std::string &f : funcs) {
            size_t colon = f.find(':');
            if (colon == std::string::npos || colon == 0 || colon + 1 == f.size())
                throw Error("--function " + f, "expected NAME:OBJECT");
            m.functions.push_back({f.substr(0, colon), f.substr(colon + 1)});
        }
        std::optional<bundle::signify::SecretKey> key;
        std::string uc;
        if (!sign_key.empty()) {
            key = load_secret_key(sign_key, pwfile);
            uc = untrusted_comment_for(sign_key, *key);
        }
        Bytes data = bundle::create(in, key ? &*key : nullptr, uc);
        if (out.empty())
            out = m.name + ".lpbundle";
        write_file(out, data);
        if (!vm.count("quiet"))
            std::cout << out << ": bundle " << m.name << ", " << m.functions.size()
                      << " function(s), target " << summary_target(m) << ", "
                      << (key ? "signed with key id " + bundle::signify::key_id(key->keynum)
                              : std::string("unsigned"))
                      << "\n";
        return kOk;
    });
}

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

int cmd_info(const std::vector<std::string> &args) {
    po::options_description desc("usage: fbsd-patchgen info BUNDLE [--json]");
    std::vector<std::string> inputs;
    desc.add_options()("help,h", "describe the options")(
        "json", "print the manifest, members and signature as JSON");
    po::variables_map vm;
    int st =
        parse(args, desc, "bundle", &inputs, vm, "info",
              "Exit status: 0 ok, 1 usage or unreadable file, 5 the bundle is corrupt.\n"
              "info checks the bundle's structure and checksums, not its signature: use verify.");
    if (st >= 0)
        return st;
    if (inputs.size() != 1) {
        print_error("info needs one BUNDLE; run 'fbsd-patchgen info --help'");
        return kUsage;
    }
    return guarded(kUsage, [&] {
        bundle::Bundle b;
        try {
            b = load_bundle(inputs[0]);
        } catch (const VerifyFailure &e) {
            print_error(e.what());
            return int(kVerifyFailed);
        }
        const bundle::Manifest &m = b.manifest;
        std::vector<std::pair<std::string, size_t>> members = {
            {bundle::kManifestName, b.manifest_text.size()}, {m.module_file(), b.module.size()}};
        if (b.report)
            members.push_back({bundle::kReportName, b.report->size()});
        members.push_back({bundle::kListName, b.sha256_list.size()});
        if (b.signature_text)
            members.push_back({bundle::kSignatureName, b.signature_text->size()});
        if (vm.count("json")) {
            nlohmann::json j;
            j["bundle"] = inputs[0];
            j["manifest"] = m.to_json();
            j["members"] = nlohmann::json::array();
            for (const auto &[n, size] : members)
                j["members"].push_back({{"name", n}, {"size", size}});
            if (b.signature) {
                j["signature"] = {{"key_id", bundle::signify::key_id(b.signature->keynum)},
                                  {"untrusted_comment", b.signature->untrusted_comment},
                                  {"verified", false}};
                j["signature"]["trusted_comment"] =
                    b.signature->trusted_comment ? nlohmann::json(*b.signature->trusted_comment)
                                                 : nlohmann::json(nullptr);
            } else
                j["signature"] = nullptr;
            std::cout << j.dump(2) << "\n";
            return int(kOk);
        }
        std::cout << "bundle:          " << m.name << " (" << inputs[0] << ")\n"
                  << "target:          " << summary_target(m) << "\n"
                  << "created:         " << time_text(m.created) << " by " << m.tool << " "
                  << m.tool_version << "\n";
        if (m.advisory)
            std::cout << "advisory:        " << *m.advisory << "\n";
        if (m.description)
            std::cout << "description:     " << *m.description << "\n";
        if (m.diff_sha256)
            std::cout << "diff sha256:     " << *m.diff_sha256 << "\n";
        std::cout << "functions:       " << m.functions.size() << "\n";
        for (const auto &f : m.functions)
            std::cout << "  " << f.name << " (" << f.object << ")\n";
        std::cout << "members:\n";
        for (const auto &[n, size] : members)
            std::cout << "  " << n << " (" << size << " bytes)\n";
        if (b.signature)
            std::cout << "signature:       key id " << bundle::signify::key_id(b.signature->keynum)
                      << ", not verified (use 'fbsd-patchgen verify --pubkey KEY.pub')\n"
                      << "trusted comment: "
                      << (b.signature->trusted_comment ? *b.signature->trusted_comment
                                                       : std::string("(none)"))
                      << "\n";
        else
            std::cout << "signature:       none (unsigned bundle)\n";
        return int(kOk);
    });
}

} // namespace fbsdlp::cli
