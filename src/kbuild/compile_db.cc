// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/kbuild/compile_db.h"
#include "fbsdlp/util/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace fbsdlp::kbuild {

void append_command_log(const std::string &log, const std::string &cwd,
                        const std::vector<std::string> &argv) {
    std::string line = nlohmann::json{{"cwd", cwd}, {"argv", argv}}.dump() + "\n";
    int fd = open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(log, std::string("cannot open command log: ") + std::strerror(errno));
    flock(fd, LOCK_EX);
    ssize_t n = write(fd, line.data(), line.size());
    flock(fd, LOCK_UN);
    close(fd);
    if (n != ssize_t(line.size()))
        throw Error(log, "cannot write command log");
}

static bool is_c_source(const std::string &a) {
    return a.size() > 2 && (a.ends_with(".c") || a.ends_with(".S") || a.ends_with(".s"));
}

std::vector<CompileCommand> read_command_log(const std::string &log) {
    std::ifstream in(log);
    if (!in)
        throw Error(log, "cannot read the recorded compile commands");
    std::vector<CompileCommand> out;
    std::string line;
    size_t no = 0;
    while (std::getline(in, line)) {
        no++;
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(line);
        } catch (const std::exception &) {
            throw Error(log + ":" + std::to_string(no), "corrupt compile command record");
        }
        CompileCommand c;
        c.cwd = j.at("cwd").get<std::string>();
        c.argv = j.at("argv").get<std::vector<std::string>>();
        bool compile = false;
        for (size_t i = 1; i < c.argv.size(); i++) {
            const std::string &a = c.argv[i];
            if (a == "-c")
                compile = true;
            else if (a == "-o" && i + 1 < c.argv.size())
                c.output = c.argv[++i];
            else if (a == "-include" || a == "-I" || a == "-MF" || a == "-MT" || a == "-isystem")
                i++;
            else if (a[0] != '-' && is_c_source(a))
                c.source = a;
        }
        if (!compile || c.source.empty())
            continue;
        if (c.output.empty()) // "cc -c dir/foo.c" writes foo.o in cwd (FreeBSD's NORMAL_C)
            c.output = fs::path(c.source).stem().string() + ".o";
        auto absolute = [&](const std::string &p) {
            return fs::path(p).is_absolute() ? p
                                             : (fs::path(c.cwd) / p).lexically_normal().string();
        };
        c.source = absolute(c.source);
        c.output = absolute(c.output);
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<std::string> parse_depfile(const std::string &text) {
    std::vector<std::string> deps;
    size_t colon = text.find(": ");
    if (colon == std::string::npos)
        colon = text.find(":\n");
    if (colon == std::string::npos)
        return deps;
    std::string cur;
    for (size_t i = colon + 1; i < text.size(); i++) {
        char c = text[i];
        if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
            i++;
            continue;
        }
        if (c == '\\' && i + 1 < text.size() && text[i + 1] == ' ') {
            cur += ' ';
            i++;
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            if (!cur.empty())
                deps.push_back(cur);
            cur.clear();
            if (c == '\n' && i + 1 < text.size() && text.find(':', i) != std::string::npos &&
                text.find(':', i) < text.find('\n', i + 1))
                break; // next rule (phony targets of -MP)
            continue;
        }
        cur += c;
    }
    if (!cur.empty())
        deps.push_back(cur);
    return deps;
}

} // namespace fbsdlp::kbuild
