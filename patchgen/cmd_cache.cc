// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen cache list|prune [--cache DIR]: the original-build cache,
// which grows by a kernel object directory per tree state and KERNCONF.

#include "commands.h"
#include "options.h"

#include "fbsdlp/kbuild/cache.h"
#include "fbsdlp/util/error.h"

#include <cstdio>
#include <ctime>
#include <iostream>

namespace po = boost::program_options;

namespace fbsdlp::cli {

namespace {

std::string size_text(uint64_t b) {
    char buf[32];
    if (b >= (uint64_t(1) << 30))
        snprintf(buf, sizeof buf, "%.1f GB", double(b) / double(1ull << 30));
    else
        snprintf(buf, sizeof buf, "%.1f MB", double(b) / double(1ull << 20));
    return buf;
}

std::string when(std::time_t t) {
    struct tm tm {};
    char buf[32];
    if (!localtime_r(&t, &tm) || !std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm))
        return "?";
    return buf;
}

void print_entry(const kbuild::CacheEntry &e) {
    std::cout << e.dir << "\n  " << (e.srcdir.empty() ? std::string("(tree unknown)") : e.srcdir)
              << " " << (e.kernconf.empty() ? std::string("?") : e.kernconf) << ", "
              << size_text(e.bytes) << ", last used " << when(e.last_used)
              << (e.complete ? "" : ", incomplete") << (e.busy ? ", in use" : "") << "\n";
    if (!e.compiler.empty())
        std::cout << "  " << e.compiler << "\n";
}

} // namespace

int cmd_cache(const std::vector<std::string> &args) {
    po::options_description desc("usage: fbsd-patchgen cache list|prune [--cache DIR] "
                                 "[--older-than DAYS | --all]");
    std::string dir;
    unsigned days = 30;
    std::vector<std::string> op;
    desc.add_options()("help,h",
                       "describe the options")("cache", po::value(&dir),
                                               "the cache (default: $FBSD_PATCHGEN_CACHE or "
                                               "~/.cache/fbsd-patchgen)")(
        "older-than", po::value(&days),
        "prune: the entries not used for DAYS days (default 30), and incomplete ones")(
        "all", "prune: every entry not in use");
    po::variables_map vm;
    int st =
        parse(args, desc, "operation", &op, vm, "cache", "Exit status: 0 done, 1 usage or error.");
    if (st >= 0)
        return st;
    if (op.size() != 1 || (op[0] != "list" && op[0] != "prune")) {
        print_error("cache needs one of list or prune; run 'fbsd-patchgen cache --help'");
        return kUsage;
    }
    if (dir.empty())
        dir = kbuild::default_cache_dir();
    return guarded(kUsage, [&]() -> int {
        if (op[0] == "list") {
            auto entries = kbuild::list_cache(dir);
            uint64_t total = 0;
            for (const auto &e : entries) {
                print_entry(e);
                total += e.bytes;
            }
            std::cout << entries.size() << " entr" << (entries.size() == 1 ? "y" : "ies") << " in "
                      << dir << ", " << size_text(total) << "\n";
            return int(kOk);
        }
        std::time_t age = vm.count("all") ? 0 : std::time_t(days) * 86400;
        auto removed = kbuild::prune_cache(dir, age);
        uint64_t freed = 0;
        for (const auto &e : removed) {
            std::cout << "removed " << e.dir << "\n";
            freed += e.bytes;
        }
        std::cout << removed.size() << " entr" << (removed.size() == 1 ? "y" : "ies")
                  << " removed, " << size_text(freed) << " freed\n";
        return int(kOk);
    });
}

} // namespace fbsdlp::cli
