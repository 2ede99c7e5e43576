// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/kbuild/kernel_build.h"
#include "fbsdlp/kbuild/cache.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"
#include "fbsdlp/util/process.h"
#include "fbsdlp/util/sha256.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace fbsdlp::kbuild {

namespace {

std::string objdir_of(const TreeSpec &t, const std::string &prefix) {
    return prefix + t.srcdir + "/amd64.amd64/sys/" + t.kernconf;
}

} // namespace

void check_kernel_tree(const TreeSpec &t) {
    if (!fs::is_directory(t.srcdir))
        throw Error(t.srcdir, "no such directory", "give the kernel source tree with --srcdir");
    if (!fs::exists(t.srcdir + "/sys/conf/files") || !fs::exists(t.srcdir + "/Makefile"))
        throw Error(t.srcdir, "not a FreeBSD source tree (no sys/conf/files or Makefile)",
                    "give the top of the tree (/usr/src), not a subdirectory");
    if (!fs::exists(t.srcdir + "/sys/amd64/conf/" + t.kernconf))
        throw Error(t.srcdir,
                    "kernel configuration '" + t.kernconf + "' not found in sys/amd64/conf",
                    "give the KERNCONF the running kernel was built with (sysctl kern.ident)");
}

std::string tree_fingerprint(const std::string &srcdir) {
    std::vector<std::string> entries;
    for (auto it = fs::recursive_directory_iterator(srcdir,
                                                    fs::directory_options::skip_permission_denied);
         it != fs::recursive_directory_iterator(); ++it) {
        const auto &p = it->path();
        if (p.filename() == ".git" || p.filename().string().rfind("obj", 0) == 0) {
            if (it->is_directory())
                it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file())
            continue;
        auto mtime = fs::last_write_time(p).time_since_epoch().count();
        entries.push_back(fs::relative(p, srcdir).string() + " " + std::to_string(it->file_size()) +
                          " " + std::to_string(mtime));
    }
    std::sort(entries.begin(), entries.end());
    std::string all;
    for (const auto &e : entries)
        all += e + "\n";
    return sha256_hex(all);
}

std::vector<std::string> buildkernel_command(const TreeSpec &t, const std::string &objprefix,
                                             const std::string &cc_wrapper, int jobs) {
    std::vector<std::string> argv;
    std::string cc = t.cc;
#ifndef __FreeBSD__
    // A FreeBSD source tree on another host: its own bootstrap script builds
    // bmake and runs buildkernel with the host's LLVM as cross toolchain.
    if (fs::exists(t.srcdir + "/tools/build/make.py")) {
        ProcessResult which = run_process({"sh", "-c", "command -v " + t.cc});
        std::string bindir = fs::path(first_line(which.output)).parent_path().string();
        if (fs::is_symlink(first_line(which.output)))
            bindir = fs::canonical(first_line(which.output)).parent_path().string();
        argv = {"python3",
                t.srcdir + "/tools/build/make.py",
                "--cross-bindir=" + bindir,
                "-j" + std::to_string(jobs),
                "TARGET=amd64",
                "TARGET_ARCH=amd64",
                "-DWITHOUT_CLEAN",
                "KERNFAST=" + t.kernconf,
                "NO_MODULES=yes"};
        cc = "clang"; // make.py's XCC, under the wrapper
    }
#endif
    if (argv.empty())
        argv = {"make", "-C", t.srcdir, "-j" + std::to_string(jobs)};
    argv.insert(argv.end(),
                {"buildkernel", "KERNCONF=" + t.kernconf, "MAKEOBJDIRPREFIX=" + objprefix,
                 "CONF_CFLAGS=" + t.conf_cflags, "CC=" + cc_wrapper + " " + cc});
    argv.insert(argv.end(), t.make_vars.begin(), t.make_vars.end());
    return argv;
}

