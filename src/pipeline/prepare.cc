// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Stages 1-4: preflight, the original build (cached), the source analysis
// and the patched build.  The user's tree is only ever read: the patched
// text lives in the work directory.

#include "stages.h"

#include "fbsdlp/kbuild/cache.h"

#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <sys/statvfs.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace fbsdlp::pipeline {

using namespace fbsdlp::kbuild;
using namespace fbsdlp::srcpatch;

namespace {

std::atomic<bool> interrupted{false};

std::string default_name(const std::string &diff_path) {
    std::string n = fs::path(diff_path).stem().string();
    for (char &c : n)
        if (!std::isalnum(static_cast<unsigned char>(c)))
            c = '_';
    if (n.size() > 64)
        n.resize(64);
    return n.empty() ? "livepatch" : n;
}

std::string first_nonempty_line(const std::string &s) {
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            return line;
    return {};
}

// The target kernel must come from the same compiler; it need not be the
// original build (a stock kernel is built without function sections): its
// old functions are checked one by one at the link stage.
module::KernelImage load_target_kernel(const std::string &file, const std::string &debug,
                                       const module::KernelImage &kernel) {
    module::KernelImage target = module::KernelImage::load(file, debug);
    if (first_nonempty_line(target.comment) != first_nonempty_line(kernel.comment))
        throw Error(file,
                    "the target kernel was built by '" + first_nonempty_line(target.comment) +
                        "', the original build by '" + first_nonempty_line(kernel.comment) + "'",
                    "build with the compiler that built the target kernel (--cc)");
    return target;
}

// Copies of the fix's files with the patched text, in dir: tree file ->
// copy.  fps and files list them in the same order.
std::map<std::string, std::string> patched_copies(const TreeSpec &tree, const SourcePatch &sp,
                                                  const std::string &dir,
                                                  std::vector<const FilePatch *> &fps,
                                                  std::vector<std::string> &files) {
    std::map<std::string, std::string> patched;
    for (const FilePatch &fp : sp.files) {
        std::string abs = (fs::path(tree.srcdir) / fp.path).lexically_normal().string();
        if (fp.creates || fp.deletes || !fs::exists(abs))
            continue;
        std::string copy =
            dir + "/" + std::to_string(files.size()) + "-" + fs::path(fp.path).filename().string();
        write_file_atomic(copy, apply_file_patch(read_file(abs), fp, false));
        files.push_back(abs);
        patched[abs] = copy;
        fps.push_back(&fp);
    }
    return patched;
}

// Parses every affected unit twice (original, patched) with its recorded
// command, in parallel; the patched text comes from copies in the work
// directory, never from the tree.
void analyse_sources(const Run &r, const SourcePatch &sp, SourceAnalysis &sa) {
    std::string dir = r.work + "/source";
    fs::create_directories(dir);
    std::vector<std::string> files;
    std::vector<const FilePatch *> fps;
    std::map<std::string, std::string> patched = patched_copies(r.tree, sp, dir, fps, files);
    std::vector<std::pair<std::string, CompileCommand>> list(sa.units.begin(), sa.units.end());
    std::vector<source::ScanJob> jobs;
    for (const auto &[obj, cmd] : list) {
        source::ScanJob j;
        j.cmd = cmd;
        // The unit's own source too: the reconciliation needs what its
        // functions call and expand.
        j.files = files;
        j.files.push_back(cmd.source);
        j.reparse = patched;
        j.twice = true;
        jobs.push_back(std::move(j));
    }
    auto scans =
        source::scan_units(source::find_scanner(r.o.self), jobs, std::max(1, r.o.jobs), dir);
    std::set<std::string> seen_t, seen_f;
    for (size_t i = 0; i < list.size(); i++) {
        UnitAnalysis ua{std::move(scans[i].first), std::move(scans[i].second), {}};
        std::string obj = fs::path(list[i].first).filename().string();
        bool failed = false;
        for (const auto *u : {&ua.orig, &ua.patched}) {
            failed = failed || !u->ok;
            for (const auto &e : u->errors)
                sa.warnings.push_back(obj + ": source analysis " +
                                      (u->ok ? "incomplete: " : "failed: ") + e);
        }
        sa.failed += failed;
        for (size_t f = 0; f < fps.size(); f++) {
            auto t = source::touched_definitions(*fps[f], files[f], ua.orig, ua.patched);
            for (const auto &x : source::preflight(*fps[f], files[f], t, ua.orig, ua.patched))
                if (seen_f.insert(x.file + ":" + std::to_string(x.line) + x.symbol + x.reason)
                        .second)
                    sa.findings.push_back(x);
            for (const auto &x : t)
                if (seen_t.insert(x.file + ":" + x.kind + " " + x.name).second)
                    sa.touched.push_back(x);
            ua.touched.insert(ua.touched.end(), t.begin(), t.end());
        }
        sa.analysed[list[i].first] = std::move(ua);
    }
    std::sort(sa.warnings.begin(), sa.warnings.end());
    sa.warnings.erase(std::unique(sa.warnings.begin(), sa.warnings.end()), sa.warnings.end());
}

} // namespace

