# Runs a student's program in the browser worker: as main.py, in a fresh namespace each run, reporting how
# it ended with a traceback that holds only the program's frames (never this file's).
import builtins
import linecache
import sys
import traceback

PROGRAM = "main.py"
_HARNESS = sys._getframe().f_code.co_filename


def _input_unavailable(prompt=""):
    raise RuntimeError(
        "input() is unavailable here: this page is not cross-origin isolated, so Python cannot wait for "
        "your answer. Programs without input() still run."
    )


def configure(input_available):
    if not input_available:
        builtins.input = _input_unavailable


def _drop_harness_frames(report):
    report.stack = traceback.StackSummary.from_list([f for f in report.stack if f.filename != _HARNESS])
    for linked in (report.__cause__, report.__context__):
        if linked is not None:
            _drop_harness_frames(linked)
    for member in report.exceptions or ():
        _drop_harness_frames(member)


def _traceback(error):
    report = traceback.TracebackException.from_exception(error)
    _drop_harness_frames(report)
    return "".join(report.format())


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def run(code):
    # Tracebacks read source lines through linecache: register the program under its name.
    linecache.cache[PROGRAM] = (len(code), None, code.splitlines(True), PROGRAM)
    sys.argv = [PROGRAM]
    namespace = {"__name__": "__main__", "__file__": PROGRAM, "__builtins__": builtins}
    try:
        exec(compile(code, PROGRAM, "exec"), namespace)
        outcome = {"kind": "completed"}
    except KeyboardInterrupt:
        outcome = {"kind": "stopped"}
    except SystemExit as exit:
        outcome = _exit_outcome(exit.code)
    except BaseException as error:
        outcome = {"kind": "error", "traceback": _traceback(error)}
    _flush()
    return outcome


def _exit_outcome(code):
    # As CPython: sys.exit() and sys.exit(0) succeed, a number is the status, anything else is printed.
    if code is None:
        return {"kind": "completed"}
    if isinstance(code, int):
        return {"kind": "completed"} if code == 0 else {"kind": "exited", "code": code}
    print(code, file=sys.stderr)
    return {"kind": "exited", "code": 1}
