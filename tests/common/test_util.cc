// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "test_util.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace fbsdlp::testutil {

namespace {

std::string g_workdir;
const char *g_keep_env;

void remove_workdir() {
    if (!g_workdir.empty() && std::getenv(g_keep_env) == nullptr)
        (void)std::system(("rm -rf '" + g_workdir + "'").c_str());
}

} // namespace

std::string process_workdir(const std::string &base, const std::string &prefix,
                            const char *keep_env) {
    if (g_workdir.empty()) {
        g_workdir = base + "/" + prefix + std::to_string(getpid());
        g_keep_env = keep_env;
        REQUIRE(mkdir(g_workdir.c_str(), 0755) == 0);
        std::atexit(remove_workdir);
    }
    return g_workdir;
}

std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void spit(const std::string &path, const std::string &data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << data;
    REQUIRE(out.good());
}

void must_run(const std::string &cmd, const std::string &log) {
    int rc = std::system((cmd + " >'" + log + "' 2>&1").c_str());
    if (rc != 0)
        FAIL("command failed (" << rc << "): " << cmd << "\n" << slurp(log));
}

} // namespace fbsdlp::testutil
