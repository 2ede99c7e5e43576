// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Errors inside the library are exceptions carrying full context; the CLI
// turns one into a single line "fbsd-patchgen: error: <where>: <what>; <hint>".
#pragma once

#include <stdexcept>
#include <string>

namespace fbsdlp {

class Error : public std::runtime_error {
  public:
    Error(std::string where, std::string what, std::string hint = {});

    const std::string &where() const { return where_; }
    const std::string &what_text() const { return what_; }
    const std::string &hint() const { return hint_; }

  private:
    std::string where_, what_, hint_;
};

// A kernel build (original or patched) failed: exit code 4.
class BuildError : public Error {
  public:
    using Error::Error;
};

} // namespace fbsdlp
