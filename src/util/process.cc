// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/util/process.h"
#include "fbsdlp/util/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace fbsdlp {

ProcessResult run_process(const std::vector<std::string> &argv, const std::string &cwd,
                          const std::vector<std::string> &env, const std::string &log_path) {
    if (argv.empty())
        throw Error("run", "empty command");
    int pipefd[2] = {-1, -1};
    int logfd = -1;
    if (log_path.empty()) {
        if (pipe(pipefd) != 0)
            throw Error("run", std::string("pipe: ") + std::strerror(errno));
    } else {
        logfd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (logfd < 0)
            throw Error(log_path, std::string("cannot open log: ") + std::strerror(errno));
    }
    std::vector<std::string> envs;
    for (char **e = environ; *e; e++)
        envs.emplace_back(*e);
    for (const auto &x : env) {
        std::string key = x.substr(0, x.find('=') + 1);
        std::erase_if(envs, [&](const std::string &y) { return y.rfind(key, 0) == 0; });
        envs.push_back(x);
    }
    std::vector<char *> cargv, cenv;
    for (const auto &a : argv)
        cargv.push_back(const_cast<char *>(a.c_str()));
    cargv.push_back(nullptr);
    for (const auto &a : envs)
        cenv.push_back(const_cast<char *>(a.c_str()));
    cenv.push_back(nullptr);

    pid_t pid = fork();
    if (pid < 0)
        throw Error("run", std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        int out = logfd >= 0 ? logfd : pipefd[1];
        dup2(out, 1);
        dup2(out, 2);
        if (pipefd[0] >= 0)
            close(pipefd[0]);
        if (!cwd.empty() && chdir(cwd.c_str()) != 0) {
            dprintf(2, "cannot enter %s: %s\n", cwd.c_str(), std::strerror(errno));
            _exit(127);
        }
        execvpe(cargv[0], cargv.data(), cenv.data());
        dprintf(2, "cannot run %s: %s\n", cargv[0], std::strerror(errno));
        _exit(127);
    }
    ProcessResult r;
    if (logfd >= 0) {
        close(logfd);
    } else {
        close(pipefd[1]);
        char buf[8192];
        ssize_t n;
        while ((n = read(pipefd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
            if (n > 0)
                r.output.append(buf, size_t(n));
        close(pipefd[0]);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return r;
}

std::string first_line(const std::string &s) { return s.substr(0, s.find('\n')); }

} // namespace fbsdlp
