// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Source-level analysis of a fix (docs/source-analysis.md): which
// definitions each hunk touches, in the original and in the patched text,
// parsed by libclang with each translation unit's recorded compile command;
// the changes a live patch cannot carry, found before any build; and the
// reconciliation of the binary diff with the source: every changed function
// explained, every touched function accounted for.
#pragma once

#include "fbsdlp/kbuild/compile_db.h"
#include "fbsdlp/srcpatch/source_patch.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace fbsdlp::source {

// One definition as the parser saw it, lines 1-based and inclusive.
struct Definition {
    std::string kind; // function, variable, struct, union, enum, typedef, macro
    std::string name;
    std::string file; // absolute
    unsigned begin = 0, end = 0;
    std::string hash; // of its tokens: comments and white space do not count
    bool is_static = false, is_inline = false, is_const = false;
    std::string type;                  // variables
    std::set<std::string> calls;       // functions: functions referenced
    std::set<std::string> types, vars; // struct/union/enum/typedef names; globals, enumerators
    std::set<std::string> macros;      // macros expanded inside its extent
    std::vector<unsigned> asm_lines;   // inline assembly statements
};

struct MacroUse {
    std::string name, file;
    unsigned begin = 0, end = 0;
    std::vector<std::string> args; // identifiers in the arguments, for registration macros
};

// One parse of one translation unit.
struct UnitScan {
    std::vector<Definition> defs; // in the files of interest only
    std::vector<MacroUse> macro_uses;
    std::vector<std::string> errors; // parser errors: the analysis is incomplete
    bool ok = false;                 // false: nothing usable (see errors)
};

// Parses cmd's translation unit with the scanner program (fbsdlp-clang-scan),
// reporting definitions in `files`.  `patched` maps files of the tree to
// files holding their patched text.  Never throws for a translation unit
// that does not parse: ok is false and errors say why.
UnitScan scan_unit(const std::string &scanner, const kbuild::CompileCommand &cmd,
                   const std::vector<std::string> &files,
                   const std::map<std::string, std::string> &patched, const std::string &work_dir);

// Many parses in one scanner process (its start-up, loading libclang and
// its LLVM, costs more than parsing a small unit), in parallel threads.
// A job parses its unit with `unsaved` (tree file -> file holding the text
// to parse instead); with `twice`, it parses it again with `reparse`
// replacing files, reusing the precompiled headers of the first parse.
struct ScanJob {
    kbuild::CompileCommand cmd;
    std::vector<std::string> files;
    std::map<std::string, std::string> unsaved, reparse;
    bool twice = false;
};
struct ScanResult {
    UnitScan first, second;
};
std::vector<ScanResult> scan_units(const std::string &scanner, const std::vector<ScanJob> &jobs,
                                   int threads, const std::string &work_dir);

// The scanner next to `self` (the fbsd-patchgen binary), or $FBSDLP_CLANG_SCAN.
std::string find_scanner(const std::string &self);

// A definition a hunk touches: its changed lines overlap the definition's
// extent in the original (removed lines) or the patched text (added lines).
struct Touched {
    std::string kind, name, file; // file relative to the tree
    bool in_orig = false, in_patched = false;
    bool tokens_changed = false; // false: only comments or white space changed
    bool is_static = false, is_inline = false, is_const = false;
    std::string orig_type, patched_type; // variables
    unsigned line = 0;                   // first touched line (patched, else original)
    int hunk = 0;                        // 1-based, within its file
};

// Definitions touched by fp's hunks.  path_abs: the file in the tree.
std::vector<Touched> touched_definitions(const srcpatch::FilePatch &fp, const std::string &path_abs,
                                         const UnitScan &orig, const UnitScan &patched);

// A change the live patch cannot carry, known from the source alone.
struct Finding {
    std::string file; // relative to the tree
    unsigned line = 0;
    std::string symbol, reason, hint;
};

// Struct/union/enum definitions, writable global initialisers and types,
// SYSINIT/SYSCTL/MALLOC_DEFINE/linker-set declarations and inline assembly
// in the fix's hunks.
std::vector<Finding> preflight(const srcpatch::FilePatch &fp, const std::string &path_abs,
                               const std::vector<Touched> &touched, const UnitScan &orig,
                               const UnitScan &patched);

// What the binary diff says about one object, in plain types so that the
// reconciliation needs nothing of the diff engine.
struct BinaryObject {
    std::string object;
    std::vector<std::string> changed;  // changed and new functions
    std::set<std::string> out_of_line; // functions defined in the patched object
    std::map<std::string, std::vector<std::string>> inlines; // function -> inlined callees (DWARF)
};

struct Explained {
    std::string function;
    std::string cls;    // touched, inlines-touched, uses-touched, unexplained
    std::string detail; // why: "inlines x (DWARF)", "calls touched static x, inlined (source)"
};

struct TouchedOutcome {
    std::string function;
    std::string cls; // changed, inlined-away, unchanged-in-binary, not-emitted
    std::string detail;
};

struct ObjectReconciliation {
    std::string object;
    std::vector<Explained> changed;
    std::vector<TouchedOutcome> touched;
};

// touched: the touched definitions of this object's translation unit;
// patched: its patched parse (what each function refers to).
ObjectReconciliation reconcile(const BinaryObject &bin, const std::vector<Touched> &touched,
                               const UnitScan &patched);

nlohmann::json to_json(const std::vector<Touched> &t);
nlohmann::json to_json(const std::vector<Finding> &f);
nlohmann::json to_json(const std::vector<ObjectReconciliation> &r);
std::string report_text(const std::vector<ObjectReconciliation> &r);

// The function name in the source for a binary symbol name: compiler
// suffixes (.cold, .isra.0, .llvm.123) removed.
std::string source_name(const std::string &symbol);

} // namespace fbsdlp::source
