#!/usr/bin/env python3
"""Validate a Chalkroom challenge catalog and run its reference solutions.

Usage:
    python3 seed/check_catalog.py [--json] [path]

The default path is catalog/starter.json next to this script.

For every challenge the checker
  * validates the structure (see STRUCTURE RULES below),
  * runs the reference solution against each test, one fresh
    ``python3 -I -S`` subprocess per test, with the test's timeLimitMs as timeout,
  * runs the starter code against the tests and requires at least one failure.

Output: one line per failing test (or structural problem) and a final line
``N passed, M failed``; with --json a single JSON object
``{"passed": N, "failed": M, "failures": [{"slug", "test", "message"}]}``.
Exit code 0 when nothing failed, 1 otherwise.

Counting: every test is counted once (passed only if it is structurally valid
and the reference solution passes it). Problems that belong to a challenge or
to the catalog as a whole rather than to one test (duplicate slug, bad
difficulty, starter code that passes everything, ...) are each counted as one
extra failure with "test" set to null.

STRUCTURE RULES
  catalog: {"format": "chalkroom.catalog/v1", "catalog": str, "challenges": [...]}
  challenge: slug (kebab-case, unique), title (3-120 chars), prompt (20-5000
    chars, contains a ```python block), starterCode / referenceSolution (valid
    Python), tags (1-6 lowercase, at least one topic tag), difficulty
    (intro|easy|medium), tests (3-10, at least one visible and one hidden).
  test: kind call|stdio|assert; visible bool; points int 1-100; timeLimitMs
    int 100-10000; call -> expression (valid expression) + expected (JSON
    text); stdio -> stdin + expectedStdout; assert -> code (visible only).

Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import math
import os
import re
import subprocess
import sys
import tempfile

FORMAT = "chalkroom.catalog/v1"
DIFFICULTIES = ("intro", "easy", "medium")
TOPIC_TAGS = ("strings", "lists", "dicts", "loops", "recursion", "classes")
KINDS = ("call", "stdio", "assert")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAG_RE = re.compile(r"^[a-z][a-z0-9-]*$")

CATALOG_KEYS = {"format", "catalog", "challenges"}
CHALLENGE_KEYS = {
    "slug", "title", "prompt", "starterCode", "referenceSolution",
    "tags", "difficulty", "tests",
}
COMMON_TEST_KEYS = {"kind", "visible", "points", "timeLimitMs"}
KIND_KEYS = {
    "call": {"expression", "expected"},
    "stdio": {"stdin", "expectedStdout"},
    "assert": {"code"},
}

# ---------------------------------------------------------------------------
# The program that runs inside each fresh `python3 -I -S` subprocess.
# argv: payload.json result.json
#   payload = {"mode": "call"|"assert"|"stdio", "source": str,
#              "expression": str, "code": str}
# call/assert: writes {"ok": true, "value": ...} or {"ok": false, "error": str}
#   to result.json.
# stdio: runs the source as __main__ with the real stdin/stdout; the parent
#   judges stdout and the exit code.
# ---------------------------------------------------------------------------
HARNESS = r'''
import builtins
import json
import sys
import traceback

for _stream in (sys.stdin, sys.stdout, sys.stderr):
    try:
        _stream.reconfigure(encoding="utf-8")
    except Exception:
        pass


def to_jsonable(value, where="result"):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v, "%s[%d]" % (where, i)) for i, v in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError("%s has a non-string dict key %r" % (where, k))
            out[k] = to_jsonable(v, "%s[%r]" % (where, k))
        return out
    raise TypeError(
        "%s is a %s, which is not JSON-compatible (allowed: None, bool, int, "
        "float, str, list, tuple, dict with str keys)" % (where, type(value).__name__)
    )


def describe(exc, sources):
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    text = text.splitlines()[-1] if text else type(exc).__name__
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in sources:
            lines = sources[frame.filename].splitlines()
            line = lines[frame.lineno - 1].strip() if frame.lineno and 0 < frame.lineno <= len(lines) else ""
            where = " (%s line %s%s)" % (frame.filename, frame.lineno, ": " + line if line else "")
    return text + where


def main():
    payload_path, result_path = sys.argv[1], sys.argv[2]
    with open(payload_path, encoding="utf-8") as f:
        payload = json.load(f)
    mode = payload["mode"]
    source = payload["source"]

    if mode == "stdio":
        code = compile(source, "<solution>", "exec")
        g = {"__name__": "__main__", "__builtins__": builtins}
        exec(code, g)
        return

    def finish(result):
        with open(result_path, "w", encoding="utf-8") as f:
            json.dump(result, f)

    sources = {"<solution>": source}
    g = {"__name__": "solution"}
    try:
        exec(compile(source, "<solution>", "exec"), g)
    except BaseException as exc:
        finish({"ok": False, "error": "solution raised while loading: " + describe(exc, sources)})
        return

    if mode == "call":
        expression = payload["expression"]
        sources["<expression>"] = expression
        try:
            value = eval(compile(expression, "<expression>", "eval"), g)
        except BaseException as exc:
            finish({"ok": False, "error": "raised " + describe(exc, sources)})
            return
        try:
            value = to_jsonable(value)
            json.dumps(value)
        except Exception as exc:
            finish({"ok": False, "error": str(exc)})
            return
        finish({"ok": True, "value": value})
    else:
        code = payload["code"]
        sources["<assert>"] = code
        try:
            exec(compile(code, "<assert>", "exec"), g)
        except BaseException as exc:
            finish({"ok": False, "error": "raised " + describe(exc, sources)})
            return
        finish({"ok": True})


main()
'''


# ---------------------------------------------------------------------------
# Comparison helpers
# ---------------------------------------------------------------------------
def json_equal(actual, expected) -> bool:
    """Strict JSON equality: bool is distinct from numbers, floats use rel_tol 1e-9."""
    if isinstance(actual, bool) or isinstance(expected, bool):
        return isinstance(actual, bool) and isinstance(expected, bool) and actual == expected
    if isinstance(actual, (int, float)) and isinstance(expected, (int, float)):
        if isinstance(actual, int) and isinstance(expected, int):
            return actual == expected
        try:
            return math.isclose(actual, expected, rel_tol=1e-9)
        except OverflowError:
            return False
    if actual is None or expected is None:
        return actual is None and expected is None
    if isinstance(actual, str) or isinstance(expected, str):
        return isinstance(actual, str) and isinstance(expected, str) and actual == expected
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(
            json_equal(a, e) for a, e in zip(actual, expected)
        )
    if isinstance(actual, dict) and isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(
            json_equal(actual[k], expected[k]) for k in actual
        )
    return False


def normalise_stdout(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def shorten(text: str, limit: int = 160) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def show(value) -> str:
    return shorten(json.dumps(value, ensure_ascii=False))


# ---------------------------------------------------------------------------
# Running one test
# ---------------------------------------------------------------------------
def python_executable() -> str:
    return sys.executable or "python3"


def run_test(source: str, test: dict) -> str | None:
    """Run `source` against `test`. Returns None on pass, else a failure message."""
    kind = test["kind"]
    timeout = test["timeLimitMs"] / 1000.0
    with tempfile.TemporaryDirectory(prefix="chalkroom-check-") as tmp:
        harness = os.path.join(tmp, "harness.py")
        payload_path = os.path.join(tmp, "payload.json")
        result_path = os.path.join(tmp, "result.json")
        with open(harness, "w", encoding="utf-8") as f:
            f.write(HARNESS)
        payload = {
            "mode": kind,
            "source": source,
            "expression": test.get("expression", ""),
            "code": test.get("code", ""),
        }
        with open(payload_path, "w", encoding="utf-8") as f:
            json.dump(payload, f)
        cmd = [python_executable(), "-I", "-S", harness, payload_path, result_path]
        stdin_bytes = test["stdin"].encode("utf-8") if kind == "stdio" else b""
        try:
            proc = subprocess.run(
                cmd,
                input=stdin_bytes,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=tmp,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return f"timed out after {test['timeLimitMs']} ms"

        stderr = proc.stderr.decode("utf-8", errors="replace").strip()
        last_err = stderr.splitlines()[-1] if stderr else ""

        if kind == "stdio":
            stdout = proc.stdout.decode("utf-8", errors="replace")
            if proc.returncode != 0:
                detail = f": {last_err}" if last_err else ""
                return shorten(f"program exited with code {proc.returncode}{detail}", 300)
            got = normalise_stdout(stdout)
            want = normalise_stdout(test["expectedStdout"])
            if got == want:
                return None
            for i in range(max(len(got), len(want))):
                g = got[i] if i < len(got) else None
                w = want[i] if i < len(want) else None
                if g != w:
                    return (
                        f"stdout differs at line {i + 1}: expected {show(w)}, got {show(g)}"
                        f" (expected {len(want)} line(s), got {len(got)})"
                    )
            return "stdout differs"  # pragma: no cover

        try:
            with open(result_path, encoding="utf-8") as f:
                result = json.load(f)
        except (OSError, ValueError):
            detail = f": {last_err}" if last_err else ""
            return shorten(f"no result (process exited with code {proc.returncode}){detail}", 300)
        if not result.get("ok"):
            return shorten(result.get("error", "unknown error"), 300)
        if kind == "call":
            expected = json.loads(test["expected"])
            if json_equal(result["value"], expected):
                return None
            return f"{test['expression']} -> expected {show(expected)}, got {show(result['value'])}"
        return None  # assert passed


# ---------------------------------------------------------------------------
# Structure validation
# ---------------------------------------------------------------------------
def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def compile_error(source: str, mode: str, filename: str) -> str | None:
    try:
        compile(source, filename, mode)
    except (SyntaxError, ValueError) as exc:
        if isinstance(exc, SyntaxError):
            return f"{exc.msg} (line {exc.lineno})"
        return str(exc)
    return None


def validate_test(test) -> list[str]:
    """Return structural problems of one test (empty list when fine)."""
    if not isinstance(test, dict):
        return ["test must be an object"]
    problems = []
    kind = test.get("kind")
    if kind not in KINDS:
        return [f"kind must be one of {', '.join(KINDS)} (got {kind!r})"]
    allowed = COMMON_TEST_KEYS | KIND_KEYS[kind]
    missing = sorted(k for k in allowed if k not in test)
    unknown = sorted(k for k in test if k not in allowed)
    if missing:
        problems.append(f"missing field(s) for a {kind} test: {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown field(s) for a {kind} test: {', '.join(unknown)}")

    if "visible" in test and not isinstance(test["visible"], bool):
        problems.append("visible must be true or false")
    if test.get("visible") is False and kind == "assert":
        problems.append("hidden tests must be 'call' or 'stdio', not 'assert'")
    if "points" in test and not (is_int(test["points"]) and 1 <= test["points"] <= 100):
        problems.append(f"points must be an integer 1-100 (got {test['points']!r})")
    if "timeLimitMs" in test and not (
        is_int(test["timeLimitMs"]) and 100 <= test["timeLimitMs"] <= 10000
    ):
        problems.append(f"timeLimitMs must be an integer 100-10000 (got {test['timeLimitMs']!r})")

    if kind == "call":
        expr = test.get("expression")
        if "expression" in test:
            if not isinstance(expr, str) or not expr.strip():
                problems.append("expression must be a non-empty string")
            else:
                err = compile_error(expr, "eval", "<expression>")
                if err:
                    problems.append(f"expression is not a valid Python expression: {err}")
        if "expected" in test:
            if not isinstance(test["expected"], str):
                problems.append("expected must be a string holding JSON text")
            else:
                try:
                    json.loads(test["expected"])
                except ValueError as exc:
                    problems.append(f"expected is not valid JSON: {exc}")
    elif kind == "stdio":
        for key in ("stdin", "expectedStdout"):
            if key in test and not isinstance(test[key], str):
                problems.append(f"{key} must be a string")
    else:
        if "code" in test:
            if not isinstance(test["code"], str) or not test["code"].strip():
                problems.append("code must be a non-empty string")
            else:
                err = compile_error(test["code"], "exec", "<assert>")
                if err:
                    problems.append(f"code is not valid Python: {err}")
    return problems


def validate_challenge(ch, index: int, seen_slugs: set) -> tuple[str, list[str]]:
    """Return (label, challenge-level problems)."""
    if not isinstance(ch, dict):
        return f"challenges[{index}]", ["challenge must be an object"]
    slug = ch.get("slug")
    label = slug if isinstance(slug, str) and slug else f"challenges[{index}]"
    problems = []

    missing = sorted(k for k in CHALLENGE_KEYS if k not in ch)
    unknown = sorted(k for k in ch if k not in CHALLENGE_KEYS)
    if missing:
        problems.append(f"missing field(s): {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown field(s): {', '.join(unknown)}")

    if "slug" in ch:
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            problems.append(f"slug must be kebab-case (got {slug!r})")
        elif slug in seen_slugs:
            problems.append(f"duplicate slug {slug!r} (challenges[{index}])")
        else:
            seen_slugs.add(slug)

    title = ch.get("title")
    if "title" in ch and not (isinstance(title, str) and 3 <= len(title) <= 120 and title.strip()):
        problems.append("title must be a string of 3-120 characters")

    prompt = ch.get("prompt")
    if "prompt" in ch:
        if not (isinstance(prompt, str) and 20 <= len(prompt) <= 5000):
            problems.append("prompt must be a string of 20-5000 characters")
        elif "```python" not in prompt:
            problems.append("prompt must contain a fenced ```python block")

    for key in ("starterCode", "referenceSolution"):
        if key in ch:
            src = ch[key]
            if not isinstance(src, str) or not src.strip():
                problems.append(f"{key} must be a non-empty string")
            else:
                err = compile_error(src, "exec", f"<{key}>")
                if err:
                    problems.append(f"{key} is not valid Python: {err}")

    tags = ch.get("tags")
    if "tags" in ch:
        if not (isinstance(tags, list) and 1 <= len(tags) <= 6):
            problems.append("tags must be a list of 1-6 tags")
        else:
            bad = [t for t in tags if not (isinstance(t, str) and TAG_RE.match(t))]
            if bad:
                problems.append(f"tags must be lowercase words (bad: {bad!r})")
            elif len(set(tags)) != len(tags):
                problems.append("tags must not repeat")
            elif not any(t in TOPIC_TAGS for t in tags):
                problems.append(f"tags must include at least one topic: {', '.join(TOPIC_TAGS)}")

    if "difficulty" in ch and ch["difficulty"] not in DIFFICULTIES:
        problems.append(
            f"difficulty must be one of {', '.join(DIFFICULTIES)} (got {ch['difficulty']!r})"
        )

    tests = ch.get("tests")
    if "tests" in ch:
        if not isinstance(tests, list):
            problems.append("tests must be a list")
        else:
            if not 3 <= len(tests) <= 10:
                problems.append(f"must have 3-10 tests (has {len(tests)})")
            visible = [t for t in tests if isinstance(t, dict) and t.get("visible") is True]
            hidden = [t for t in tests if isinstance(t, dict) and t.get("visible") is False]
            if not visible:
                problems.append("needs at least one visible test")
            if not hidden:
                problems.append("needs at least one hidden test")
    return label, problems


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
def check(path: str) -> tuple[int, int, list[dict]]:
    failures: list[dict] = []
    passed = 0

    def fail(slug, test, message):
        failures.append({"slug": slug, "test": test, "message": message})

    try:
        with open(path, encoding="utf-8") as f:
            catalog = json.load(f)
    except (OSError, ValueError) as exc:
        fail(None, None, f"cannot read catalog {path}: {exc}")
        return 0, len(failures), failures

    if not isinstance(catalog, dict):
        fail(None, None, "catalog must be a JSON object")
        return 0, len(failures), failures
    if catalog.get("format") != FORMAT:
        fail(None, None, f"format must be {FORMAT!r} (got {catalog.get('format')!r})")
    if not (isinstance(catalog.get("catalog"), str) and catalog["catalog"].strip()):
        fail(None, None, "catalog name must be a non-empty string")
    unknown = sorted(k for k in catalog if k not in CATALOG_KEYS)
    if unknown:
        fail(None, None, f"unknown top-level field(s): {', '.join(unknown)}")
    challenges = catalog.get("challenges")
    if not (isinstance(challenges, list) and challenges):
        fail(None, None, "challenges must be a non-empty list")
        return 0, len(failures), failures

    seen: set = set()
    # Per test: (label, index, problems or None, future)
    entries = []
    starter_jobs = []  # (label, future)
    workers = max(1, min(8, os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for ci, ch in enumerate(challenges):
            label, problems = validate_challenge(ch, ci, seen)
            for message in problems:
                fail(label, None, message)
            if not isinstance(ch, dict) or not isinstance(ch.get("tests"), list):
                continue
            ref = ch.get("referenceSolution")
            ref_ok = isinstance(ref, str) and compile_error(ref, "exec", "<ref>") is None
            runnable = []
            for ti, test in enumerate(ch["tests"]):
                test_problems = validate_test(test)
                if test_problems:
                    entries.append((label, ti, test_problems, None))
                    continue
                runnable.append(test)
                if ref_ok:
                    entries.append((label, ti, None, pool.submit(run_test, ref, test)))
                else:
                    entries.append((label, ti, ["reference solution is missing or invalid"], None))
            starter = ch.get("starterCode")
            if runnable and isinstance(starter, str) and compile_error(starter, "exec", "<s>") is None:
                starter_jobs.append((label, pool.submit(starter_fails_somewhere, starter, runnable)))

        for label, ti, problems, future in entries:
            if problems:
                fail(label, ti, "; ".join(problems))
                continue
            message = future.result()
            if message is None:
                passed += 1
            else:
                fail(label, ti, "reference solution failed: " + message)
        for label, future in starter_jobs:
            if not future.result():
                fail(label, None, "starter code passes every test (it must fail at least one)")

    return passed, len(failures), failures


def starter_fails_somewhere(starter: str, tests: list) -> bool:
    for test in tests:
        if run_test(starter, test) is not None:
            return True
    return False


def main(argv=None) -> int:
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "catalog", "starter.json")
    parser = argparse.ArgumentParser(description="Check a Chalkroom challenge catalog.")
    parser.add_argument("path", nargs="?", default=default, help="catalog JSON file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        sys.stdout.reconfigure(errors="backslashreplace")
    except (AttributeError, ValueError):
        pass

    passed, failed, failures = check(args.path)
    if args.json:
        print(json.dumps({"passed": passed, "failed": failed, "failures": failures},
                         ensure_ascii=False))
    else:
        for f in failures:
            where = f["slug"] if f["slug"] is not None else "catalog"
            if f["test"] is not None:
                where += f" tests[{f['test']}]"
            print(f"FAIL {where}: {f['message']}")
        print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
