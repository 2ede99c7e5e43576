// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The original-build cache: one entry per (tree state, KERNCONF, compiler,
// flags), each a whole kernel object directory (gigabytes on a real tree).
// fbsd-patchgen cache list|prune reads and trims it; an entry in use (its
// lock held by a running fbsd-patchgen) is never removed.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

namespace fbsdlp::kbuild {

// $FBSD_PATCHGEN_CACHE, else ~/.cache/fbsd-patchgen, else
// /var/cache/fbsd-patchgen.
std::string default_cache_dir();

struct CacheEntry {
    std::string dir;
    std::string srcdir, kernconf, compiler; // from entry.json; empty if unknown
    uint64_t bytes = 0;
    std::time_t last_used = 0; // the last build or reuse
    bool complete = false;     // false: an interrupted or failed build
    bool busy = false;         // a running fbsd-patchgen holds it
};

// What a complete entry records about itself (written by the build).
void write_entry_info(const std::string &dir, const std::string &srcdir,
                      const std::string &kernconf, const std::string &compiler);
// Marks an entry used now (on every reuse).
void touch_entry(const std::string &dir);

std::vector<CacheEntry> list_cache(const std::string &cache_dir);
// Removes the entries not used for max_age seconds (and incomplete ones),
// except busy ones; returns what it removed.
std::vector<CacheEntry> prune_cache(const std::string &cache_dir, std::time_t max_age);

} // namespace fbsdlp::kbuild
