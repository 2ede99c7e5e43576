// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/kbuild/cache.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace fbsdlp::kbuild {

namespace {

uint64_t tree_bytes(const fs::path &dir) {
    uint64_t n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        struct stat st;
        if (lstat(it->path().c_str(), &st) == 0 && S_ISREG(st.st_mode))
            n += uint64_t(st.st_blocks) * 512;
    }
    return n;
}

std::time_t mtime(const std::string &p) {
    struct stat st;
    return stat(p.c_str(), &st) == 0 ? st.st_mtime : 0;
}

// The entry's lock taken without waiting: -1 when a build holds it.
int try_lock(const std::string &dir) {
    int fd = open((dir + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

CacheEntry read_entry(const fs::path &dir) {
    CacheEntry e;
    e.dir = dir.string();
    e.complete = fs::exists(dir / "complete");
    e.last_used = std::max(mtime((dir / "complete").string()), mtime(dir.string()));
    e.bytes = tree_bytes(dir);
    try {
        auto j = nlohmann::json::parse(read_file((dir / "entry.json").string()));
        e.srcdir = j.value("srcdir", "");
        e.kernconf = j.value("kernconf", "");
        e.compiler = j.value("compiler", "");
    } catch (const std::exception &) {
        // An entry from an older fbsd-patchgen, or one being written.
    }
    int fd = try_lock(e.dir);
    e.busy = fd < 0;
    if (fd >= 0)
        close(fd);
    return e;
}

} // namespace

std::string default_cache_dir() {
    if (const char *x = std::getenv("FBSD_PATCHGEN_CACHE"))
        return x;
    if (const char *h = std::getenv("HOME"))
        return std::string(h) + "/.cache/fbsd-patchgen";
    return "/var/cache/fbsd-patchgen";
}

void write_entry_info(const std::string &dir, const std::string &srcdir,
                      const std::string &kernconf, const std::string &compiler) {
    nlohmann::json j{{"srcdir", srcdir}, {"kernconf", kernconf}, {"compiler", compiler}};
    write_file_atomic(dir + "/entry.json", j.dump(2) + "\n");
}

void touch_entry(const std::string &dir) {
    // utimes(2) with NULL: now.  A read-only cache is still usable.
    (void)utimes((dir + "/complete").c_str(), nullptr);
}

std::vector<CacheEntry> list_cache(const std::string &cache_dir) {
    std::vector<CacheEntry> out;
    std::error_code ec;
    if (!fs::is_directory(cache_dir, ec))
        return out;
    for (const auto &d : fs::directory_iterator(cache_dir, ec))
        if (d.is_directory() && d.path().filename().string().size() == 24)
            out.push_back(read_entry(d.path()));
    std::sort(out.begin(), out.end(),
              [](const CacheEntry &a, const CacheEntry &b) { return a.last_used > b.last_used; });
    return out;
}

std::vector<CacheEntry> prune_cache(const std::string &cache_dir, std::time_t max_age) {
    std::vector<CacheEntry> removed;
    std::time_t now = std::time(nullptr);
    for (const CacheEntry &e : list_cache(cache_dir)) {
        if (e.complete && now - e.last_used < max_age)
            continue;
        int fd = try_lock(e.dir);
        if (fd < 0)
            continue; // in use: a build is running or reusing it
        std::error_code ec;
        fs::remove_all(e.dir, ec);
        if (ec) {
            close(fd);
            throw Error(e.dir, "cannot remove the cache entry: " + ec.message());
        }
        fs::remove(e.dir + ".lock", ec);
        close(fd);
        removed.push_back(e);
    }
    return removed;
}

} // namespace fbsdlp::kbuild
