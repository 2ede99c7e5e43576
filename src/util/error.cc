// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
#include "fbsdlp/util/error.h"

namespace fbsdlp {

static std::string compose(const std::string &where, const std::string &what,
                           const std::string &hint) {
    std::string s = where.empty() ? what : where + ": " + what;
    if (!hint.empty())
        s += "; " + hint;
    return s;
}

Error::Error(std::string where, std::string what, std::string hint)
    : std::runtime_error(compose(where, what, hint)), where_(std::move(where)),
      what_(std::move(what)), hint_(std::move(hint)) {}

} // namespace fbsdlp
