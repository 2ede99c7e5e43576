// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Passphrases for signify secret keys.  Never from the command line, where
// every user of the machine could read them: from a file given with
// --passphrase-file (its first line; CI keeps it in a secret file), or typed
// on the controlling terminal with echo off.
#pragma once

#include "fbsdlp/bundle/signify.h"

#include <string>

namespace fbsdlp::cli {

// For reading a key: the file's first line when file is set, else a prompt
// on /dev/tty naming key_path.  Without a file and without a terminal the
// source is empty, and an encrypted key is refused with a hint.
bundle::signify::PassphraseSource passphrase_source(const std::string &file,
                                                    const std::string &key_path);

// For keygen: the file's first line, or asked twice on the terminal (they
// must match).  Throws fbsdlp::Error when neither is possible or it is empty.
std::string new_passphrase(const std::string &file);

} // namespace fbsdlp::cli
