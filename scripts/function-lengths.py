#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The fbsd-livepatch developers
#
# function-lengths.py [--max N] [--list] DIR...: every function definition
# in the C and C++ files below DIR longer than N lines (default 150),
# counted from the first line of its signature to its closing brace.
# Exit 1 when there is one, so that ctest can hold the line (issue 16).
#
# A brace-counting heuristic, not a parser: it is exact for our
# clang-formatted code, where a function body is a '{' outside any other
# function body whose signature ends in ')' (or in ') const', ') override',
# '-> T' ...).  Comments, string and character literals (raw strings too)
# and preprocessor lines are blanked first, so their braces do not count.
# Lambdas and local classes count towards the function holding them.
import argparse
import os
import re
import sys

EXTS = (".c", ".cc", ".cpp", ".h", ".hh", ".hpp")


def blank(text):
    """text with comments, literals and preprocessor lines replaced by
    spaces, newlines kept, so offsets and line numbers stay."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            # A preprocessor line, with its continuations.
            j = i
            while j < n and text[j] != "\n":
                if text[j] == "\\" and j + 1 < n and text[j + 1] == "\n":
                    out.append("\n")
                    j += 2
                    continue
                out.append(" ")
                j += 1
            i = j
            continue
        if c == "\n":
            out.append(c)
            line_start = True
            i += 1
            continue
        if c not in " \t":
            line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "R" and i + 1 < n and text[i + 1] == '"' and \
                (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


TRAILER = re.compile(r"(\s*(const|override|final|noexcept|mutable|volatile|&&?|"
                     r"->\s*[\w:<>,\s\*&]+))*\s*$")
NOT_FUNC = re.compile(r"^\s*(namespace|struct|class|union|enum|extern)\b")


def is_function_header(header):
    h = TRAILER.sub("", header)
    if not h.rstrip().endswith(")"):
        # A constructor's initializer list: A::A(x) : a_(x), b_{y} {
        m = re.search(r"\)\s*:\s*[\w:]+\s*[({]", h)
        if not m:
            return False
    if NOT_FUNC.match(h):
        return False
    return True


def functions(path):
    """Yield (name, first line, last line) of each function in path."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = blank(f.read())
    # For each open brace: "F" a function body, "P" a brace within the
    # parentheses of a signature (a default argument "= {}"), "O" any
    # other (namespace, class, initializer).
    stack = []
    last = 0  # offset just after the last ';', '{' or '}' outside functions
    parens = 0  # depth of '(' outside functions
    start = None
    for i, c in enumerate(text):
        in_func = "F" in stack
        if c == "{":
            if in_func:
                stack.append("O")
            elif parens:
                stack.append("P")
            elif is_function_header(text[last:i]):
                header = text[last:i]
                skip = len(header) - len(header.lstrip())
                start = (last + skip, header.strip())
                stack.append("F")
            else:
                stack.append("O")
                last = i + 1
        elif c == "}":
            kind = stack.pop() if stack else "O"
            if kind == "F":
                first = text.count("\n", 0, start[0]) + 1
                lastline = text.count("\n", 0, i) + 1
                m = re.search(r"([~\w:]+(?:operator\s*\S+)?)\s*\(", start[1])
                yield (m.group(1) if m else start[1][:40], first, lastline)
            if kind != "P" and "F" not in stack:
                last = i + 1
        elif in_func:
            continue
        elif c == "(":
            parens += 1
        elif c == ")":
            parens = max(parens - 1, 0)
        elif c == ";":
            last = i + 1


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--max", type=int, default=150)
    ap.add_argument("--list", action="store_true",
                    help="print every function's length, longest first")
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()
    found = []
    for d in a.dirs:
        paths = [d] if os.path.isfile(d) else \
            [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs]
        for p in sorted(paths):
            if p.endswith(EXTS):
                for name, first, lastline in functions(p):
                    found.append((lastline - first + 1, p, first, name))
    found.sort(key=lambda t: (-t[0], t[1], t[2]))
    long = [t for t in found if t[0] > a.max]
    for n, p, first, name in (found if a.list else long):
        print(f"{p}:{first}: {name}: {n} lines")
    if long:
        print(f"{len(long)} function(s) longer than {a.max} lines", file=sys.stderr)
        return 1
    print(f"{len(found)} functions, none longer than {a.max} lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
