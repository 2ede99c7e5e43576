// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/module/manifest.h"
#include "fbsdlp/util/error.h"

#include <cctype>
#include <cstdlib>
#include <ctime>

namespace fbsdlp::module {

bundle::Manifest build_manifest(const ManifestInput &in) {
    bundle::Manifest m;
    m.name = in.name;
    m.build_id = in.build_id;
    for (char &c : m.build_id)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    m.freebsd_version = in.freebsd_version;
    m.kernconf = in.kernconf;
    m.diff_sha256 = in.diff_sha256;
    m.advisory = in.advisory;
    m.description = in.description;
    m.tool_version = FBSDLP_VERSION;
    if (const char *sde = std::getenv("SOURCE_DATE_EPOCH")) {
        char *end = nullptr;
        unsigned long long v = std::strtoull(sde, &end, 10);
        if (!*sde || *end)
            throw Error("SOURCE_DATE_EPOCH", "not a number of seconds");
        m.created = v;
    } else
        m.created = uint64_t(std::time(nullptr));
    return m;
}

std::optional<std::string> add_report_functions(bundle::Manifest &m, const nlohmann::json &report,
                                                const std::string &where) {
    std::vector<bundle::Function> fs;
    try {
        for (const auto &o : report.at("objects")) {
            std::string obj = o.at("object").get<std::string>();
            if (o.contains("refusals") && !o.at("refusals").empty())
                return obj;
            for (const auto &f : o.at("changed_functions"))
                fs.push_back({f.at("name").get<std::string>(), obj});
        }
    } catch (const nlohmann::json::exception &e) {
        throw Error(where, std::string("not a diff report: ") + e.what(),
                    "give the file written by 'fbsd-patchgen diff --json'");
    }
    m.functions.insert(m.functions.end(), fs.begin(), fs.end());
    return std::nullopt;
}

} // namespace fbsdlp::module
