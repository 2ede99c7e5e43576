// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/util/file.h"
#include "fbsdlp/util/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
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

void write_file_atomic(const std::string &path, const std::string &data) {
    std::string tmp = path + ".tmp." + std::to_string(getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw Error(path, "cannot create file");
        out.write(data.data(), std::streamsize(data.size()));
        out.close();
        if (!out) {
            std::remove(tmp.c_str());
            throw Error(path, "write failed");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw Error(path, "cannot rename the finished file into place");
    }
}

} // namespace fbsdlp
