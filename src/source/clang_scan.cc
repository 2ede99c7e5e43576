// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The libclang scan of one translation unit, exactly as its recorded
// compile command compiles it: the definitions of the files of interest
// (extents, token hashes, what each function refers to) as JSON.  The
// program fbsdlp-clang-scan (tools/fbsdlp-clang-scan) runs it; it is not
// part of libfbsdlp, whose static LLVM libraries must not meet libclang's
// own LLVM in one address space.

#include "clang_scan.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string str(CXString s) {
    const char *c = clang_getCString(s);
    std::string r = c ? c : "";
    clang_disposeString(s);
    return r;
}

// The working directory of the job this thread runs: libclang names
// headers found through a relative -I relative to it.
thread_local std::string job_cwd;

std::string normal(const std::string &p) {
    if (p.empty())
        return p;
    if (fs::path(p).is_relative() && !job_cwd.empty())
        return (fs::path(job_cwd) / p).lexically_normal().string();
    return fs::absolute(p).lexically_normal().string();
}

// Arguments of a recorded compile command that make sense for parsing:
// the compiler, the output and the dependency-file options go; every
// option that changes what the preprocessor or the parser sees stays.
std::vector<std::string> parse_args(const std::vector<std::string> &argv, const std::string &src,
                                    const std::string &cwd) {
    std::vector<std::string> out;
    for (size_t i = 1; i < argv.size(); i++) {
        const std::string &a = argv[i];
        if (a == "-c" || a == "-MD" || a == "-MMD" || a == "-MP" || a == "-Werror" ||
            a == "-pipe" || a.rfind("-Werror=", 0) == 0)
            continue;
        if (a == "-o" || a == "-MF" || a == "-MT" || a == "-MQ") {
            i++;
            continue;
        }
        if (a.rfind("-o", 0) == 0 && a.size() > 2 && a[2] != 'p')
            continue; // -ofoo.o
        if (a[0] != '-' &&
            normal(fs::path(a).is_relative() && !cwd.empty() ? (fs::path(cwd) / a).string() : a) ==
                src)
            continue;
        out.push_back(a);
    }
    return out;
}

struct Range {
    std::string file;
    unsigned begin = 0, end = 0;
};

Range range_of(CXCursor c) {
    CXSourceRange r = clang_getCursorExtent(c);
    CXFile f1 = nullptr, f2 = nullptr;
    unsigned l1 = 0, l2 = 0, col = 0, off = 0;
    // Expansion locations: a definition written by a macro is where the
    // macro was used, which is where a hunk can touch it.
    clang_getExpansionLocation(clang_getRangeStart(r), &f1, &l1, &col, &off);
    clang_getExpansionLocation(clang_getRangeEnd(r), &f2, &l2, &col, &off);
    Range out;
    if (f1)
        out.file = normal(str(clang_getFileName(f1)));
    out.begin = l1;
    out.end = f2 == f1 ? l2 : l1;
    return out;
}

// FNV-1a over the definition's tokens: equal hashes mean the definition
// differs at most in comments and white space.
std::string token_hash(CXTranslationUnit tu, CXCursor c) {
    CXToken *toks = nullptr;
    unsigned n = 0;
    clang_tokenize(tu, clang_getCursorExtent(c), &toks, &n);
    uint64_t h = 1469598103934665603ull;
    for (unsigned i = 0; i < n; i++) {
        std::string s = str(clang_getTokenSpelling(tu, toks[i]));
        for (unsigned char ch : s + " ")
            h = (h ^ ch) * 1099511628211ull;
    }
    clang_disposeTokens(tu, toks, n);
    char buf[20];
    snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

struct Refs {
    std::set<std::string> calls, types, vars;
    std::vector<unsigned> asm_lines;
};

std::string record_name(CXCursor d) {
    std::string n = str(clang_getCursorSpelling(d));
    if (n.empty() || n.find("(unnamed") != std::string::npos ||
        n.find("(anonymous") != std::string::npos)
        return {};
    return n;
}

CXChildVisitResult visit_body(CXCursor c, CXCursor, CXClientData data) {
    Refs &r = *static_cast<Refs *>(data);
    CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_AsmStmt) {
        CXFile f;
        unsigned line, col, off;
        clang_getExpansionLocation(clang_getCursorLocation(c), &f, &line, &col, &off);
        r.asm_lines.push_back(line);
    } else if (k == CXCursor_DeclRefExpr || k == CXCursor_TypeRef || k == CXCursor_MemberRefExpr) {
        CXCursor d = clang_getCursorReferenced(c);
        CXCursorKind dk = clang_getCursorKind(d);
        if (dk == CXCursor_FunctionDecl)
            r.calls.insert(str(clang_getCursorSpelling(d)));
        else if (dk == CXCursor_VarDecl &&
                 clang_getCursorKind(clang_getCursorSemanticParent(d)) == CXCursor_TranslationUnit)
            r.vars.insert(str(clang_getCursorSpelling(d)));
        else if (dk == CXCursor_EnumConstantDecl || dk == CXCursor_FieldDecl) {
            std::string n = record_name(clang_getCursorSemanticParent(d));
            if (!n.empty())
                r.types.insert(n);
            if (dk == CXCursor_EnumConstantDecl)
                r.vars.insert(str(clang_getCursorSpelling(d)));
        } else if (dk == CXCursor_StructDecl || dk == CXCursor_UnionDecl ||
                   dk == CXCursor_EnumDecl || dk == CXCursor_TypedefDecl) {
            std::string n = record_name(d);
            if (!n.empty())
                r.types.insert(n);
        }
    }
    return CXChildVisit_Recurse;
}

