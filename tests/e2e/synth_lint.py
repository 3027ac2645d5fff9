#!/usr/bin/env python3
"""Lint of kml's HLS templates on the synthesis path (issue 12).

The code the HLS front end compiles (Vitis HLS: clang-based, C++14, __SYNTHESIS__ defined) must not contain
constructs it rejects or cannot synthesize: dynamic allocation, std:: containers / strings / std::function,
exceptions, runtime recursion, alloca, C++17 features. Host-only regions (#ifndef __SYNTHESIS__, the #else of
#ifdef __SYNTHESIS__, #if ... && !defined(__SYNTHESIS__)) are left out. Variable-length arrays are caught by the
synthesis-view compilation (-Werror=vla, run_synth_view.cmake), which sees the instantiated sizes.

Usage: synth_lint.py DIR...   (every *.h / *.cpp below DIR)
       synth_lint.py --self-test   (every rule must fire on a sample, and not inside a host-only region)
Exit status 1 with one line per finding (file:line: rule: text) when something is found.
"""
import os
import re
import sys
import tempfile

RULES = [
    ("dynamic allocation", re.compile(r"\bnew\b(?!\s*\()|\bnew\s*\(|(?<!=)(?<!=\s)\bdelete\b|\b(malloc|calloc|realloc|free|alloca)\s*\(|"
                                      r"\bstd::(unique_ptr|shared_ptr|make_unique|make_shared|allocator)\b")),
    ("std:: container", re.compile(r"\bstd::(vector|deque|list|forward_list|map|multimap|set|multiset|unordered_\w+|"
                                   r"basic_string|string|wstring|queue|priority_queue|stack|function|valarray|any)\b")),
    ("exceptions", re.compile(r"\b(throw|try|catch)\b")),
    ("C++17: if constexpr", re.compile(r"\bif\s+constexpr\b")),
    ("C++17: structured binding", re.compile(r"\bauto\s*&{0,2}\s*\[")),
    ("C++17: fold expression", re.compile(r"\(\s*\.\.\.\s*(\+|-|\*|/|&&|\|\||&|\||\^|,)|(\+|-|\*|/|&&|\|\||&|\||\^|,)\s*\.\.\.\s*\)")),
    ("C++17: attribute", re.compile(r"\[\[\s*(nodiscard|maybe_unused|fallthrough)")),
    ("C++17: library type", re.compile(r"\bstd::(optional|variant|string_view|byte|apply|invoke|clamp|gcd|lcm)\b|\bstd::\w+_v\b")),
    ("C++17: inline variable", re.compile(r"\binline\s+(static\s+)?(constexpr|const)\s+[\w:<>, ]+\s+\w+\s*(=|\{)")),
    ("C++17: nested namespace", re.compile(r"\bnamespace\s+\w+::")),
    ("C++17: template <auto>", re.compile(r"template\s*<\s*auto\b")),
    ("C++17: __has_include", re.compile(r"__has_include")),
    ("C++17: static_assert without message", re.compile(r"\bstatic_assert\s*\(([^(),]|\([^()]*\))*\)")),
]
KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "catch", "static_assert", "decltype", "alignof"}


def strip_comments_and_strings(text):
    """Comments and string/char literals blanked (newlines kept, so line numbers hold)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * max(0, min(j, n) - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def host_only(cond):
    """Does a #if condition hold only when __SYNTHESIS__ is undefined? (conjunctions with !defined(...))"""
    c = cond.replace(" ", "")
    return any(t in ("!defined(__SYNTHESIS__)", "!defined__SYNTHESIS__") for t in c.split("&&"))


def synthesis_lines(text):
    """The lines of text on the synthesis path: host-only conditional regions blanked."""
    lines = text.split("\n")
    stack = []  # per open #if: [this branch host-only?, #else would be host-only?]
    out = []
    for line in lines:
        m = re.match(r"\s*#\s*(ifndef|ifdef|if|elif|else|endif)\b(.*)", line)
        if m:
            d, rest = m.group(1), m.group(2).strip()
            if d == "ifndef":
                stack.append([rest == "__SYNTHESIS__", False])
            elif d == "ifdef":
                stack.append([False, rest == "__SYNTHESIS__"])
            elif d == "if":
                stack.append([host_only(rest), rest.replace(" ", "") == "defined(__SYNTHESIS__)"])
            elif d == "elif" and stack:
                stack[-1] = [host_only(rest), False]
            elif d == "else" and stack:
                stack[-1] = [stack[-1][1], False]
            elif d == "endif" and stack:
                stack.pop()
            out.append("")
            continue
        out.append("" if any(s[0] for s in stack) else line)
    return out


