// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/pipeline/progress.h"

namespace fbsdlp::pipeline {

StageTimer::StageTimer(Progress &p, bool quiet, int n, const char *what, nlohmann::json &times)
    : p_(p), quiet_(quiet), n_(n), what_(what), times_(times),
      t0_(std::chrono::steady_clock::now()) {}

void StageTimer::done(const std::string &detail) {
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    times_[what_] = s;
    if (!quiet_)
        p_.stage(n_, what_, detail, s);
}

} // namespace fbsdlp::pipeline