// The FreeBSD macros that register something at boot or in a linker set.
bool is_registration(const std::string &n) {
    static const char *const kPrefixes[] = {"SYSINIT",          "SYSUNINIT",
                                            "SYSCTL_",          "MALLOC_DEFINE",
                                            "DATA_SET",         "TEXT_SET",
                                            "BSS_SET",          "ABS_SET",
                                            "SET_ENTRY",        "EVENTHANDLER_DEFINE",
                                            "SDT_PROBE_DEFINE", "SDT_PROVIDER_DEFINE",
                                            "MODULE_DEPEND",    "MODULE_VERSION",
                                            "DECLARE_MODULE",   "DRIVER_MODULE",
                                            "DPCPU_DEFINE",     "VNET_DEFINE",
                                            "VNET_SYSINIT",     "VNET_SYSUNINIT"};
    for (const char *p : kPrefixes)
        if (n.rfind(p, 0) == 0)
            return true;
    return false;
}

struct Scan {
    CXTranslationUnit tu;
    std::set<std::string> files;
    json defs = json::array(), macros_used = json::array();
};

const char *kind_name(CXCursorKind k) {
    switch (k) {
    case CXCursor_FunctionDecl: return "function";
    case CXCursor_VarDecl: return "variable";
    case CXCursor_StructDecl: return "struct";
    case CXCursor_UnionDecl: return "union";
    case CXCursor_EnumDecl: return "enum";
    case CXCursor_TypedefDecl: return "typedef";
    case CXCursor_MacroDefinition: return "macro";
    default: return nullptr;
    }
}

CXChildVisitResult visit_top(CXCursor c, CXCursor, CXClientData data) {
    Scan &s = *static_cast<Scan *>(data);
    CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_MacroExpansion) {
        Range r = range_of(c);
        if (s.files.count(r.file)) {
            std::string name = str(clang_getCursorSpelling(c));
            json m{{"name", name}, {"file", r.file}, {"begin", r.begin}, {"end", r.end}};
            if (is_registration(name)) {
                // Its arguments' identifiers: which function a SYSINIT runs.
                json args = json::array();
                CXToken *toks = nullptr;
                unsigned n = 0;
                clang_tokenize(s.tu, clang_getCursorExtent(c), &toks, &n);
                for (unsigned i = 1; i < n; i++)
                    if (clang_getTokenKind(toks[i]) == CXToken_Identifier)
                        args.push_back(str(clang_getTokenSpelling(s.tu, toks[i])));
                clang_disposeTokens(s.tu, toks, n);
                m["args"] = args;
            }
            s.macros_used.push_back(std::move(m));
        }
        return CXChildVisit_Continue;
    }
    const char *kind = kind_name(k);
    if (!kind)
        return CXChildVisit_Continue;
    // A file-scope "int x;" is a tentative definition: a definition for the
    // linker, though not for clang_isCursorDefinition.
    bool tentative = k == CXCursor_VarDecl && clang_Cursor_getStorageClass(c) != CX_SC_Extern;
    if (k != CXCursor_MacroDefinition && k != CXCursor_TypedefDecl && !tentative &&
        !clang_isCursorDefinition(c))
        return CXChildVisit_Continue;
    Range r = range_of(c);
    if (!s.files.count(r.file))
        return CXChildVisit_Continue;
    std::string name = k == CXCursor_MacroDefinition || k == CXCursor_FunctionDecl ||
                               k == CXCursor_VarDecl || k == CXCursor_TypedefDecl
                           ? str(clang_getCursorSpelling(c))
                           : record_name(c);
    if (name.empty())
        return CXChildVisit_Continue; // an anonymous type: its typedef or variable carries it
    json d{{"kind", kind},     {"name", name}, {"file", r.file},
           {"begin", r.begin}, {"end", r.end}, {"hash", token_hash(s.tu, c)}};
    if (k == CXCursor_FunctionDecl || k == CXCursor_VarDecl)
        d["static"] = clang_Cursor_getStorageClass(c) == CX_SC_Static;
    if (k == CXCursor_FunctionDecl)
        d["inline"] = clang_Cursor_isFunctionInlined(c) != 0;
    if (k == CXCursor_VarDecl) {
        CXType t = clang_getCursorType(c);
        d["const"] = clang_isConstQualifiedType(t) != 0;
        // The type alone, for "type changed" versus "initialiser changed".
        d["type"] = str(clang_getTypeSpelling(t));
    }
    if (k == CXCursor_FunctionDecl || k == CXCursor_VarDecl) {
        Refs refs;
        clang_visitChildren(c, visit_body, &refs);
        d["calls"] = refs.calls;
        d["types"] = refs.types;
        d["vars"] = refs.vars;
        d["asm"] = refs.asm_lines;
    }
    s.defs.push_back(std::move(d));
    return CXChildVisit_Continue;
}

