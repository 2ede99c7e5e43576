// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/srcpatch/source_patch.h"
#include "fbsdlp/util/error.h"

#include <cstdlib>
#include <sstream>

namespace fbsdlp::srcpatch {

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

// A C lexer reduced to what placing a directive needs, fed one physical
// line at a time: block comments, // comments, string and character
// literals with escapes, backslash-newline continuations, and preprocessor
// directives (which span their continuation lines, and comments inside
// them).  A "#line" may start a physical line only where a new logical line
// of ordinary code begins.
class LexState {
  public:
    // What one line holds, judged from the state at its start.
    struct LineInfo {
        // Where the line may be split so that a directive goes before the
        // rest: just after a comment or a continued string literal ends,
        // when code follows.  -1: nowhere.
        long split = -1;
        // The line starts inside a continued construct, and code on it
        // (tokens whose line number counts) comes before any split point.
        bool code_before_split = false;
    };

    bool safe() const { return !comment_ && !pp_cont_ && !quote_ && !line_comment_cont_ && !cont_; }

    LineInfo preview(const std::string &line) const {
        LexState copy = *this;
        return copy.feed(line);
    }

    LineInfo feed(std::string line) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        LineInfo info;
        bool unsafe_start = !safe();
        bool in_pp = pp_cont_;
        bool line_comment = line_comment_cont_;
        size_t i = 0;
        if (!unsafe_start) {
            size_t f = line.find_first_not_of(" \t\f\v");
            in_pp = f != std::string::npos && line[f] == '#';
        }
        // Past a construct that began on an earlier line: from here on a
        // split is possible (if not inside a directive).
        long boundary = -1;
        for (; i < line.size() && !line_comment; i++) {
            char c = line[i];
            char n = i + 1 < line.size() ? line[i + 1] : 0;
            if (comment_) {
                if (c == '*' && n == '/') {
                    comment_ = false;
                    i++;
                    if (unsafe_start && !in_pp && boundary < 0)
                        boundary = long(i + 1);
                }
            } else if (quote_) {
                if (c == '\\')
                    i++;
                else if (c == quote_) {
                    quote_ = 0;
                    if (unsafe_start && !in_pp && boundary < 0)
                        boundary = long(i + 1);
                }
            } else if (c == '/' && n == '*') {
                comment_ = true;
                i++;
            } else if (c == '/' && n == '/') {
                line_comment = true;
            } else if (c == ' ' || c == '\t' || c == '\f' || c == '\v' ||
                       (c == '\\' && i + 1 == line.size())) {
                // white space; a final backslash is handled below
            } else {
                if (!in_pp && unsafe_start && info.split < 0) {
                    if (boundary >= 0)
                        info.split = boundary;
                    else
                        info.code_before_split = true;
                }
                if (c == '"' || c == '\'')
                    quote_ = c;
            }
        }
        bool backslash = !line.empty() && line.back() == '\\';
        // A literal that reaches the end of its line without a
        // continuation is ill-formed; the compiler ends it there too.
        if (quote_ && !backslash)
            quote_ = 0;
        line_comment_cont_ = line_comment && backslash;
        // A directive continues through a backslash or an open comment.
        pp_cont_ = in_pp && (backslash || comment_);
        cont_ = !in_pp && !line_comment && !quote_ && !comment_ && backslash;
        return info;
    }

  private:
    bool comment_ = false, pp_cont_ = false, line_comment_cont_ = false, cont_ = false;
    char quote_ = 0; // a string or character literal continued to the next line
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

std::string apply_file_patch(const std::string &orig, const FilePatch &fp, bool line_directives,
                             std::vector<HunkPlace> *places) {
    auto src = split_lines(orig);
    std::vector<std::string> out;
    LexState lex;
    size_t pos = 0;   // next original line (0-based) to copy
    size_t plain = 0; // lines written, directives not counted
    bool pending = false;
    size_t pending_hunk = 0;
    auto emit = [&](const std::string &line, size_t orig_line_no) {
        // orig_line_no: 1-based line number of this line in the original,
        // 0 for added lines.
        plain++;
        if (pending && orig_line_no) {
            if (lex.safe()) {
                out.push_back("#line " + std::to_string(orig_line_no));
                pending = false;
            } else {
                // The line continues a comment, a string literal, a
                // directive or a line of code.  Code on it needs the
                // directive before it: split the line where that code
                // begins, if a token boundary outside the construct exists.
                LexState::LineInfo info = lex.preview(line);
                if (info.code_before_split)
                    throw Error(fp.path,
                                "hunk " + std::to_string(pending_hunk) +
                                    ": no safe place for the #line directive that keeps line " +
                                    std::to_string(orig_line_no) +
                                    " numbered: it continues a line of code (backslash-newline)",
                                "end the continued line before the hunk, or extend the hunk "
                                "over it, so that __LINE__ below the fix stays as it was");
                if (info.split >= 0) {
                    out.push_back(line.substr(0, size_t(info.split)));
                    out.push_back("#line " + std::to_string(orig_line_no));
                    out.push_back(line.substr(size_t(info.split)));
                    lex.feed(line);
                    pending = false;
                    return;
                }
            }
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
        if (places)
            places->push_back({int(found) + 1, int(plain) + 1});
        int removed = 0, added = 0;
        for (const auto &l : h.lines) {
            char k = l[0];
            if (k == ' ') {
                if (removed != added) {
                    pending = line_directives;
                    pending_hunk = hi + 1;
                }
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
        if (removed != added) {
            pending = line_directives;
            pending_hunk = hi + 1;
        }
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

} // namespace fbsdlp::srcpatch
