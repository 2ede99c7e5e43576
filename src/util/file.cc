// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/util/file.h"
#include "fbsdlp/util/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fbsdlp {

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path, std::string("cannot open: ") + std::strerror(errno));
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        throw Error(path, "read error");
    return ss.str();
}

Bytes read_bytes(const std::string &path, size_t max) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(path, std::string("cannot open: ") + std::strerror(errno));
    Bytes out;
    uint8_t buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            ::close(fd);
            throw Error(path, std::string("read failed: ") + std::strerror(e));
        }
        if (n == 0)
            break;
        if (out.size() + size_t(n) > max) {
            ::close(fd);
            throw Error(path, "file is larger than " + std::to_string(max) + " bytes");
        }
        out.insert(out.end(), buf, buf + n);
    }
    ::close(fd);
    return out;
}

namespace {

bool write_all(int fd, const uint8_t *p, size_t left) {
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        left -= size_t(n);
    }
    return true;
}

// The rename (or link) is durable once the directory holding it is.
void sync_directory(const std::string &path) {
    size_t slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return; // a directory we may not open for reading: the file is written
    ::fsync(fd);
    ::close(fd);
}

} // namespace

void write_file_atomic(const std::string &path, const void *data, size_t len,
                       const WriteOptions &opts) {
    std::string tmp = path + ".tmp." + std::to_string(getpid());
    ::unlink(tmp.c_str()); // a leftover of an earlier run with our pid
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, opts.mode);
    if (fd < 0)
        throw Error(path, std::string("cannot create a temporary file: ") + std::strerror(errno));
    bool ok = write_all(fd, static_cast<const uint8_t *>(data), len);
    int err = errno;
    if (ok && ::fsync(fd) != 0) {
        ok = false;
        err = errno;
    }
    if (::close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        ::unlink(tmp.c_str());
        throw Error(path, std::string("write failed: ") + std::strerror(err));
    }
    if (opts.no_clobber) {
        if (::link(tmp.c_str(), path.c_str()) != 0) {
            err = errno;
            ::unlink(tmp.c_str());
            if (err == EEXIST)
                throw Error(path, "file exists; refusing to overwrite it",
                            "remove it first or choose another name");
            throw Error(path, std::string("cannot create: ") + std::strerror(err));
        }
        ::unlink(tmp.c_str());
    } else if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        err = errno;
        ::unlink(tmp.c_str());
        throw Error(path, std::string("cannot rename the finished file into place: ") +
                              std::strerror(err));
    }
    sync_directory(path);
}

} // namespace fbsdlp
