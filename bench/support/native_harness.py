"""The grading benchmark's native anchor: one `python3 -I -S` process per submission runs every test.

stdin: {"code": str, "tests": [{"kind": "CALL"|"STDIO"|"ASSERT", "expression"?, "stdin"?, "code"?}]}
stdout: a JSON list of raw outcomes, in the shapes the Pyodide grader's interpreter reports, so the
benchmark compares them with the same code. Unsandboxed: it is a speed reference, nothing more.
"""
import io
import json
import sys


def run(code, test):
    if test["kind"] == "STDIO":
        real_in, real_out = sys.stdin, sys.stdout
        sys.stdin, sys.stdout = io.StringIO(test["stdin"]), io.StringIO()
        status = 0
        try:
            exec(compile(code, "main.py", "exec"), {"__name__": "__main__"})
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException:
            status = 1
        finally:
            stdout = sys.stdout.getvalue()
            sys.stdin, sys.stdout = real_in, real_out
        return {"kind": "exit", "status": status, "message": "", "stdout": stdout}
    scope = {"__name__": "solution"}
    try:
        exec(compile(code, "main.py", "exec"), scope)
        if test["kind"] == "CALL":
            return {"kind": "value", "json": json.dumps(eval(test["expression"], scope))}
        exec(test["code"], scope)
        return {"kind": "completed"}
    except BaseException as error:
        return {"kind": "error", "message": f"{type(error).__name__}: {error}"}


job = json.load(sys.stdin)
json.dump([run(job["code"], t) for t in job["tests"]], sys.stdout)