// The unsaved files of a request: path in the tree -> text of its copy.
struct Unsaved {
    std::vector<std::string> names, texts;
    std::vector<CXUnsavedFile> files;
    explicit Unsaved(const json &j) {
        for (const auto &[path, copy] : j.get<std::map<std::string, std::string>>()) {
            std::ifstream in(copy, std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            names.push_back(normal(path));
            texts.push_back(ss.str());
        }
        for (size_t i = 0; i < names.size(); i++)
            files.push_back({names[i].c_str(), texts[i].data(), (unsigned long)texts[i].size()});
    }
};

json collect(CXTranslationUnit tu, const std::set<std::string> &files) {
    Scan s;
    s.tu = tu;
    s.files = files;
    json errors = json::array();
    for (unsigned i = 0, n = clang_getNumDiagnostics(tu); i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error && errors.size() < 5)
            errors.push_back(str(clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation)));
        clang_disposeDiagnostic(d);
    }
    clang_visitChildren(clang_getTranslationUnitCursor(tu), visit_top, &s);
    return {{"defs", s.defs}, {"macro_uses", s.macros_used}, {"errors", errors}};
}

} // namespace

namespace fbsdlp::source::clang_scan {

// One job: parse with "unsaved"; with "reparse", parse again with those
// files replaced.  The second parse reuses the precompiled preamble (the
// headers included before the first change) when the fix leaves them
// alone, which makes the patched parse of a .c fix cheap.
json run_job(CXIndex index, const json &job) {
    std::string cwd = job.value("cwd", "");
    job_cwd = cwd;
    std::string src = job.value("source", "");
    if (!cwd.empty() && fs::path(src).is_relative())
        src = (fs::path(cwd) / src).string();
    src = normal(src);
    auto args = parse_args(job.value("argv", std::vector<std::string>{}), src, cwd);
    // Relative -I and -include resolve against the command's directory.
    if (!cwd.empty())
        args.insert(args.begin(), {"-working-directory", cwd});
    std::set<std::string> files;
    for (const auto &f : job.value("files", std::vector<std::string>{}))
        files.insert(normal(f));
    Unsaved first(job.value("unsaved", json::object()));
    bool twice = job.contains("reparse");
    std::vector<const char *> cargs;
    for (const auto &a : args)
        cargs.push_back(a.c_str());
    unsigned flags = CXTranslationUnit_DetailedPreprocessingRecord | CXTranslationUnit_KeepGoing;
    // The preamble pays off only when the second parse can reuse it: the
    // fix is in the unit's own file, below its includes.  A fix in a header
    // invalidates it, and building it would be wasted.
    bool preamble = twice;
    for (const auto &[path, copy] : job.value("reparse", std::map<std::string, std::string>{}))
        preamble &= normal(path) == src;
    if (preamble)
        flags |=
            CXTranslationUnit_PrecompiledPreamble | CXTranslationUnit_CreatePreambleOnFirstParse;
    CXTranslationUnit tu = nullptr;
    CXErrorCode ec =
        clang_parseTranslationUnit2(index, src.c_str(), cargs.data(), int(cargs.size()),
                                    first.files.data(), unsigned(first.files.size()), flags, &tu);
    if (ec != CXError_Success || !tu)
        return {
            {"error", "libclang could not parse " + src + " (error " + std::to_string(ec) + ")"}};
    json res{{"first", collect(tu, files)}};
    if (twice) {
        Unsaved second(job["reparse"]);
        int rc = 1;
        if (preamble) {
            rc = clang_reparseTranslationUnit(tu, unsigned(second.files.size()),
                                              second.files.data(), clang_defaultReparseOptions(tu));
        } else {
            clang_disposeTranslationUnit(tu);
            tu = nullptr;
            ec = clang_parseTranslationUnit2(index, src.c_str(), cargs.data(), int(cargs.size()),
                                             second.files.data(), unsigned(second.files.size()),
                                             flags, &tu);
            rc = ec != CXError_Success || !tu;
            if (rc)
                return {{"error", "libclang could not parse the patched " + src}};
        }
        if (rc != 0) {
            // A failed reparse leaves the unit unusable: dispose of it only.
            clang_disposeTranslationUnit(tu);
            return {{"error", "libclang could not parse the patched " + src}};
        }
        res["second"] = collect(tu, files);
    }
    clang_disposeTranslationUnit(tu);
    return res;
}

} // namespace fbsdlp::source::clang_scan
