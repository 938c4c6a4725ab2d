"""Runs one test of a submission inside a Pyodide interpreter, the way seed/check_catalog.py runs it in a
fresh `python3 -I -S` process: the solution is executed in a fresh globals dict per test (module name
"solution" for call and assert tests, "__main__" for stdio tests), and errors are described like the
checker's `describe`. Only raw outcomes leave this module; expected values never enter the interpreter.

This module is imported before the memory snapshot is taken, so every interpreter starts with it loaded.
The worker calls `install(seed)` once after Pyodide wired the standard streams, then `run_test()` per
test. `to_jsonable` and `describe` are the checker's own, unchanged.
"""

import builtins
import json
import os
import random
import sys
import traceback

_state = {}


def _refuse_system(command):
    # Emscripten implements os.system with a host shell; the grader process may not spawn anything, and
    # a denied spawn would kill the interpreter. Say so as an ordinary Python error instead.
    raise PermissionError("os.system is not available in the grader")


os.system = _refuse_system


def install(seed):
    _state["recursion_limit"] = sys.getrecursionlimit()
    # Every interpreter is restored from the same snapshot; separate processes would not share a seed.
    # The seed comes from the grader (os.urandom here would cost ~25 ms of first-use crypto per worker).
    random.seed(seed)


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


def _fresh_streams():
    # A new process in the checker gets new standard streams; here each test gets new text layers over
    # file descriptors 0, 1 and 2, whose bytes the worker feeds (stdin) and captures (stdout, stderr).
    sys.stdin = open(0, "r", encoding="utf-8", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False, errors="backslashreplace")


def _flush_streams():
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except BaseException:
            pass


def _exit_status(code):
    """The process exit status CPython would report for SystemExit(code), and what it prints to stderr."""
    if code is None:
        return 0, ""
    if isinstance(code, int):
        return (code & 0xFF if -(2**63) <= code < 2**63 else 255), ""
    return 1, str(code)


def _run_module(mode, source, text):
    sources = {"<solution>": source}
    g = {"__name__": "solution"}
    try:
        exec(compile(source, "<solution>", "exec"), g)
    except BaseException as exc:
        return ("error", "solution raised while loading: " + describe(exc, sources))

    if mode == "call":
        sources["<expression>"] = text
        try:
            value = eval(compile(text, "<expression>", "eval"), g)
        except BaseException as exc:
            return ("error", "raised " + describe(exc, sources))
        try:
            value = to_jsonable(value)
            encoded = json.dumps(value)
        except Exception as exc:
            return ("error", str(exc))
        return ("value", encoded)

    sources["<assert>"] = text
    try:
        exec(compile(text, "<assert>", "exec"), g)
    except BaseException as exc:
        return ("error", "raised " + describe(exc, sources))
    return ("completed", "")


def _run_program(source):
    sources = {"<solution>": source}
    g = {"__name__": "__main__", "__builtins__": builtins}
    try:
        exec(compile(source, "<solution>", "exec"), g)
    except SystemExit as exc:
        status, message = _exit_status(exc.code)
        if message:
            print(message, file=sys.stderr)
        return ("exit", status, message)
    except BaseException as exc:
        traceback.print_exception(exc)
        return ("exit", 1, describe(exc, sources))
    return ("exit", 0, "")


def run_test(mode, source, text):
    """mode: "call" (text is the expression), "assert" (text is the snippet) or "stdio".

    Returns ("value", json_text) | ("completed", "") | ("error", message) | ("exit", status, message).
    """
    sys.setrecursionlimit(_state["recursion_limit"])
    _fresh_streams()
    try:
        if mode == "stdio":
            return _run_program(source)
        return _run_module(mode, source, text)
    finally:
        _flush_streams()