def recursion_findings(code):
    """Functions whose body calls themselves (runtime recursion). Calls with explicit template arguments
    (compile-time recursion over a template parameter, which the HLS tool unrolls) are allowed."""
    found = []
    for m in re.finditer(r"\b([A-Za-z_]\w*)\s*\(([^;{}()]|\([^;{}()]*\))*\)\s*(const\s*)?(noexcept\s*)?\{", code):
        name = m.group(1)
        if name in KEYWORDS:
            continue
        depth, j = 0, m.end() - 1
        while j < len(code):
            if code[j] == "{":
                depth += 1
            elif code[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        body = code[m.end():j]
        call = re.search(r"(?<![\w:.>])" + re.escape(name) + r"\s*\(", body)
        if call:
            found.append((code.count("\n", 0, m.end() + call.start()) + 1, "recursion", name))
    return found


def lint_text(path, text):
    findings = []
    code = "\n".join(synthesis_lines(strip_comments_and_strings(text)))
    for no, line in enumerate(code.split("\n"), 1):
        for rule, rx in RULES:
            if rx.search(line):
                findings.append((no, rule, line.strip()))
    findings += recursion_findings(code)
    return ["%s:%d: %s: %s" % (path, no, rule, what) for no, rule, what in sorted(findings)]


def lint_paths(paths):
    out, n = [], 0
    for root in paths:
        for dirpath, _, files in os.walk(root):
            for f in sorted(files):
                if f.endswith((".h", ".hpp", ".cpp")):
                    p = os.path.join(dirpath, f)
                    with open(p, encoding="utf-8") as fh:
                        out += lint_text(p, fh.read())
                    n += 1
    return out, n


SAMPLES = {
    "dynamic allocation": ["int* p = new int[4];", "T* a = (T*)malloc(16);", "delete[] p;",
                           "std::unique_ptr<int> q;"],
    "std:: container": ["std::vector<int> v(4);", "std::string s;", "std::map<int, int> m;"],
    "exceptions": ["throw 1;", "try { f(); } catch (...) {}"],
    "C++17: if constexpr": ["if constexpr (N > 1) { g(); }"],
    "C++17: structured binding": ["auto [a, b] = pair;"],
    "C++17: fold expression": ["return (xs + ...);"],
    "C++17: attribute": ["[[nodiscard]] int h();"],
    "C++17: library type": ["std::optional<int> o;", "bool b = std::is_same_v<int, T>;"],
    "C++17: inline variable": ["inline constexpr int kN = 4;"],
    "C++17: nested namespace": ["namespace kml::detail { }"],
    "C++17: template <auto>": ["template <auto N> struct S {};"],
    "C++17: static_assert without message": ["static_assert(N > 0);"],
    "recursion": ["int fact(int n) { return n ? n * fact(n - 1) : 1; }"],
}


def self_test():
    ok = True
    allowed = ("S(const S&) = delete;\n// std::vector<int> in a comment\nconst char* s = \"new std::string\";\n"
               "template <int N> int sum(const int* x) { return x[0] + sum<N - 1>(x + 1); }\n"
               "static_assert(N > 0, \"positive\");\n")
    with tempfile.TemporaryDirectory() as d:
        for rule, snippets in SAMPLES.items():
            for s in snippets:
                for wrap, expect in (("%s\n", True), ("#ifndef __SYNTHESIS__\n%s\n#endif\n", False),
                                     ("#ifdef __SYNTHESIS__\nint x;\n#else\n%s\n#endif\n", False),
                                     ("#if defined(KML_AP_RUNTIME) && !defined(__SYNTHESIS__)\n%s\n#endif\n", False),
                                     ("#ifdef __SYNTHESIS__\n%s\n#endif\n", True)):
                    got = [f for f in lint_text("sample.h", wrap % s) if (": %s:" % rule) in f]
                    if bool(got) != expect:
                        print("self-test: rule '%s' %s on: %s" % (rule, "missed" if expect else "fired", wrap % s))
                        ok = False
        extra = lint_text("allowed.h", allowed)
        if extra:
            print("self-test: false findings on allowed code:\n" + "\n".join(extra))
            ok = False
    n = sum(len(v) for v in SAMPLES.values())
    print("self-test: %d samples, %d rules: %s" % (n, len(SAMPLES), "ok" if ok else "FAILED"))
    return ok


def main(argv):
    if argv[1:] == ["--self-test"]:
        return 0 if self_test() else 1
    if len(argv) < 2:
        print(__doc__)
        return 2
    findings, n = lint_paths(argv[1:])
    for f in findings:
        print(f)
    print("synthesis-path lint: %d file(s), %d finding(s)" % (n, len(findings)))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