void request_interrupt() { interrupted = true; }
bool interrupt_requested() { return interrupted; }
void check_interrupt() {
    if (interrupted)
        throw Interrupted{};
}

WorkDirCleanup::~WorkDirCleanup() {
    std::error_code ec;
    if (!keep)
        fs::remove_all(dir, ec);
}

DriverOptions checked_options(const DriverOptions &given) {
    DriverOptions o = given;
    auto absolute = [](std::string &p) {
        if (!p.empty())
            p = fs::absolute(p).lexically_normal().string();
    };
    for (auto &d : o.diff_paths) {
        absolute(d);
        if (!fs::is_regular_file(d))
            throw Error(d, "no such fix (a unified diff or a series file)");
    }
    for (std::string *p : {&o.srcdir, &o.workdir, &o.cache_dir, &o.output_dir, &o.sign_key,
                           &o.kernel_file, &o.kernel_debug})
        absolute(*p);
    // The name is a file name in --output and the module's name: the
    // manifest's rule, checked before it can name a path outside --output.
    if (!o.name.empty()) {
        bool ok = o.name.size() <= 64;
        for (char c : o.name)
            ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
        if (!ok)
            throw Error("--name " + o.name, "a patch name is 1 to 64 letters, digits, '_' or '-'",
                        "it names NAME.ko in --output and the kernel module");
    }
    for (const std::string *f : {&o.sign_key, &o.kernel_file, &o.kernel_debug})
        if (!f->empty() && ::access(f->c_str(), R_OK) != 0)
            throw Error(*f, std::string("cannot be read: ") + std::strerror(errno));
    std::error_code ec;
    fs::create_directories(o.output_dir, ec);
    if (ec || ::access(o.output_dir.c_str(), W_OK) != 0)
        throw Error(o.output_dir, "the output directory cannot be written",
                    "give a writable --output");
    return o;
}

Run start(const DriverOptions &o, Progress &progress) {
    Run r(o, progress);
    r.tree = TreeSpec{fs::absolute(o.srcdir).lexically_normal().string(),
                      o.kernconf,
                      o.cc,
                      "-ffunction-sections -fdata-sections",
                      o.make_vars,
                      o.kernel_image};
    while (r.tree.srcdir.size() > 1 && r.tree.srcdir.back() == '/')
        r.tree.srcdir.pop_back();
    if (o.diff_paths.empty())
        throw Error("driver", "no fix given", "give --src FIX.diff");
    r.name = o.name.empty() ? default_name(o.diff_paths.front()) : o.name;
    if (!o.sign_key.empty())
        r.sign_key = bundle::signify::parse_secret_key(read_file(o.sign_key), o.sign_key,
                                                       o.sign_key_passphrase);
    r.cache = o.cache_dir.empty() ? kbuild::default_cache_dir() : o.cache_dir;
    fs::create_directories(o.output_dir);
    fs::create_directories(r.cache);
    r.work = o.workdir;
    r.temp_work = r.work.empty();
    if (r.temp_work) {
        std::string tmpl = (fs::temp_directory_path() / "fbsd-patchgen.XXXXXX").string();
        if (!mkdtemp(tmpl.data()))
            throw Error("work directory", "cannot create a temporary directory");
        r.work = tmpl;
    } else {
        fs::remove_all(r.work);
        fs::create_directories(r.work);
    }
    return r;
}

// 1. Preflight: a kernel tree, the KERNCONF, a diff that applies, a
//    compiler, room for the build.
Fix preflight(Run &r) {
    StageTimer t = r.stage(1, "preflight");
    check_kernel_tree(r.tree);
    Fix fix = read_fixes(r.o.diff_paths, r.tree.srcdir, r.work);
    for (const FilePatch &fp : fix.patch.files) {
        std::string path = r.tree.srcdir + "/" + fp.path;
        if (!fs::exists(path))
            throw Error(fix.label, fp.path + " does not exist in " + r.tree.srcdir,
                        "is --srcdir the tree the fix was made against?");
        apply_file_patch(read_file(path), fp, true);
    }
    struct statvfs sv;
    if (statvfs(r.cache.c_str(), &sv) == 0 && uint64_t(sv.f_bavail) * sv.f_frsize < (256ull << 20))
        throw Error(r.cache, "less than 256 MB free for the original build",
                    "free space or use --cache");
    t.done(std::to_string(fix.patch.files.size()) + " file(s) in the fix" +
           (fix.parts.size() > 1
                ? " (a series of " + std::to_string(fix.parts.size()) + ": one cumulative patch)"
                : std::string()) +
           ", tree " + r.tree.srcdir + ", KERNCONF " + r.tree.kernconf);
    return fix;
}

