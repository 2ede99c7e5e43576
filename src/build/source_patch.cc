// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/build/source_patch.h"
#include "fbsdlp/util/error.h"

#include <cstdlib>
#include <sstream>

namespace fbsdlp::build {

namespace {

std::vector<std::string> split_lines(const std::string &text) {
    std::vector<std::string> out;
    std::string line;
    std::istringstream in(text);
    while (std::getline(in, line))
        out.push_back(line);
    return out;
}

std::string strip_prefix(std::string p) {
    if (auto tab = p.find('\t'); tab != std::string::npos)
        p.resize(tab); // "path<TAB>timestamp"
    while (!p.empty() && (p.back() == ' ' || p.back() == '\r'))
        p.pop_back();
    if (p.rfind("a/", 0) == 0 || p.rfind("b/", 0) == 0)
        p = p.substr(2);
    return p;
}

bool parse_range(const std::string &s, int &start, int &len) {
    char *end = nullptr;
    start = int(std::strtol(s.c_str(), &end, 10));
    len = 1;
    if (*end == ',')
        len = int(std::strtol(end + 1, &end, 10));
    return *end == 0 && start >= 0 && len >= 0;
}

// Tracks whether the start of the next line is a place where a
// preprocessor directive may go: not inside a block comment, a string or
// character literal, and not after a backslash continuation.
class LexState {
  public:
    bool safe() const { return !in_comment_ && !continued_; }
    void feed(const std::string &line) {
        bool in_str = false;
        char quote = 0;
        for (size_t i = 0; i < line.size(); i++) {
            char c = line[i];
            if (in_comment_) {
                if (c == '*' && i + 1 < line.size() && line[i + 1] == '/') {
                    in_comment_ = false;
                    i++;
                }
            } else if (in_str) {
                if (c == '\\')
                    i++;
                else if (c == quote)
                    in_str = false;
            } else if (c == '"' || c == '\'') {
                in_str = true;
                quote = c;
            } else if (c == '/' && i + 1 < line.size() && line[i + 1] == '*') {
                in_comment_ = true;
                i++;
            } else if (c == '/' && i + 1 < line.size() && line[i + 1] == '/') {
                break;
            }
        }
        continued_ = !line.empty() && line.back() == '\\';
    }

