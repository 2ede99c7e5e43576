// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The link stage on its own, for patch objects made with `fbsd-patchgen
// diff` outside the driver (a kernel built elsewhere, the tests' klds):
//   fbsd-patchgen link -o NAME.ko --name NAME --kernel-file KERNEL
//       DIFF.o... -- CC KERNEL-CFLAGS...
// The command after "--" is how the kernel compiles its sources (without a
// source or an object); the module stub is compiled with it, as
// bsd.kmod.mk compiles a module with the kernel's flags.

#include "commands.h"
#include "options.h"

#include "fbsdlp/module/inspect.h"
#include "fbsdlp/module/kernel_image.h"
#include "fbsdlp/module/link.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"
#include "fbsdlp_abi.h"

#include <algorithm>
#include <climits>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <unistd.h>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace fbsdlp::cli {

namespace {

// What the module must find in the kernel, read back from the patch
// objects themselves: each replaced function and each static, by file.
std::vector<module::Expected> expected_of_objects(const std::vector<std::string> &objects) {
    std::vector<module::Expected> out;
    for (const auto &o : objects) {
        module::Inspection in = module::inspect(o);
        std::map<std::string, module::Expected> by_file;
        for (const auto &f : in.functions) {
            auto &e = by_file[f.objname];
            e.replaced.push_back(f.old_name);
        }
        for (const auto &r : in.livepatch_relocs)
            by_file[r.objname].statics.push_back(r.symbol);
        for (auto &[file, e] : by_file) {
            e.object = o;
            e.source_file = file;
            std::sort(e.statics.begin(), e.statics.end());
            e.statics.erase(std::unique(e.statics.begin(), e.statics.end()), e.statics.end());
            out.push_back(std::move(e));
        }
    }
    return out;
}

} // namespace

int cmd_link(const std::vector<std::string> &all_args) {
    auto dashdash = std::find(all_args.begin(), all_args.end(), "--");
    std::vector<std::string> args(all_args.begin(), dashdash);
    std::vector<std::string> cc;
    if (dashdash != all_args.end())
        cc.assign(dashdash + 1, all_args.end());

    po::options_description desc(
        "usage: fbsd-patchgen link -o NAME.ko --name NAME --kernel-file KERNEL [options]\n"
        "                          DIFF.o... [-- CC KERNEL-CFLAGS...]");
    std::string out, name, kernel_file, build_id, profile = "freebsd-kernel", cwd;
    uint32_t freebsd_version = 0;
    std::vector<std::string> inputs, fixes;
    desc.add_options()("help,h", "describe the options")(
        "output,o", po::value(&out), "the module to write (NAME.ko)")("name", po::value(&name),
                                                                      "patch and module name")(
        "kernel-file", po::value(&kernel_file),
        "the kernel the patch is for: its build-id binds the patch, its symbols validate it")(
        "build-id", po::value(&build_id), "bind to this build-id (hex) instead of the kernel's")(
        "freebsd-version", po::value(&freebsd_version), "__FreeBSD_version of the kernel")(
        "replace-all", "the patch replaces every earlier one (a cumulative patch)")(
        "fix", po::value(&fixes),
        "SHA-256 (hex) of a fix the patch carries, repeated in order (the runtime stacks a "
        "patch only over one whose fixes it carries)")(
        "profile", po::value(&profile),
        "freebsd-kernel (default: a kld, the stub compiled with the command after --) or hosted")(
        "directory,C", po::value(&cwd),
        "run the kernel's compile command in this directory (default: the current one)");
    po::variables_map vm;
    int st = parse(args, desc, "input", &inputs, vm, "link",
                   "Exit status: 0 module written, 1 usage or error, 2 module refused.");
    if (st >= 0)
        return st;
    if (out.empty() || name.empty() || kernel_file.empty() || inputs.empty()) {
        print_error("link needs -o, --name, --kernel-file and patch objects; run 'fbsd-patchgen "
                    "link --help'");
        return kUsage;
    }
    diff::Profile prof;
    if (profile == "hosted")
        prof = diff::Profile::Hosted;
    else if (profile == "freebsd-kernel")
        prof = diff::Profile::FreeBsdKernel;
    else {
        print_error("unknown profile '" + profile + "'");
        return kUsage;
    }
    if (prof == diff::Profile::FreeBsdKernel && cc.empty()) {
        print_error("a kld needs the kernel's compile command after --, e.g. -- cc -O2 -nostdinc "
                    "-I. -I/usr/src/sys -D_KERNEL ...");
        return kUsage;
    }
    return guarded(kUsage, [&] {
        module::KernelImage kernel = module::KernelImage::load(kernel_file);
        module::PatchInfo info{name,
                               build_id.empty() ? kernel.build_id : build_id,
                               freebsd_version,
                               vm.count("replace-all") ? uint32_t(FBSDLP_PATCH_REPLACE_ALL) : 0u,
                               {},
                               fixes};
        if (info.build_id.empty())
            throw Error(kernel_file, "has no build-id", "give --build-id");
        std::optional<module::KldStub> kld;
        if (prof == diff::Profile::FreeBsdKernel)
            kld = module::KldStub{module::find_kmod_sources(self_path()),
                                  {cwd.empty() ? fs::current_path().string() : cwd, cc}};
        std::string work = out + ".work";
        fs::remove_all(work);
        fs::create_directories(work);
        std::vector<std::string> objs;
        for (const auto &i : inputs)
            objs.push_back(fs::absolute(i).string());
        module::LinkedModule lm = module::link_and_validate(
            objs, info, work, kernel, expected_of_objects(objs), prof, kld ? &*kld : nullptr);
        fs::remove_all(work);
        if (!lm.problems.empty()) {
            for (const auto &p : lm.problems)
                print_error(out + ": " + p);
            print_error(out + ": refused, not written");
            return int(kRefused);
        }
        write_file_atomic(out, lm.bytes);
        std::cout << out << ": " << lm.bytes.size() << " bytes, module " << name << " for build-id "
                  << info.build_id << "\n";
        return int(kOk);
    });
}

} // namespace fbsdlp::cli