namespace {

// The original build's progress, as the Run's messages.
struct BuildProgress : kbuild::BuildWatcher {
    const Run &r;
    explicit BuildProgress(const Run &run) : r(run) {}
    void waiting(const std::string &lock) override {
        r.say(Progress::Kind::Status,
              "waiting for another fbsd-patchgen building the same kernel (lock " + lock + ")");
    }
    void building(const std::string &log) override {
        r.say(Progress::Kind::Status, "building the original kernel (log: " + log + ")");
    }
    void compiled(size_t n, size_t expected) override {
        r.say(Progress::Kind::Ongoing,
              "  " + std::to_string(n) +
                  (expected ? " of about " + std::to_string(expected) : std::string()) +
                  " units compiled");
    }
};

} // namespace

// 2. Original build, cached.
Original original_build(Run &r) {
    StageTimer t = r.stage(2, "original build");
    BuildProgress watch(r);
    OriginalBuild ob =
        build_original(r.tree, r.cache, r.o.self, r.o.jobs, r.o.quiet ? nullptr : &watch);
    Original orig{ob, module::KernelImage::load(ob.objdir + "/" + r.tree.kernel_image), {}};
    std::string bound = " (the patch is for this kernel: no --kernel-file)";
    if (!r.o.kernel_file.empty()) {
        module::KernelImage target =
            load_target_kernel(r.o.kernel_file, r.o.kernel_debug, orig.kernel);
        if (target.build_id == orig.kernel.build_id) {
            bound = " (matches " + r.o.kernel_file + ")";
        } else {
            bound = "; the patch is for " + r.o.kernel_file + ", build-id " + target.build_id +
                    ": each replaced function is checked against it";
            orig.target = std::move(target);
        }
    }
    t.done(std::string(ob.cached ? "cached" : "built") + ", build-id " + orig.kernel.build_id +
           bound);
    return orig;
}

// 3. Source analysis: each affected translation unit parsed with its
//    recorded command, original and patched; touched definitions; changes
//    no live patch can carry, refused before any compile.
SourceAnalysis source_analysis(Run &r, const Fix &fix, const Original &orig) {
    StageTimer t = r.stage(3, "source analysis");
    SourceAnalysis sa;
    sa.units = affected_units(r.tree, orig.build, fix.patch, &sa.notes);
    if (sa.units.empty())
        throw Error(fix.label, "the fix touches no file of the " + r.tree.kernconf + " kernel",
                    "check the paths in the diff");
    analyse_sources(r, fix.patch, sa);
    for (const auto &w : sa.warnings)
        r.say(Progress::Kind::Warning, w);
    // check is the source analysis: it never says "ok" when it did not run.
    // The driver still has the binary diff, so it goes on, unless --strict.
    if (sa.failed && (r.o.check_only || r.o.strict))
        throw Error(fix.label,
                    "the source analysis failed for " + std::to_string(sa.failed) + " of " +
                        std::to_string(sa.units.size()) +
                        " translation unit(s) (see the warnings above); nothing was checked there",
                    "is fbsdlp-clang-scan installed (libexec/fbsd-livepatch), and does the unit "
                    "compile with its recorded command?");
    if (sa.failed)
        r.say(Progress::Kind::Warning,
              "the source analysis failed for " + std::to_string(sa.failed) +
                  " translation unit(s): this patch rests on the binary diff alone");
    t.done(std::to_string(sa.units.size()) + " translation unit(s) parsed, " +
           std::to_string(sa.touched.size()) + " definition(s) touched, " +
           std::to_string(sa.findings.size()) + " refusal(s)");
    if (!r.o.quiet)
        for (const auto &x : sa.touched)
            r.say(Progress::Kind::Text,
                  "  touched: " + x.kind + " " + x.name + " (" + x.file + ":" +
                      std::to_string(x.line) +
                      (x.tokens_changed ? "" : ", comments or white space only") + ")\n");
    for (const auto &f : sa.findings)
        r.say(Progress::Kind::Refused, f.file + ":" + std::to_string(f.line) + ": " + f.symbol +
                                           ": " + f.reason + "; " + f.hint);
    return sa;
}

// 4. Patched build of the affected translation units only.
PatchedBuild patched_build(Run &r, const Fix &fix, const SourceAnalysis &sa) {
    StageTimer t = r.stage(4, "patched build");
    PatchedBuild pb = build_patched(r.tree, fix.patch, sa.units, r.work, r.o.jobs);
    t.done(std::to_string(pb.objects.size()) + " translation unit(s) recompiled");
    for (const auto &n : sa.notes)
        if (!r.o.quiet)
            r.say(Progress::Kind::Note, n);
    return pb;
}

} // namespace fbsdlp::pipeline
