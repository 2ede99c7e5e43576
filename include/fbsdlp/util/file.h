// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Whole-file reads and the one atomic writer: a file the tools produce is
// written to a temporary name beside it, fsync'd, renamed into place, and
// its directory fsync'd, so neither an interrupted run nor a crash leaves a
// half-written file under the final name.
#pragma once

#include "fbsdlp/util/bytes.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace fbsdlp {

// Throws fbsdlp::Error naming the file.
std::string read_file(const std::string &path);
// At most max bytes, else an Error saying the file is too large.
Bytes read_bytes(const std::string &path, size_t max = size_t(128) << 20);

struct WriteOptions {
    mode_t mode = 0666; // before the umask, as open(2) applies it
    // Never replace an existing file: link(2) instead of rename(2), and an
    // Error "file exists" if path is there.
    bool no_clobber = false;
};

void write_file_atomic(const std::string &path, const void *data, size_t len,
                       const WriteOptions &opts = {});
inline void write_file_atomic(const std::string &path, std::string_view data,
                              const WriteOptions &opts = {}) {
    write_file_atomic(path, data.data(), data.size(), opts);
}
inline void write_file_atomic(const std::string &path, const Bytes &data,
                              const WriteOptions &opts = {}) {
    write_file_atomic(path, data.data(), data.size(), opts);
}
// The same for a string literal (not a Bytes or a bool).
inline void write_file_atomic(const std::string &path, const char *data,
                              const WriteOptions &opts = {}) {
    write_file_atomic(path, std::string_view(data), opts);
}

} // namespace fbsdlp
