// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// What the pipeline tells its caller while it runs.  The library never
// prints: it hands each line to a Progress, and the command line
// (patchgen/) decides how it looks ("fbsd-patchgen: warning: ...") and
// where it goes.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace fbsdlp::pipeline {

class Progress {
  public:
    enum class Kind {
        Status,  // a result line of its own: "the fix changes no function"
        Warning, // the patch may still be written
        Note,
        Refused, // one reason a patch is refused
        Error,   // an error that is reported, not thrown (--strict)
        Text,    // verbatim report text, no prefix
        Ongoing, // replaces the previous Ongoing line on a terminal; dropped elsewhere
    };
    virtual ~Progress() = default;
    // Stage n of kStages ended after seconds.
    virtual void stage(int n, const std::string &what, const std::string &detail,
                       double seconds) = 0;
    virtual void message(Kind kind, const std::string &text) = 0;
};

constexpr int kStages = 7;

// Times one stage: done() records its seconds in times[what] and, unless
// quiet, tells the Progress.
class StageTimer {
  public:
    StageTimer(Progress &p, bool quiet, int n, const char *what, nlohmann::json &times);
    void done(const std::string &detail);

  private:
    Progress &p_;
    bool quiet_;
    int n_;
    const char *what_;
    nlohmann::json &times_;
    std::chrono::steady_clock::time_point t0_;
};

} // namespace fbsdlp::pipeline
