// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "harness.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace fbsdlp::test {

std::string shell_quote(const std::string &s) {
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

CommandResult run(const std::string &cmd) {
    CommandResult r;
    FILE *p = popen((cmd + " 2>&1").c_str(), "r");
    if (!p)
        throw std::runtime_error("popen failed: " + cmd);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        r.output.append(buf, n);
    int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

std::string source_dir() { return FBSDLP_SOURCE_DIR; }
std::string patchgen() { return FBSDLP_PATCHGEN; }

// Per process: ctest runs tests in parallel, each test in its own process.
// Removed at exit unless FBSDLP_KEEP_WORK is set (to inspect a failure).
namespace {
struct WorkDirs {
    std::vector<fs::path> dirs;
    ~WorkDirs() {
        if (std::getenv("FBSDLP_KEEP_WORK"))
            return;
        std::error_code ec;
        for (const auto &d : dirs)
            fs::remove_all(d, ec);
    }
};
WorkDirs work_dirs;
} // namespace

std::string work_dir(const std::string &what) {
    fs::path d = fs::current_path() / "test-work" / (what + "." + std::to_string(getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    work_dirs.dirs.push_back(d);
    return d.string();
}

std::string read_text(const std::string &path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

static std::string cases_dir() { return source_dir() + "/tests/cases"; }

std::vector<std::string> list_cases() {
    std::vector<std::string> out;
    for (const auto &e : fs::directory_iterator(cases_dir()))
        if (e.is_directory() && fs::exists(e.path() / "expect"))
            out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

static std::vector<std::string> words(const std::string &s) {
    std::vector<std::string> w;
    std::istringstream in(s);
    std::string x;
    while (in >> x)
        w.push_back(x);
    return w;
}

// Lines "key: value", several lines per key allowed; a ".clang"/".gcc"
// suffix on the key replaces the plain key's lines for that compiler.
using Directives = std::map<std::string, std::vector<std::string>>;

static std::string trim(std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
}

static Directives directives(const std::string &name, const std::string &compiler) {
    Directives plain, specific;
    std::istringstream in(read_text(cases_dir() + "/" + name + "/expect"));
    std::string line;
    while (std::getline(in, line)) {
        if (auto h = line.find('#'); h != std::string::npos)
            line.resize(h);
        if (trim(line).empty())
            continue;
        auto colon = line.find(':');
        std::string key = trim(line.substr(0, colon));
        std::string value = colon == std::string::npos ? "" : trim(line.substr(colon + 1));
        auto dot = key.find('.');
        if (dot == std::string::npos)
            plain[key].push_back(value);
        else if (key.substr(dot + 1) == compiler)
            specific[key.substr(0, dot)].push_back(value);
    }
    for (auto &[k, v] : specific)
        plain[k] = v;
    return plain;
}

static std::set<std::string> word_set(const Directives &d, const char *key) {
    std::set<std::string> s;
    if (auto it = d.find(key); it != d.end())
        for (const auto &line : it->second)
            for (auto &w : words(line))
                s.insert(w);
    return s;
}

std::vector<std::string> case_compilers(const std::string &name) {
    auto d = directives(name, "");
    if (d.count("compilers")) {
        auto s = word_set(d, "compilers");
        return {s.begin(), s.end()};
    }
    return {"clang", "gcc"};
}

Expect load_expect(const std::string &name, const std::string &compiler) {
    Directives d = directives(name, compiler);
    Expect e;
    e.nochange = d.count("nochange") != 0;
    e.has_changed = d.count("changed") != 0;
    e.changed = word_set(d, "changed");
    e.added = word_set(d, "new");
    e.has_new_data = d.count("new_data") != 0;
    e.new_data = word_set(d, "new_data");
    e.local_reloc = word_set(d, "local_reloc");
    e.undef = word_set(d, "undef");
    e.sdt_masked = word_set(d, "sdt_masked");
    if (auto it = d.find("note"); it != d.end())
        e.notes.insert(it->second.begin(), it->second.end());
    if (auto it = d.find("first_change"); it != d.end())
        for (const auto &line : it->second) {
            auto a = line.find('|'), b = line.find('|', a + 1);
            if (a == std::string::npos || b == std::string::npos)
                throw std::runtime_error(name + "/expect: first_change needs f | orig | patched");
            e.first_change[trim(line.substr(0, a))] = {trim(line.substr(a + 1, b - a - 1)),
                                                       trim(line.substr(b + 1))};
        }
    for (const auto &w : word_set(d, "cflags"))
        e.cflags += (e.cflags.empty() ? "" : " ") + w;
    if (auto it = d.find("refuse"); it != d.end())
        e.refuse.insert(it->second.begin(), it->second.end());
    // "why: f text": the first word names the function, the rest is text.
    if (auto it = d.find("why"); it != d.end())
        for (const auto &line : it->second) {
            auto sp = line.find_first_of(" \t");
            if (sp != std::string::npos)
                e.why[line.substr(0, sp)].push_back(trim(line.substr(sp)));
        }
    if (auto it = d.find("inlines"); it != d.end())
        for (const auto &line : it->second) {
            auto w = words(line);
            if (!w.empty())
                e.inlines[w[0]].insert(w.begin() + 1, w.end());
        }
    return e;
}

CommandResult compile_kernel_c(const std::string &compiler, const std::string &src,
                               const std::string &dir, const std::string &name,
                               const std::string &extra) {
    std::string flags = read_text(cases_dir() + "/flags-" + compiler + ".txt");
    flags.erase(std::remove(flags.begin(), flags.end(), '\n'), flags.end());
    for (size_t at; (at = flags.find("@TESTS@")) != std::string::npos;)
        flags.replace(at, 7, source_dir() + "/tests");
    fs::create_directories(dir);
    fs::copy_file(src, dir + "/" + name + ".c", fs::copy_options::overwrite_existing);
    return run("cd " + shell_quote(dir) + " && " + compiler + " " + flags + " " + extra + " " +
               name + ".c -o " + name + ".o");
}

} // namespace fbsdlp::test
