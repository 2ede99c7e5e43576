// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "passphrase.h"

#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <termios.h>
#include <unistd.h>

namespace fbsdlp::cli {

namespace {

std::string first_line_of(const std::string &file) {
    std::string text = read_file(file);
    size_t nl = text.find('\n');
    std::string line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    OPENSSL_cleanse(text.data(), text.size());
    if (line.empty())
        throw Error(file, "the passphrase file's first line is empty");
    return line;
}

// Ask on the controlling terminal with echo off; restore it even when the
// read fails.  Returns false when there is no terminal.
bool ask(const std::string &prompt, std::string &out) {
    int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct termios old {};
    bool restore = ::tcgetattr(fd, &old) == 0;
    if (restore) {
        struct termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        quiet.c_lflag |= ECHONL;
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    (void)!::write(fd, prompt.data(), prompt.size());
    out.clear();
    char c;
    for (;;) {
        ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || c == '\n')
            break;
        out.push_back(c);
    }
    if (restore)
        ::tcsetattr(fd, TCSAFLUSH, &old);
    ::close(fd);
    return true;
}

} // namespace

bundle::signify::PassphraseSource passphrase_source(const std::string &file,
                                                    const std::string &key_path) {
    if (!file.empty())
        return [file] { return first_line_of(file); };
    if (::isatty(STDIN_FILENO) == 0)
        return {};
    return [key_path]() -> std::string {
        std::string pw;
        if (!ask("passphrase for " + key_path + ": ", pw))
            throw Error(key_path,
                        "secret key is protected by a passphrase and there is no "
                        "terminal to ask it on",
                        "give it with --passphrase-file FILE");
        return pw;
    };
}

std::string new_passphrase(const std::string &file) {
    if (!file.empty())
        return first_line_of(file);
    std::string a, b;
    if (::isatty(STDIN_FILENO) == 0 || !ask("passphrase: ", a))
        throw Error("keygen", "no terminal to ask the passphrase on",
                    "give it with --passphrase-file FILE");
    ask("passphrase (again): ", b);
    bool same = a == b;
    OPENSSL_cleanse(b.data(), b.size());
    if (!same) {
        OPENSSL_cleanse(a.data(), a.size());
        throw Error("keygen", "the passphrases do not match");
    }
    if (a.empty())
        throw Error("keygen", "empty passphrase");
    return a;
}

} // namespace fbsdlp::cli
