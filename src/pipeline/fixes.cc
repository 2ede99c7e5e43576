// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The fixes a patch carries.  One --src is one fix.  Several (or a series
// file, as quilt keeps one: a fix per line, relative to the file, # for
// comments) are applied in order, each to the tree as the ones before it
// left it, and become one unified diff from the tree to the last state:
// the rest of the pipeline sees one fix, and the patch is cumulative.

#include "stages.h"

#include "fbsdlp/util/error.h"
#include "fbsdlp/util/file.h"
#include "fbsdlp/util/process.h"
#include "fbsdlp/util/sha256.h"
#include "fbsdlp_abi.h"

#include <cctype>
#include <filesystem>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace fbsdlp::pipeline {

using namespace fbsdlp::srcpatch;

namespace {

// The diffs a series file lists, or nothing when path is not one (then it
// is read as a diff, and a malformed one is reported as such).
std::vector<std::string> series_entries(const std::string &path, const std::string &text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (auto h = line.find('#'); h != std::string::npos)
            line.resize(h);
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
            line.pop_back();
        size_t b = line.find_first_not_of(" \t");
        if (b == std::string::npos)
            continue;
        line = line.substr(b);
        // A diff's own lines never name an existing file on their own.
        fs::path p =
            fs::path(line).is_absolute() ? fs::path(line) : fs::path(path).parent_path() / line;
        if (line.find(' ') != std::string::npos || !fs::is_regular_file(p))
            return {};
        out.push_back(p.lexically_normal().string());
    }
    return out;
}

std::vector<std::string> expand(const std::vector<std::string> &paths) {
    std::vector<std::string> out;
    for (const auto &p : paths) {
        std::vector<std::string> s = series_entries(p, read_file(p));
        if (s.empty())
            out.push_back(p);
        else
            out.insert(out.end(), s.begin(), s.end());
    }
    return out;
}

// `diff -u` of two texts, labelled a/PATH and b/PATH; empty when equal.
std::string unified_diff(const std::string &path, const std::string &before,
                         const std::string &after, const std::string &dir, size_t n) {
    std::string a = dir + "/" + std::to_string(n) + ".a", b = dir + "/" + std::to_string(n) + ".b";
    write_file_atomic(a, before);
    write_file_atomic(b, after);
    ProcessResult r = run_process({"diff", "-u", "-L", "a/" + path, "-L", "b/" + path, a, b});
    if (r.status == 0)
        return {};
    if (r.status != 1)
        throw Error(path, "diff -u failed: " + first_line(r.output));
    return r.output;
}

} // namespace

Fix read_fixes(const std::vector<std::string> &paths, const std::string &srcdir,
               const std::string &work) {
    std::vector<std::string> files = expand(paths);
    if (files.size() > FBSDLP_FIXES_MAX)
        throw Error(paths.front(),
                    std::to_string(files.size()) + " fixes, at most " +
                        std::to_string(FBSDLP_FIXES_MAX) + " in one patch",
                    "split the series, or fold fixes together");
    Fix fix;
    std::vector<SourcePatch> patches;
    for (const auto &f : files) {
        std::string text = read_file(f);
        patches.push_back(parse_unified_diff(text, f));
        fix.parts.push_back({f, sha256_hex(text)});
        if (files.size() == 1) {
            fix.text = std::move(text);
            fix.label = f;
            fix.patch = std::move(patches.back());
            return fix;
        }
    }
    fix.label = "the series " + files.front() + " ... " + files.back();

    // Each file's text after every fix in order; files in first-seen order.
    std::vector<std::string> order;
    std::map<std::string, std::pair<std::string, std::string>> texts; // path -> (tree, now)
    for (size_t k = 0; k < patches.size(); k++)
        for (const FilePatch &fp : patches[k].files) {
            if (fp.creates || fp.deletes)
                throw Error(files[k],
                            std::string("the fix ") + (fp.creates ? "adds" : "removes") + " " +
                                fp.path,
                            "a live patch changes existing translation units only");
            if (!texts.count(fp.path)) {
                std::string p = srcdir + "/" + fp.path;
                if (!fs::exists(p))
                    throw Error(files[k], fp.path + " does not exist in " + srcdir,
                                "is --srcdir the tree the fixes were made against?");
                std::string t = read_file(p);
                texts[fp.path] = {t, t};
                order.push_back(fp.path);
            }
            try {
                texts[fp.path].second = apply_file_patch(texts[fp.path].second, fp, true);
            } catch (const Error &e) {
                throw Error(files[k],
                            "does not apply to " + fp.path +
                                " after the fixes before it: " + e.what_text(),
                            "give the fixes in the order they were made, each against the tree "
                            "the ones before it left");
            }
        }
    std::string dir = work + "/series";
    fs::create_directories(dir);
    for (size_t i = 0; i < order.size(); i++)
        fix.text += unified_diff(order[i], texts[order[i]].first, texts[order[i]].second, dir, i);
    if (fix.text.empty())
        throw Error(fix.label, "the fixes together change nothing",
                    "is a later fix the reverse of an earlier one?");
    fix.patch = parse_unified_diff(fix.text, fix.label + " (combined)");
    return fix;
}

} // namespace fbsdlp::pipeline
