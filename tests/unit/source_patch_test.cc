// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Applying a fix with #line directives: code below a change keeps its
// original __LINE__, checked with the real preprocessor; directives never
// land inside a comment or after a continuation line.

#include "harness.h"

#include "fbsdlp/kbuild/compile_db.h"
#include "fbsdlp/srcpatch/source_patch.h"
#include "fbsdlp/util/error.h"

#include <catch2/catch.hpp>
#include <fstream>

using namespace fbsdlp;
using namespace fbsdlp::kbuild;
using namespace fbsdlp::srcpatch;
using namespace fbsdlp::test;

namespace {

const char *kOrig = "int a(void) { return 1; }\n"  // 1
                    "/* a comment\n"               // 2
                    "   spanning lines */\n"       // 3
                    "#define M(x) \\\n"            // 4
                    "    ((x) + 1)\n"              // 5
                    "int b(int x) {\n"             // 6
                    "\tif (x > 10)\n"              // 7
                    "\t\treturn 0;\n"              // 8
                    "\treturn M(x);\n"             // 9
                    "}\n"                          // 10
                    "int line_of_c = __LINE__;\n"; // 11

std::string preprocess(const std::string &text) {
    std::string w = work_dir("unit/source-patch");
    std::ofstream(w + "/f.c") << text;
    auto r = run("clang -E -P " + w + "/f.c");
    REQUIRE(r.status == 0);
    return r.output;
}

} // namespace

TEST_CASE("a hunk that adds lines keeps later __LINE__ values", "[source-patch]") {
    std::string diff = "--- a/sys/kern/f.c\n+++ b/sys/kern/f.c\n"
                       "@@ -6,5 +6,7 @@\n"
                       " int b(int x) {\n"
                       "-\tif (x > 10)\n"
                       "+\tif (x < 0)\n"
                       "+\t\treturn -1;\n"
                       "+\tif (x >= 10)\n"
                       " \t\treturn 0;\n"
                       " \treturn M(x);\n"
                       " }\n";
    SourcePatch sp = parse_unified_diff(diff, "fix.diff");
    REQUIRE(sp.files.size() == 1);
    CHECK(sp.files[0].path == "sys/kern/f.c");
    std::string plain = apply_file_patch(kOrig, sp.files[0], false);
    std::string lined = apply_file_patch(kOrig, sp.files[0], true);
    CHECK(plain.find("#line") == std::string::npos);
    CHECK(lined.find("#line 8\n") != std::string::npos);
    // Without directives __LINE__ moves to 13; with them it stays 11.
    CHECK(preprocess(plain).find("int line_of_c = 13;") != std::string::npos);
    CHECK(preprocess(lined).find("int line_of_c = 11;") != std::string::npos);
}

TEST_CASE("no directive inside a comment or after a continuation", "[source-patch]") {
    // Removing line 1 shifts everything; the first safe place for the
    // directive is after the comment and after the macro continuation.
    std::string diff =
        "--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,1 @@\n-int a(void) { return 1; }\n /* a comment\n";
    SourcePatch sp = parse_unified_diff(diff, "fix.diff");
    std::string lined = apply_file_patch(kOrig, sp.files[0], true);
    CHECK(lined.find("#line 2\n/* a comment") != std::string::npos);
    std::string diff2 = "--- a/f.c\n+++ b/f.c\n@@ -2,3 +2,2 @@\n-/* a comment\n-   spanning lines "
                        "*/\n+/* one line */\n"
                        " #define M(x) \\\n";
    SourcePatch sp2 = parse_unified_diff(diff2, "fix.diff");
    std::string l2 = apply_file_patch(kOrig, sp2.files[0], true);
    CHECK(l2.find("#line 4\n#define M(x)") != std::string::npos);
    CHECK(preprocess(l2).find("int line_of_c = 11;") != std::string::npos);
}

