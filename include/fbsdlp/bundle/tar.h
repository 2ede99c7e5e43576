// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// A deliberately small POSIX ustar (IEEE Std 1003.1-1988) writer and a
// strict reader, for flat archives of regular files only: no directories,
// links, long names, pax or GNU extensions.  Any deviation is an error.
#pragma once

#include "fbsdlp/bundle/crypto.h"

#include <string>
#include <vector>

namespace fbsdlp::bundle::tar {

struct Member {
    std::string name;
    Bytes data;
};

struct Limits {
    size_t max_members = 8;
    size_t max_member_size = 64u << 20;
};

// Members in the given order, mode 0644, owner root:wheel, the given mtime,
// then the two zero blocks that end an archive.
Bytes write(const std::vector<Member> &members, uint64_t mtime);

// Parse an archive.  Rejects: a size that is not a multiple of 512, a bad
// header checksum, anything but "ustar\0" "00" regular files, names that are
// empty, longer than 99 bytes, contain '/', are "." or "..", or use
// characters outside [A-Za-z0-9._-], non-zero prefix/linkname fields,
// non-zero padding, duplicate names, a missing end marker, and anything but
// zero bytes after it.  Errors are fbsdlp::Error(where, ...).
std::vector<Member> read(const uint8_t *data, size_t len, const std::string &where,
                         const Limits &limits = {});

bool valid_name(const std::string &name);

} // namespace fbsdlp::bundle::tar
