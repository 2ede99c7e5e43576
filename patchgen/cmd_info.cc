// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen info BUNDLE [--json]: describe a bundle; its structure and
// checksums are checked, its signature is not.

#include "bundle_io.h"
#include "commands.h"
#include "options.h"

#include <boost/program_options.hpp>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

namespace po = boost::program_options;

namespace fbsdlp::cli {

namespace {

std::string time_text(uint64_t t) {
    std::time_t tt = std::time_t(t);
    struct tm tm {};
    char buf[64];
    if (!gmtime_r(&tt, &tm) || !std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm))
        return std::to_string(t);
    return buf;
}

} // namespace

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