TEST_CASE("a diff that does not apply or is malformed is refused clearly", "[source-patch]") {
    std::string stale = "--- a/f.c\n+++ b/f.c\n@@ -7,1 +7,1 @@\n-\tif (x > 99)\n+\tif (x > 100)\n";
    SourcePatch sp = parse_unified_diff(stale, "fix.diff");
    CHECK_THROWS_WITH(apply_file_patch(kOrig, sp.files[0], true),
                      Catch::Contains("does not apply"));
    CHECK_THROWS_WITH(parse_unified_diff("just text\n", "x.diff"),
                      Catch::Contains("no file changes"));
    CHECK_THROWS_WITH(parse_unified_diff("--- a/f.c\n+++ b/f.c\n@@ -1,3 +1,3 @@\n x\n", "x.diff"),
                      Catch::Contains("truncated"));
    CHECK_THROWS_WITH(
        parse_unified_diff("--- a/../etc/passwd\n+++ b/../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n",
                           "x.diff"),
        Catch::Contains("not a path inside the tree"));
    // An offset, as patch(1) allows, is fine.
    std::string moved =
        "--- a/f.c\n+++ b/f.c\n@@ -20,1 +20,1 @@\n-\tif (x > 10)\n+\tif (x >= 10)\n";
    CHECK(apply_file_patch(kOrig, parse_unified_diff(moved, "m.diff").files[0], true)
              .find("x >= 10") != std::string::npos);
}

TEST_CASE("depfiles list every prerequisite", "[source-patch]") {
    auto deps = parse_depfile("kern_foo.o: /src/sys/kern/kern_foo.c /src/sys/sys/param.h \\\n"
                              "  opt_global.h /src/sys/sys/a\\ b.h\n");
    REQUIRE(deps.size() == 4);
    CHECK(deps[0] == "/src/sys/kern/kern_foo.c");
    CHECK(deps[2] == "opt_global.h");
    CHECK(deps[3] == "/src/sys/sys/a b.h");
}

#include "fbsdlp/kbuild/kernel_build.h"

#include <filesystem>

TEST_CASE("the build adapter: make buildkernel, or tools/build/make.py on a Linux host",
          "[source-patch]") {
    namespace fs = std::filesystem;
    std::string w = work_dir("unit/adapter");
    fbsdlp::kbuild::TreeSpec t{
        w, "GENERIC", "clang", "-ffunction-sections -fdata-sections", {"FLAVOUR=kernel"}};
    auto plain =
        fbsdlp::kbuild::buildkernel_command(t, "/obj", "/bin/fbsd-patchgen cc-log /log", 4);
    std::vector<std::string> want = {"make",
                                     "-C",
                                     w,
                                     "-j4",
                                     "buildkernel",
                                     "KERNCONF=GENERIC",
                                     "MAKEOBJDIRPREFIX=/obj",
                                     "CONF_CFLAGS=-ffunction-sections -fdata-sections",
                                     "CC=/bin/fbsd-patchgen cc-log /log clang",
                                     "FLAVOUR=kernel"};
    CHECK(plain == want);
    // A FreeBSD tree has tools/build/make.py: on Linux it drives the build.
    fs::create_directories(w + "/tools/build");
    std::ofstream(w + "/tools/build/make.py") << "# stand-in\n";
    auto cross = fbsdlp::kbuild::buildkernel_command(t, "/obj", "W", 2);
    REQUIRE(cross.size() > 4);
    CHECK(cross[0] == "python3");
    CHECK(cross[1] == w + "/tools/build/make.py");
    CHECK(cross[2].rfind("--cross-bindir=/", 0) == 0);
    CHECK(std::find(cross.begin(), cross.end(), "TARGET_ARCH=amd64") != cross.end());
    CHECK(std::find(cross.begin(), cross.end(), "buildkernel") != cross.end());
}

namespace {

// Applies a one-file diff to text with directives; returns the result.
std::string lined(const std::string &orig, const std::string &diff) {
    return apply_file_patch(orig, parse_unified_diff(diff, "fix.diff").files[0], true);
}

} // namespace