namespace {

size_t count_lines(const std::string &path) {
    std::ifstream in(path);
    return size_t(
        std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
}

// Runs make while a thread reports the compile log's growth.
ProcessResult watched_build(const std::vector<std::string> &argv,
                            const std::vector<std::string> &env, const std::string &log,
                            const std::string &commands, size_t expected, BuildWatcher *watch) {
    if (!watch)
        return run_process(argv, {}, env, log);
    std::atomic<bool> done{false};
    std::thread poll([&] {
        while (!done) {
            for (int i = 0; i < 5 && !done; i++)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (!done)
                watch->compiled(count_lines(commands), expected);
        }
    });
    ProcessResult r;
    try {
        r = run_process(argv, {}, env, log);
    } catch (...) {
        done = true;
        poll.join();
        throw;
    }
    done = true;
    poll.join();
    return r;
}

} // namespace

OriginalBuild build_original(const TreeSpec &t, const std::string &cache_dir,
                             const std::string &self, int jobs, BuildWatcher *watch) {
    ProcessResult ver = run_process({t.cc, "--version"});
    if (ver.status != 0)
        throw Error(t.cc, "the compiler does not run", "install it or set CC");
    std::string key = sha256_hex(tree_fingerprint(t.srcdir) + "\n" + t.srcdir + "\n" + t.kernconf +
                                 "\n" + first_line(ver.output) + "\n" + t.conf_cflags + "\n" +
                                 [&] {
                                     std::string v;
                                     // A make variable naming a file (a library
                                     // to link) changes the build when the file
                                     // does: hash its contents too.
                                     for (const auto &x : t.make_vars) {
                                         v += x + "\n";
                                         std::istringstream words(x.substr(x.find('=') + 1));
                                         for (std::string w; words >> w;)
                                             if (w[0] == '/' && fs::is_regular_file(w))
                                                 v += sha256_file(w) + "\n";
                                     }
                                     return v;
                                 }() +
                                 FBSDLP_VERSION);
    OriginalBuild ob;
    ob.dir = cache_dir + "/" + key.substr(0, 24);
    ob.objdir = objdir_of(t, ob.dir + "/obj");
    ob.commands = ob.dir + "/commands.jsonl";
    // One build per cache entry at a time: a second fbsd-patchgen waits and
    // then finds the entry complete.
    fs::create_directories(cache_dir);
    int lock = open((ob.dir + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock < 0)
        throw Error(cache_dir, "cannot create the cache lock", "check the permissions of --cache");
    struct Unlock {
        int fd;
        ~Unlock() { close(fd); }
    } unlock{lock};
    if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
        if (watch)
            watch->waiting(ob.dir + ".lock");
        flock(lock, LOCK_EX);
    }
    if (fs::exists(ob.dir + "/complete")) {
        ob.cached = true;
        touch_entry(ob.dir);
        return ob;
    }
    fs::remove_all(ob.dir);
    fs::create_directories(ob.dir + "/obj");
    std::string log = ob.dir + "/build.log";
    std::vector<std::string> argv =
        buildkernel_command(t, ob.dir + "/obj", self + " cc-log " + ob.commands, jobs);
    std::vector<std::string> env;
    if (argv[0] == "python3") // make.py needs the object prefix in its environment
        env.push_back("MAKEOBJDIRPREFIX=" + ob.dir + "/obj");
    if (watch)
        watch->building(log);
    // The units the last build of this configuration compiled: the scale
    // of the progress shown.
    std::string units = cache_dir + "/" + t.kernconf + ".units";
    size_t expected = 0;
    if (fs::exists(units))
        expected = size_t(std::strtoul(read_file(units).c_str(), nullptr, 10));
    ProcessResult r = watched_build(argv, env, log, ob.commands, expected, watch);
    if (r.status != 0)
        throw BuildError("original build",
                         "make buildkernel failed (exit " + std::to_string(r.status) + ")",
                         "see " + log);
    if (!fs::exists(ob.objdir + "/" + t.kernel_image))
        throw BuildError("original build", "no " + t.kernel_image + " in " + ob.objdir,
                         "see " + log);
    write_entry_info(ob.dir, t.srcdir, t.kernconf, first_line(ver.output));
    write_file_atomic(units, std::to_string(count_lines(ob.commands)) + "\n");
    write_file_atomic(ob.dir + "/complete", key + "\n");
    return ob;
}

std::map<std::string, CompileCommand> affected_units(const TreeSpec &t, const OriginalBuild &ob,
                                                     const srcpatch::SourcePatch &sp,
                                                     std::vector<std::string> *notes) {
    std::map<std::string, CompileCommand> by_output;
    for (auto &c : read_command_log(ob.commands))
        by_output[c.output] = c;
    std::map<std::string, CompileCommand> out;
    for (const srcpatch::FilePatch &fp : sp.files) {
        std::string abs = (fs::path(t.srcdir) / fp.path).lexically_normal().string();
        bool used = false;
        for (const auto &[obj, cmd] : by_output) {
            std::string dep = obj.substr(0, obj.size() - 2) + ".d";
            bool hit = cmd.source == abs;
            if (!hit && fs::exists(dep))
                for (const auto &d : parse_depfile(read_file(dep))) {
                    std::string full =
                        fs::path(d).is_absolute() ? d : (fs::path(cmd.cwd) / d).string();
                    if (fs::path(full).lexically_normal().string() == abs) {
                        hit = true;
                        break;
                    }
                }
            if (hit) {
                out[obj] = cmd;
                used = true;
            }
        }
        if (!used && notes)
            notes->push_back(fp.path + " is not part of the " + t.kernconf +
                             " kernel build; its change is ignored");
    }
    return out;
}

// Directories are real, files are symlinks to the tree: a compiler looking
// up "x.h" next to a file, or "../x.h", finds the shadow's copy.
static void shadow_tree(const std::string &src, const std::string &dst) {
    fs::create_directories(dst);
    for (const auto &e : fs::directory_iterator(src)) {
        fs::path to = fs::path(dst) / e.path().filename();
        if (e.is_directory() && !e.is_symlink()) {
            if (e.path().filename() == ".git")
                continue;
            shadow_tree(e.path().string(), to.string());
        } else {
            fs::create_symlink(e.path(), to);
        }
    }
}

PatchedBuild build_patched(const TreeSpec &t, const srcpatch::SourcePatch &sp,
                           const std::map<std::string, CompileCommand> &units,
                           const std::string &work_dir, int jobs) {
    PatchedBuild pb;
    std::string shadow = work_dir + "/src";
    std::string objdir = work_dir + "/obj";
    fs::create_directories(objdir);
    // Only sys/ is compiled from; the rest of the tree is linked whole.
    fs::create_directories(shadow);
    for (const auto &e : fs::directory_iterator(t.srcdir)) {
        fs::path to = fs::path(shadow) / e.path().filename();
        if (e.path().filename() == "sys")
            shadow_tree(e.path().string(), to.string());
        else
            fs::create_symlink(e.path(), to);
    }
    for (const srcpatch::FilePatch &fp : sp.files) {
        if (fp.creates || fp.deletes)
            throw Error(fp.path,
                        std::string("the fix ") + (fp.creates ? "adds" : "removes") + " a file",
                        "a live patch changes existing translation units only; put new code in an "
                        "existing file");
        std::string orig = read_file(t.srcdir + "/" + fp.path);
        std::string patched = srcpatch::apply_file_patch(orig, fp, true);
        fs::path target = fs::path(shadow) / fp.path;
        if (!fs::is_symlink(target))
            throw Error(fp.path, "is not inside the kernel's sys/ tree",
                        "live patches change kernel sources only");
        fs::remove(target);
        write_file_atomic(target.string(), patched);
    }

    // Rerun the recorded commands, in parallel; each writes only its own
    // object (and depfile) in the patched object directory.
    std::vector<std::pair<std::string, CompileCommand>> jobs_list(units.begin(), units.end());
    std::vector<std::string> errors(jobs_list.size());
    std::atomic<size_t> next{0};
    std::mutex mu;
    std::vector<std::thread> threads;
    auto worker = [&] {
        for (size_t i; (i = next++) < jobs_list.size();) {
            const auto &[obj, cmd] = jobs_list[i];
            std::vector<std::string> argv;
            std::string out = objdir + "/" + fs::path(obj).filename().string();
            bool has_o = std::find(cmd.argv.begin(), cmd.argv.end(), "-o") != cmd.argv.end();
            for (size_t k = 0; k < cmd.argv.size(); k++) {
                std::string a = cmd.argv[k];
                if (a == "-o" && k + 1 < cmd.argv.size()) {
                    argv.push_back("-o");
                    argv.push_back(out);
                    k++;
                    continue;
                }
                // Every path into the tree now points into the shadow.
                for (size_t at = 0; (at = a.find(t.srcdir + "/", at)) != std::string::npos;
                     at += shadow.size())
                    a.replace(at, t.srcdir.size(), shadow);
                argv.push_back(a);
                if (k == 0)
                    argv.push_back("-ffile-prefix-map=" + shadow + "=" + t.srcdir);
            }
            if (!has_o) {
                argv.push_back("-o");
                argv.push_back(out);
            }
            ProcessResult r = run_process(argv, cmd.cwd);
            std::lock_guard<std::mutex> lock(mu);
            if (r.status != 0)
                errors[i] = fs::path(obj).filename().string() + ": " + first_line(r.output);
            else
                pb.objects.emplace(obj, out);
        }
    };
    for (int k = 0; k < std::max(1, jobs); k++)
        threads.emplace_back(worker);
    for (auto &th : threads)
        th.join();
    for (const auto &e : errors)
        if (!e.empty())
            throw BuildError("patched build", "compile failed: " + e,
                             "does the fix compile? see --keep-tmp");
    return pb;
}

} // namespace fbsdlp::kbuild