  private:
    bool in_comment_ = false, continued_ = false;
};

} // namespace

SourcePatch parse_unified_diff(const std::string &text, const std::string &name) {
    SourcePatch sp;
    auto lines = split_lines(text);
    FilePatch *cur = nullptr;
    for (size_t i = 0; i < lines.size(); i++) {
        const std::string &l = lines[i];
        std::string where = name + ":" + std::to_string(i + 1);
        if (l.rfind("--- ", 0) == 0 && i + 1 < lines.size() && lines[i + 1].rfind("+++ ", 0) == 0) {
            std::string from = strip_prefix(l.substr(4)), to = strip_prefix(lines[i + 1].substr(4));
            FilePatch fp;
            fp.creates = from == "/dev/null";
            fp.deletes = to == "/dev/null";
            fp.path = fp.deletes ? from : to;
            if (fp.path.empty() || fp.path[0] == '/' || fp.path.find("..") != std::string::npos)
                throw Error(
                    where, "file name '" + fp.path + "' is not a path inside the tree",
                    "make the diff from the tree root (git diff, or diff -u with a/ b/ prefixes)");
            sp.files.push_back(fp);
            cur = &sp.files.back();
            i++;
            continue;
        }
        if (l.rfind("@@ ", 0) == 0) {
            if (!cur)
                throw Error(where, "hunk before any file header");
            std::istringstream hs(l.substr(3));
            std::string o, n;
            hs >> o >> n;
            Hunk h;
            if (o.size() < 2 || n.size() < 2 || o[0] != '-' || n[0] != '+' ||
                !parse_range(o.substr(1), h.old_start, h.old_len) ||
                !parse_range(n.substr(1), h.new_start, h.new_len))
                throw Error(where, "malformed hunk header '" + l + "'");
            int olds = 0, news = 0;
            while (olds < h.old_len || news < h.new_len) {
                if (++i >= lines.size())
                    throw Error(name, "hunk at line " + std::to_string(h.old_start) + " of " +
                                          cur->path + " is truncated");
                const std::string &b = lines[i];
                if (!b.empty() && b[0] == '\\')
                    continue; // "\ No newline at end of file"
                char k = b.empty() ? ' ' : b[0];
                if (k != ' ' && k != '-' && k != '+')
                    throw Error(name + ":" + std::to_string(i + 1),
                                "unexpected line in hunk: '" + b + "'",
                                "the diff was edited by hand or mangled by a mailer");
                h.lines.push_back(b.empty() ? " " : b);
                olds += k != '+';
                news += k != '-';
            }
            if (olds != h.old_len || news != h.new_len)
                throw Error(name + ":" + std::to_string(i + 1),
                            "hunk line counts do not match its header");
            cur->hunks.push_back(std::move(h));
        }
    }
    if (sp.files.empty())
        throw Error(name, "no file changes found", "give a unified diff (diff -u, git diff)");
    for (const auto &f : sp.files)
        if (f.hunks.empty() && !f.deletes)
            throw Error(name, f.path + ": file header without hunks");
    return sp;
}

std::string apply_file_patch(const std::string &orig, const FilePatch &fp, bool line_directives) {
    auto src = split_lines(orig);
    std::vector<std::string> out;
    LexState lex;
    size_t pos = 0; // next original line (0-based) to copy
    bool pending = false;
    auto emit = [&](const std::string &line, size_t orig_line_no) {
        // orig_line_no: 1-based line number of this line in the original,
        // 0 for added lines.
        if (pending && orig_line_no && lex.safe()) {
            out.push_back("#line " + std::to_string(orig_line_no));
            pending = false;
        }
        out.push_back(line);
        lex.feed(line);
    };
    for (size_t hi = 0; hi < fp.hunks.size(); hi++) {
        const Hunk &h = fp.hunks[hi];
        std::vector<std::string> expect;
        for (const auto &l : h.lines)
            if (l[0] != '+')
                expect.push_back(l.substr(1));
        // Find where the hunk's old side matches, nearest to its stated line.
        long want = h.old_len == 0 ? h.old_start : h.old_start - 1;
        long found = -1;
        for (long delta = 0; delta <= 100 && found < 0; delta++)
            for (long cand : {want + delta, want - delta}) {
                if (cand < long(pos) || cand + long(expect.size()) > long(src.size()))
                    continue;
                bool ok = true;
                for (size_t k = 0; k < expect.size() && ok; k++)
                    ok = src[size_t(cand) + k] == expect[k];
                if (ok) {
                    found = cand;
                    break;
                }
            }
        if (found < 0)
            throw Error(fp.path,
                        "hunk " + std::to_string(hi + 1) + " (line " + std::to_string(h.old_start) +
                            ") does not apply: the tree differs from what the diff expects",
                        "is --srcdir the tree the fix was made against?");
        while (pos < size_t(found)) {
            emit(src[pos], pos + 1);
            pos++;
        }
        int removed = 0, added = 0;
        for (const auto &l : h.lines) {
            char k = l[0];
            if (k == ' ') {
                if (removed != added)
                    pending = line_directives;
                removed = added = 0;
                emit(src[pos], pos + 1);
                pos++;
            } else if (k == '-') {
                removed++;
                pos++;
            } else {
                added++;
                emit(l.substr(1), 0);
            }
        }
        if (removed != added)
            pending = line_directives;
    }
    while (pos < src.size()) {
        emit(src[pos], pos + 1);
        pos++;
    }
    std::string result;
    for (const auto &l : out)
        result += l + "\n";
    return result;
}

} // namespace fbsdlp::build