TEST_CASE("#line after a multi-line comment: the line is split where its code begins",
          "[source-patch]") {
    const char *orig = "int a = __LINE__;\n"           // 1
                       "char q = '\"'; /* start\n"     // 2: a quote in a char literal
                       "   end */ int b = __LINE__;\n" // 3
                       "int c = __LINE__;\n";          // 4
    // Line 2 becomes two lines; the comment it opens closes on line 3,
    // where code follows: the directive goes right after "*/".
    std::string l = lined(orig, "--- a/f.c\n+++ b/f.c\n@@ -2 +2,2 @@\n"
                                "-char q = '\"'; /* start\n"
                                "+char q = '\"';\n"
                                "+char r = 'x'; /* start\n");
    CHECK(l.find("   end */\n#line 3\n int b = __LINE__;\n") != std::string::npos);
    std::string pp = preprocess(l);
    CHECK(pp.find("int b = 3;") != std::string::npos);
    CHECK(pp.find("int c = 4;") != std::string::npos);
}

TEST_CASE("#line after a string literal continued by an escaped newline", "[source-patch]") {
    const char *orig = "int s0 = 1;\n"                 // 1
                       "const char *s = \"ab\\\"c\\\n" // 2: "ab\"c\<newline>
                       "def\"; int d = __LINE__;\n"    // 3
                       "int e = __LINE__;\n";          // 4
    std::string l = lined(orig, "--- a/f.c\n+++ b/f.c\n@@ -2 +2,2 @@\n"
                                "-const char *s = \"ab\\\"c\\\n"
                                "+const char *s =\n"
                                "+    \"ab\\\"c\\\n");
    CHECK(l.find("def\"\n#line 3\n; int d = __LINE__;\n") != std::string::npos);
    std::string pp = preprocess(l);
    CHECK(pp.find("int d = 3;") != std::string::npos);
    CHECK(pp.find("int e = 4;") != std::string::npos);
    CHECK(pp.find("\"ab\\\"cdef\"") != std::string::npos); // the literal is intact
}

TEST_CASE("#line never inside a macro's continuation lines", "[source-patch]") {
    const char *orig = "int m1 = 1;\n"         // 1
                       "#define TWICE(x) \\\n" // 2
                       "    ((x) + \\\n"       // 3
                       "     (x))\n"           // 4
                       "int f = __LINE__;\n"   // 5
                       "int t = TWICE(2);\n";  // 6
    std::string l = lined(orig, "--- a/f.c\n+++ b/f.c\n@@ -3 +3,2 @@\n"
                                "-    ((x) + \\\n"
                                "+    ((x) + \\\n"
                                "+     0 + \\\n");
    CHECK(l.find("#line 4") == std::string::npos);
    CHECK(l.find("     (x))\n#line 5\nint f") != std::string::npos);
    std::string pp = preprocess(l);
    CHECK(pp.find("int f = 5;") != std::string::npos);
    CHECK(pp.find("int t = ((2) + 0 + (2));") != std::string::npos);
}

TEST_CASE("a change followed by a continued line of code has no safe #line place: reported",
          "[source-patch]") {
    const char *orig = "int g1 = 1;\n"     // 1
                       "int g2 = 1 + \\\n" // 2
                       "   __LINE__;\n"    // 3
                       "int g3 = __LINE__;\n";
    std::string diff = "--- a/f.c\n+++ b/f.c\n@@ -2 +2,2 @@\n"
                       "-int g2 = 1 + \\\n"
                       "+int g0 = 0;\n"
                       "+int g2 = 2 + \\\n";
    CHECK_THROWS_WITH(lined(orig, diff), Catch::Contains("hunk 1: no safe place for the #line") &&
                                             Catch::Contains("line 3"));
    // Without directives the same diff applies: only the placement fails.
    CHECK_NOTHROW(apply_file_patch(orig, parse_unified_diff(diff, "fix.diff").files[0], false));
}

TEST_CASE("// comments continued by a backslash and directives are not code", "[source-patch]") {
    const char *orig = "int h1 = 1;\n"          // 1
                       "// a comment \\\n"      // 2
                       "   still the comment\n" // 3
                       "int h = __LINE__;\n";   // 4
    std::string l = lined(orig, "--- a/f.c\n+++ b/f.c\n@@ -2 +2,2 @@\n-// a comment \\\n"
                                "+int h0 = 0;\n+// a new comment \\\n");
    // Line 3 continues the // comment: no code on it, the directive waits.
    CHECK(l.find("#line 3") == std::string::npos);
    CHECK(l.find("   still the comment\n#line 4\nint h") != std::string::npos);
    CHECK(preprocess(l).find("int h = 4;") != std::string::npos);
}
