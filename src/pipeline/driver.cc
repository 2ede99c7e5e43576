// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The driver is the pipeline's table of contents: preflight, original
// build, patched build, diff, link and finalize, output.  Each stage prints
// one line when it ends, with its time.  The user's tree is only ever read:
// the patched build works in a shadow tree, so an error or an interrupt at
// any point leaves the tree exactly as it was.

#include "fbsdlp/pipeline/driver.h"
#include "fbsdlp/bundle/bundle.h"
#include "fbsdlp/bundle/signify.h"
#include "fbsdlp/diff/report.h"
#include "fbsdlp/elf/object.h"
#include "fbsdlp/kbuild/kernel_build.h"
#include "fbsdlp/module/kernel_image.h"
#include "fbsdlp/module/link.h"
#include "fbsdlp/source/source.h"
#include "fbsdlp/srcpatch/source_patch.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"
#include "fbsdlp/util/sha256.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <sys/statvfs.h>
#include <thread>

namespace fs = std::filesystem;

using namespace fbsdlp::kbuild;
using namespace fbsdlp::srcpatch;

namespace fbsdlp::pipeline {

namespace {

std::atomic<bool> interrupted{false};

struct Interrupted {};

void check_interrupt() {
    if (interrupted)
        throw Interrupted{};
}

class Stage {
  public:
    Stage(std::ostream &os, bool quiet, int n, const char *what, nlohmann::json &times)
        : os_(os), quiet_(quiet), n_(n), what_(what), times_(times),
          t0_(std::chrono::steady_clock::now()) {}
    void done(const std::string &detail) {
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
        times_[what_] = s;
        if (!quiet_) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.2f s", s);
            os_ << "fbsd-patchgen: [" << n_ << "/7] " << what_ << ": " << detail << " (" << buf
                << ")\n";
            os_.flush();
        }
    }

  private:
    std::ostream &os_;
    bool quiet_;
    int n_;
    const char *what_;
    nlohmann::json &times_;
    std::chrono::steady_clock::time_point t0_;
};

std::string default_name(const std::string &diff_path) {
    std::string n = fs::path(diff_path).stem().string();
    for (char &c : n)
        if (!std::isalnum(static_cast<unsigned char>(c)))
            c = '_';
    return n.empty() ? "livepatch" : n;
}

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

std::string first_nonempty_line(const std::string &s) {
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            return line;
    return {};
}

std::string default_cache() {
    if (const char *x = std::getenv("FBSD_PATCHGEN_CACHE"))
        return x;
    if (const char *h = std::getenv("HOME"))
        return std::string(h) + "/.cache/fbsd-patchgen";
    return "/var/cache/fbsd-patchgen";
}

struct UnitAnalysis {
    source::UnitScan orig, patched;
    std::vector<source::Touched> touched;
};

struct SourceAnalysis {
    std::map<std::string, UnitAnalysis> units; // by original object
    std::vector<source::Touched> touched;      // over all units, each definition once
    std::vector<source::Finding> findings;
    std::vector<std::string> warnings;
};

// Parses every affected unit twice (original, patched) with its recorded
// command, in parallel; the patched text comes from copies in the work
// directory, never from the tree.
SourceAnalysis analyse_sources(const DriverOptions &o, const TreeSpec &tree, const SourcePatch &sp,
                               const std::map<std::string, CompileCommand> &units,
                               const std::string &work) {
    SourceAnalysis sa;
    std::string dir = work + "/source";
    fs::create_directories(dir);
    std::vector<std::string> files;
    std::map<std::string, std::string> patched;
    std::vector<const FilePatch *> fps;
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
    std::string scanner = source::find_scanner(o.self);
    std::vector<std::pair<std::string, CompileCommand>> list(units.begin(), units.end());
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
    auto scans = source::scan_units(scanner, jobs, std::max(1, o.jobs), dir);
    std::vector<UnitAnalysis> res(list.size());
    for (size_t i = 0; i < list.size(); i++) {
        res[i].orig = std::move(scans[i].first);
        res[i].patched = std::move(scans[i].second);
    }
    std::set<std::string> seen_t, seen_f;
    for (size_t i = 0; i < list.size(); i++) {
        UnitAnalysis &ua = res[i];
        std::string obj = fs::path(list[i].first).filename().string();
        for (const auto *u : {&ua.orig, &ua.patched})
            for (const auto &e : u->errors)
                sa.warnings.push_back(obj + ": source analysis " +
                                      (u->ok ? "incomplete: " : "failed: ") + e);
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
        sa.units[list[i].first] = std::move(ua);
    }
    std::sort(sa.warnings.begin(), sa.warnings.end());
    sa.warnings.erase(std::unique(sa.warnings.begin(), sa.warnings.end()), sa.warnings.end());
    return sa;
}

} // namespace

