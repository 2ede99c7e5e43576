// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Stages 6 and 7: the diff objects and the patch information linked into
// NAME.ko and validated against kernel.full; then the bundle: module,
// manifest, report, checksums and, with --sign-key, the signature.

#include "stages.h"

#include "fbsdlp/bundle/bundle.h"
#include "fbsdlp/module/inspect.h"
#include "fbsdlp/module/manifest.h"
#include "fbsdlp/module/target_check.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"
#include "fbsdlp/util/sha256.h"
#include "fbsdlp_abi.h"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>

namespace fs = std::filesystem;

namespace fbsdlp::pipeline {

namespace {

uint32_t freebsd_version(const std::string &srcdir) {
    std::string p = srcdir + "/sys/sys/param.h";
    if (!fs::exists(p))
        return 0;
    // "#define __FreeBSD_version 1500000"
    std::istringstream in(read_file(p));
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::string define, name;
        uint32_t value = 0;
        if (words >> define >> name >> value && define == "#define" && name == "__FreeBSD_version")
            return value;
    }
    return 0;
}

std::string summary_table(const std::vector<diff::Result> &results) {
    std::string s = "\n  object                 changed  new\n";
    for (const auto &x : results)
        if (!x.no_change()) {
            char line[128];
            snprintf(line, sizeof line, "  %-22s %7zu %4zu\n", x.object.c_str(),
                     x.changed_functions.size(), x.new_functions.size());
            s += line;
        }
    return s;
}

} // namespace

// 6. Link the diff objects and the module stub (compiled with the command
//    of the first changed unit: the kernel's flags, as bsd.kmod.mk would);
//    validate the module against the kernel it is for (--kernel-file, else
//    the original build's).  NAME.ko is written only when it is valid.
module::LinkedModule link_stage(Run &r, const Fix &fix, const Original &orig,
                                const SourceAnalysis &sa, const Diffed &d) {
    StageTimer t = r.stage(6, "link and finalize");
    std::vector<std::string> objs;
    std::optional<module::KldStub> kld;
    for (size_t i = 0; i < d.results.size(); i++) {
        if (d.results[i].no_change())
            continue;
        auto unit = sa.units.find(d.pairs[i].first);
        if (!kld && r.o.profile == diff::Profile::FreeBsdKernel && unit != sa.units.end())
            kld = module::KldStub{module::find_kmod_sources(r.o.self),
                                  module::kernel_compile_of(unit->second)};
        std::string p = r.work + "/" + fs::path(d.pairs[i].first).stem().string() + ".diff.o";
        write_file_atomic(p, d.results[i].output);
        objs.push_back(p);
    }
    const module::KernelImage &bound = orig.bound();
    // A series is one cumulative patch: it replaces every earlier one.
    module::PatchInfo info{r.name,
                           bound.build_id,
                           freebsd_version(r.tree.srcdir),
                           fix.parts.size() > 1 ? uint32_t(FBSDLP_PATCH_REPLACE_ALL) : 0u,
                           sha256_hex(fix.text),
                           {}};
    for (const auto &p : fix.parts)
        info.fixes.push_back(p.sha256);
    module::LinkedModule lm =
        module::link_and_validate(objs, info, r.work, bound, module::expected_of(d.results),
                                  r.o.profile, kld ? &*kld : nullptr);
    // The runtime's own check, done here first: the patch must fit the
    // kernel it is for, byte for byte outside the relocated fields.
    if (lm.problems.empty())
        for (auto &p : module::check_old_functions(module::inspect_bytes(lm.path, lm.bytes), bound,
                                                   orig.kernel))
            lm.problems.push_back(std::move(p));
    for (const auto &p : lm.problems)
        r.say(Progress::Kind::Refused, p);
    if (!lm.problems.empty())
        return lm;
    // Written with the bundle, at the end of stage 7.
    t.done(r.name + ".ko (" + std::to_string(lm.bytes.size()) + " bytes)");
    return lm;
}

// 7. Report and bundle: module, manifest, checksums, signature.
void output_stage(Run &r, const Fix &fix, const Original &orig, const Diffed &d,
                  module::LinkedModule &lm, nlohmann::json &report, DriverOutcome &res) {
    StageTimer t = r.stage(7, "output");
    write_report(r, report, "patch", res);
    bundle::CreateInput in;
    module::ManifestInput mi{r.name,
                             orig.bound().build_id,
                             freebsd_version(r.tree.srcdir),
                             r.tree.kernconf,
                             sha256_hex(fix.text),
                             {},
                             {}};
    if (!r.o.advisory.empty())
        mi.advisory = r.o.advisory;
    if (!r.o.description.empty())
        mi.description = r.o.description;
    in.manifest = module::build_manifest(mi);
    module::add_report_functions(in.manifest, report, res.report_path);
    in.module = lm.bytes;
    in.report = to_bytes(res.report_text);
    const std::optional<bundle::signify::SecretKey> &key = r.sign_key;
    Bytes b = bundle::create(in, key ? &*key : nullptr,
                             key ? "verify with the public key of key id " +
                                       bundle::signify::key_id(key->keynum)
                                 : std::string());
    res.module_path = r.o.output_dir + "/" + r.name + ".ko";
    res.bundle_path = r.o.output_dir + "/" + r.name + ".lpbundle";
    res.signed_bundle = key.has_value();
    write_file_atomic(res.module_path, lm.bytes);
    write_file_atomic(res.bundle_path, b);
    t.done(res.report_path + ", " + res.bundle_path +
           (key ? " (signed)" : " (unsigned: no --sign-key)"));
    if (!r.o.quiet)
        r.say(Progress::Kind::Text, summary_table(d.results));
}

} // namespace fbsdlp::pipeline
