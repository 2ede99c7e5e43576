// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen bundle --module NAME.ko --name NAME --build-id HEX ... -o
// NAME.lpbundle: the bundle stage, packing a patch module with its manifest.

#include "bundle_io.h"
#include "commands.h"
#include "options.h"

#include "fbsdlp/module/inspect.h"
#include "fbsdlp/module/manifest.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/sha256.h"

#include <boost/program_options.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

namespace po = boost::program_options;

namespace fbsdlp::cli {

namespace {

// What is signed is what the manifest says: a patch module (not any
// object), for the manifest's name, build-id and __FreeBSD_version.
void check_module_matches(const std::string &path, const Bytes &bytes, const bundle::Manifest &m) {
    module::Inspection in = module::inspect_bytes(path, bytes);
    if (!in.info)
        throw Error(path, "is not a patch module (it has no patch information)",
                    "give the NAME.ko that fbsd-patchgen or fbsd-patchgen link wrote");
    const module::InspectedInfo &i = *in.info;
    if (i.name != m.name)
        throw Error(path,
                    "the module is patch '" + i.name + "', the manifest says '" + m.name + "'",
                    "give --name " + i.name);
    std::string id = m.build_id;
    if (i.build_id != id)
        throw Error(path,
                    "the module is built for build-id " + i.build_id + ", the manifest says " + id,
                    "bundle it with --build-id " + i.build_id + ", or rebuild it for that kernel");
    if (i.freebsd_version && m.freebsd_version && i.freebsd_version != m.freebsd_version)
        throw Error(path,
                    "the module is built for __FreeBSD_version " +
                        std::to_string(i.freebsd_version) + ", the manifest says " +
                        std::to_string(m.freebsd_version),
                    "give --freebsd-version " + std::to_string(i.freebsd_version));
}

} // namespace

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
        "bundle to write (default: NAME.lpbundle)")("quiet,q", "print nothing but errors")(
        "unchecked",
        "pack the module as it is, without checking it against the manifest (to test a "
        "target's own checks with a mismatched bundle)");
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
        if (!vm.count("unchecked"))
            check_module_matches(module, in.module, m);
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

} // namespace fbsdlp::cli