void request_interrupt() { interrupted = true; }

DriverOutcome run_driver(const DriverOptions &o, std::ostream &out) {
    DriverOutcome res;
    TreeSpec tree{fs::absolute(o.srcdir).lexically_normal().string(),
                  o.kernconf,
                  o.cc,
                  "-ffunction-sections -fdata-sections",
                  o.make_vars,
                  o.kernel_image};
    while (tree.srcdir.size() > 1 && tree.srcdir.back() == '/')
        tree.srcdir.pop_back();
    std::string name = o.name.empty() ? default_name(o.diff_path) : o.name;
    std::string cache = o.cache_dir.empty() ? default_cache() : o.cache_dir;
    fs::create_directories(o.output_dir);
    fs::create_directories(cache);
    std::string work = o.workdir;
    bool temp_work = work.empty();
    if (temp_work) {
        std::string tmpl = (fs::temp_directory_path() / "fbsd-patchgen.XXXXXX").string();
        if (!mkdtemp(tmpl.data()))
            throw Error("work directory", "cannot create a temporary directory");
        work = tmpl;
    } else {
        fs::remove_all(work);
        fs::create_directories(work);
    }
    struct Cleanup {
        std::string dir;
        bool keep;
        ~Cleanup() {
            std::error_code ec;
            if (!keep)
                fs::remove_all(dir, ec);
        }
    } cleanup{work, o.keep_tmp || !temp_work};

    nlohmann::json stage_seconds = nlohmann::json::object();
    try {
        // 1. Preflight: a kernel tree, the KERNCONF, a diff that applies,
        //    a compiler, room for the build.
        Stage s1(out, o.quiet, 1, "preflight", stage_seconds);
        std::string diff_text = read_file(o.diff_path);
        SourcePatch sp = parse_unified_diff(diff_text, o.diff_path);
        check_kernel_tree(tree);
        for (const FilePatch &fp : sp.files) {
            std::string path = tree.srcdir + "/" + fp.path;
            if (!fs::exists(path))
                throw Error(o.diff_path, fp.path + " does not exist in " + tree.srcdir,
                            "is --srcdir the tree the fix was made against?");
            apply_file_patch(read_file(path), fp, true);
        }
        struct statvfs sv;
        if (statvfs(cache.c_str(), &sv) == 0 &&
            uint64_t(sv.f_bavail) * sv.f_frsize < (256ull << 20))
            throw Error(cache, "less than 256 MB free for the original build",
                        "free space or use --cache");
        s1.done(std::to_string(sp.files.size()) + " file(s) in the fix, tree " + tree.srcdir +
                ", KERNCONF " + tree.kernconf);
        check_interrupt();

        // 2. Original build, cached.
        Stage s2(out, o.quiet, 2, "original build", stage_seconds);
        OriginalBuild ob = build_original(tree, cache, o.self, o.jobs);
        module::KernelImage kernel = module::KernelImage::load(ob.objdir + "/" + tree.kernel_image);
        if (!o.kernel_file.empty()) {
            // The patch is for the running kernel: our original build must
            // be that kernel, bit for bit, or every old-bytes check fails.
            module::KernelImage target = module::KernelImage::load(o.kernel_file);
            if (first_nonempty_line(target.comment) != first_nonempty_line(kernel.comment))
                throw Error(o.kernel_file,
                            "the target kernel was built by '" +
                                first_nonempty_line(target.comment) + "', the original build by '" +
                                first_nonempty_line(kernel.comment) + "'",
                            "build with the compiler that built the running kernel (--cc)");
            if (target.build_id != kernel.build_id)
                throw Error(
                    o.kernel_file,
                    "build-id " + target.build_id + " differs from the original build's " +
                        kernel.build_id,
                    "use the exact source tree and KERNCONF of the running kernel (a reproducible "
                    "build gives the same build-id)");
        }
        s2.done(std::string(ob.cached ? "cached" : "built") + ", build-id " + kernel.build_id +
                (o.kernel_file.empty() ? "" : " (matches " + o.kernel_file + ")"));
        check_interrupt();

        // 3. Source analysis: each affected translation unit parsed with its
        //    recorded command, original and patched; touched definitions;
        //    changes no live patch can carry, refused before any compile.
        Stage s3(out, o.quiet, 3, "source analysis", stage_seconds);
        std::vector<std::string> notes;
        auto units = affected_units(tree, ob, sp, &notes);
        if (units.empty())
            throw Error(o.diff_path, "the fix touches no file of the " + tree.kernconf + " kernel",
                        "check the paths in the diff");
        SourceAnalysis sa = analyse_sources(o, tree, sp, units, work);
        for (const auto &w : sa.warnings)
            out << "fbsd-patchgen: warning: " << w << "\n";
        s3.done(std::to_string(units.size()) + " translation unit(s) parsed, " +
                std::to_string(sa.touched.size()) + " definition(s) touched, " +
                std::to_string(sa.findings.size()) + " refusal(s)");
        if (!o.quiet)
            for (const auto &t : sa.touched)
                out << "  touched: " << t.kind << " " << t.name << " (" << t.file << ":" << t.line
                    << (t.tokens_changed ? "" : ", comments or white space only") << ")\n";
        for (const auto &f : sa.findings)
            out << "fbsd-patchgen: refused: " << f.file << ":" << f.line << ": " << f.symbol << ": "
                << f.reason << "; " << f.hint << "\n";
        if (o.check_only || !sa.findings.empty()) {
            nlohmann::json report{{"name", name},
                                  {"kernconf", tree.kernconf},
                                  {"diff_sha256", sha256_hex(diff_text)},
                                  {"touched", source::to_json(sa.touched)},
                                  {"preflight", source::to_json(sa.findings)},
                                  {"source_warnings", sa.warnings},
                                  {"objects", nlohmann::json::array()},
                                  {"stage_seconds", stage_seconds}};
            report["result"] = sa.findings.empty() ? "ok" : "refused";
            res.report_path = o.output_dir + "/" + name + ".json";
            write_file_atomic(res.report_path, report.dump(2) + "\n");
            if (!sa.findings.empty())
                out << "fbsd-patchgen: refused at source level: " << sa.findings.size()
                    << " unsafe change(s); nothing built (report: " << res.report_path << ")\n";
            else if (!o.quiet)
                out << "fbsd-patchgen: check: nothing in the fix a live patch cannot carry\n";
            res.exit_code = sa.findings.empty() ? 0 : 2;
            return res;
        }
        check_interrupt();

        // 4. Patched build of the affected translation units only.
        Stage s4b(out, o.quiet, 4, "patched build", stage_seconds);
        PatchedBuild pb = build_patched(tree, sp, units, work, o.jobs);
        s4b.done(std::to_string(pb.objects.size()) + " translation unit(s) recompiled");
        for (const auto &n : notes)
            if (!o.quiet)
                out << "fbsd-patchgen: note: " << n << "\n";
        check_interrupt();

        // 5. Diff every recompiled object, in parallel.
        Stage s4(out, o.quiet, 5, "diff", stage_seconds);
        std::vector<std::pair<std::string, std::string>> pairs(pb.objects.begin(),
                                                               pb.objects.end());
        std::vector<diff::Result> results(pairs.size());
        std::vector<std::string> errors(pairs.size());
        std::atomic<size_t> next{0};
        std::vector<std::thread> threads;
        for (int k = 0; k < std::max(1, o.jobs); k++)
            threads.emplace_back([&] {
                for (size_t i; (i = next++) < pairs.size();) {
                    try {
                        elf::ObjectFile a = elf::ObjectFile::load(pairs[i].first);
                        elf::ObjectFile b = elf::ObjectFile::load(pairs[i].second);
                        diff::Options dopts;
                        dopts.profile = o.profile;
                        dopts.show_first_changed = true;
                        results[i] = diff::diff_objects(a, b, dopts);
                    } catch (const Error &e) {
                        errors[i] = e.what();
                    }
                }
            });
        for (auto &t : threads)
            t.join();
        for (const auto &e : errors)
            if (!e.empty())
                throw Error("diff", e);
        size_t nchanged = 0, nnew = 0, nobj = 0;
        bool refused = false;
        for (const auto &r : results) {
            nchanged += r.changed_functions.size();
            nnew += r.new_functions.size();
            nobj += !r.no_change();
            refused |= r.refused();
        }
        s4.done(std::to_string(nobj) + " object(s) changed: " + std::to_string(nchanged) +
                " changed, " + std::to_string(nnew) + " new function(s)");
        res.results = results;
        if (!o.quiet)
            for (const auto &r : results)
                if (!r.no_change())
                    out << diff::report_text(r);
        // Once per run, not once per object: a kernel built without -g
        // lacks DWARF in every object.
        for (const auto &r : results)
            if (!o.quiet && !r.layout_checked && !r.layout_skipped.empty()) {
                out << "fbsd-patchgen: warning: " << r.object << ": " << r.layout_skipped
                    << "; type-layout checks skipped (and for any other object without DWARF)\n";
                break;
            }

        // Reconciliation: every binary change explained by the source.
        std::vector<source::ObjectReconciliation> recs;
        size_t unexplained = 0;
        for (size_t i = 0; i < results.size(); i++) {
            auto ua = sa.units.find(pairs[i].first);
            // A unit the parser could not read was warned about; calling
            // all its changes unexplained would only repeat that.
            if (ua == sa.units.end() || !ua->second.patched.ok || !ua->second.orig.ok)
                continue;
            source::BinaryObject bin;
            bin.object = results[i].object;
            for (const auto *fl : {&results[i].changed_functions, &results[i].new_functions})
                for (const auto &f : *fl) {
                    bin.changed.push_back(f.name);
                    if (!f.inlines.empty())
                        bin.inlines[f.name] = f.inlines;
                }
            try {
                elf::ObjectFile pobj = elf::ObjectFile::load(pairs[i].second);
                for (const auto &sym : pobj.symbols())
                    if (sym.is_func() && sym.defined())
                        bin.out_of_line.insert(std::string(sym.name));
            } catch (const Error &e) {
                throw Error("reconciliation", e.what());
            }
            auto rec = source::reconcile(bin, ua->second.touched, ua->second.patched);
            for (const auto &e : rec.changed)
                unexplained += e.cls == "unexplained";
            if (!rec.changed.empty() || !rec.touched.empty())
                recs.push_back(std::move(rec));
        }
        if (!o.quiet)
            out << source::report_text(recs);
        for (const auto &r : recs)
            for (const auto &e : r.changed)
                if (e.cls == "unexplained")
                    out << "fbsd-patchgen: " << (o.strict ? "error" : "warning") << ": " << r.object
                        << ": " << e.function
                        << " changed in the binary but the fix does not explain it; the original "
                           "and patched builds may differ in flags, compiler or environment, and "
                           "such a patch must not ship\n";

        nlohmann::json report = diff::report_json(results);
        report["touched"] = source::to_json(sa.touched);
        report["preflight"] = source::to_json(sa.findings);
        report["source_warnings"] = sa.warnings;
        report["reconciliation"] = source::to_json(recs);
        report["name"] = name;
        report["kernconf"] = tree.kernconf;
        report["target_build_id"] = kernel.build_id;
        report["diff_sha256"] = sha256_hex(diff_text);
        report["original_build"] = ob.cached ? "cached" : "built";
        report["recompiled"] = nlohmann::json::array();
        for (const auto &[orig_obj, patched_obj] : pb.objects)
            report["recompiled"].push_back(fs::path(orig_obj).filename().string());
        report["stage_seconds"] = stage_seconds;
        res.report_path = o.output_dir + "/" + name + ".json";
        auto finish_report = [&](const char *result) {
            report["result"] = result;
            report["stage_seconds"] = stage_seconds;
            write_file_atomic(res.report_path, report.dump(2) + "\n");
        };
        if (refused) {
            finish_report("refused");
            size_t n = 0;
            for (const auto &r : results)
                n += r.refusals.size();
            out << "fbsd-patchgen: refused: " << n
                << " unsafe change(s); no module written (report: " << res.report_path << ")\n";
            res.exit_code = 2;
            return res;
        }
        if (unexplained && o.strict) {
            finish_report("refused");
            out << "fbsd-patchgen: refused: " << unexplained
                << " unexplained binary change(s) with --strict; no module written (report: "
                << res.report_path << ")\n";
            res.exit_code = 2;
            return res;
        }
        if (nobj == 0) {
            finish_report("no change");
            out << "fbsd-patchgen: the fix changes no function of the kernel\n";
            res.exit_code = 3;
            return res;
        }
        check_interrupt();

        // 6. Link the diff objects and the patch information; validate the
        //    module against kernel.full.
        Stage s5(out, o.quiet, 6, "link and finalize", stage_seconds);
        std::vector<std::string> objs;
        for (size_t i = 0; i < results.size(); i++) {
            if (results[i].no_change())
                continue;
            std::string p = work + "/" + fs::path(pairs[i].first).stem().string() + ".diff.o";
            write_file_atomic(p, results[i].output);
            objs.push_back(p);
        }
        module::PatchInfo info{name, kernel.build_id, freebsd_version(tree.srcdir), 0,
                               sha256_hex(diff_text)};
        auto info_bytes = module::info_object(info);
        std::string info_path = work + "/fbsdlp_info.o";
        write_file_atomic(info_path, info_bytes);
        objs.insert(objs.begin(), info_path);
        std::string module_tmp = work + "/" + name + ".ko";
        module::link_module(objs, module_tmp);
        auto problems = module::validate_module(module_tmp, kernel, results, o.profile);
        if (!problems.empty()) {
            for (const auto &p : problems)
                out << "fbsd-patchgen: refused: " << p << "\n";
            report["validation"] = problems;
            finish_report("refused");
            res.exit_code = 2;
            return res;
        }
        res.module_path = o.output_dir + "/" + name + ".ko";
        fs::copy_file(module_tmp, res.module_path + ".tmp", fs::copy_options::overwrite_existing);
        fs::rename(res.module_path + ".tmp", res.module_path);
        s5.done(res.module_path + " (" + std::to_string(fs::file_size(res.module_path)) +
                " bytes)");

        // 7. Report and bundle: module, manifest, checksums, signature.
        Stage s6(out, o.quiet, 7, "output", stage_seconds);
        finish_report("patch");
        bundle::CreateInput in;
        bundle::Manifest &m = in.manifest;
        m.name = name;
        m.build_id = kernel.build_id;
        m.freebsd_version = info.freebsd_version;
        m.kernconf = tree.kernconf;
        for (const auto &r : results)
            for (const auto &f : r.changed_functions)
                m.functions.push_back({f.name, r.object});
        m.diff_sha256 = sha256_hex(diff_text);
        m.tool_version = FBSDLP_VERSION;
        m.created = uint64_t(std::time(nullptr));
        if (const char *sde = std::getenv("SOURCE_DATE_EPOCH"))
            m.created = std::strtoull(sde, nullptr, 10);
        if (!o.advisory.empty())
            m.advisory = o.advisory;
        if (!o.description.empty())
            m.description = o.description;
        std::string ko_bytes = read_file(res.module_path), rep_bytes = read_file(res.report_path);
        in.module.assign(ko_bytes.begin(), ko_bytes.end());
        in.report = bundle::Bytes(rep_bytes.begin(), rep_bytes.end());
        std::optional<bundle::signify::SecretKey> key;
        if (!o.sign_key.empty())
            key = bundle::signify::parse_secret_key(read_file(o.sign_key), o.sign_key,
                                                    o.sign_key_passphrase);
        bundle::Bytes b = bundle::create(in, key ? &*key : nullptr,
                                         key ? "verify with the public key of key id " +
                                                   bundle::signify::key_id(key->keynum)
                                             : std::string());
        res.bundle_path = o.output_dir + "/" + name + ".lpbundle";
        write_file_atomic(res.bundle_path, b);
        s6.done(res.report_path + ", " + res.bundle_path +
                (key ? " (signed)" : " (unsigned: no --sign-key)"));
        if (!o.quiet) {
            out << "\n  object                 changed  new\n";
            for (const auto &r : results)
                if (!r.no_change()) {
                    char line[128];
                    snprintf(line, sizeof line, "  %-22s %7zu %4zu\n", r.object.c_str(),
                             r.changed_functions.size(), r.new_functions.size());
                    out << line;
                }
        }
        res.exit_code = 0;
        return res;
    } catch (const BuildError &) {
        if (!interrupted)
            throw;
        out << "fbsd-patchgen: interrupted; the source tree was not modified\n";
        res.exit_code = 130;
        return res;
    } catch (const Interrupted &) {
        out << "fbsd-patchgen: interrupted; the source tree was not modified\n";
        res.exit_code = 130;
        return res;
    }
}

} // namespace fbsdlp::pipeline
