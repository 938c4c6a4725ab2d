// The runner's Python harness (runner_harness.py), run in Node's Pyodide exactly as the browser worker
// loads it: how programs end, and tracebacks that show only the student's program.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { loadPyodide, type PyodideAPI } from "pyodide";
import { beforeAll, describe, expect, it } from "vitest";
import { HARNESS_FILENAME, RunOutcome } from "./python-runner.protocol.ts";

const harnessSource = readFileSync(new URL("./runner_harness.py", import.meta.url), "utf8");
let pyodide: PyodideAPI;
let output = "";
let stdinLines: string[] = [];
const interrupt = new Int32Array(new SharedArrayBuffer(4));
let harness: { get(name: string): (...args: unknown[]) => { toJs(options: object): unknown; destroy(): void } };

function run(code: string): { outcome: RunOutcome; output: string } {
  output = "";
  const result = harness.get("run")(code);
  const outcome = RunOutcome.parse(result.toJs({ dict_converter: Object.fromEntries }));
  result.destroy();
  return { outcome, output };
}

beforeAll(async () => {
  pyodide = await loadPyodide({ indexURL: dirname(createRequire(import.meta.url).resolve("pyodide/package.json")) });
  const write = (bytes: Uint8Array) => ((output += new TextDecoder().decode(bytes)), bytes.length);
  pyodide.setStdout({ write });
  pyodide.setStderr({ write });
  pyodide.setStdin({ stdin: () => stdinLines.shift() ?? null });
  pyodide.setInterruptBuffer(interrupt);
  harness = pyodide.globals.get("dict")();
  pyodide.runPython(harnessSource, { globals: harness as never, filename: HARNESS_FILENAME });
  harness.get("configure")(true);
}, 60_000);

describe("the runner harness", () => {
  it("runs a program as __main__ and reports that it completed", () => {
    expect(run('print("hello", __name__)')).toEqual({ outcome: { kind: "completed" }, output: "hello __main__\n" });
  });

  it("gives every run a fresh namespace", () => {
    run("leftover = 1");
    const { outcome } = run("print(leftover)");
    expect(outcome.kind).toBe("error");
    expect(outcome.kind === "error" && outcome.traceback).toContain("NameError: name 'leftover' is not defined");
  });

  it("shows a runtime error with the program's own line numbers and source, and nothing of the harness", () => {
    const { outcome, output } = run('def average(xs):\n    return sum(xs) / len(xs)\n\nprint("before")\nprint(average([]))\n');
    expect(output).toBe("before\n");
    if (outcome.kind !== "error") throw new Error(`expected an error, got ${outcome.kind}`);
    expect(outcome.traceback).toMatch(/^Traceback \(most recent call last\):\n {2}File "main\.py", line 5, in <module>\n {4}print\(average\(\[\]\)\)/);
    expect(outcome.traceback).toContain('File "main.py", line 2, in average\n    return sum(xs) / len(xs)');
    expect(outcome.traceback).toMatch(/ZeroDivisionError: division by zero\n$/);
    expect(outcome.traceback).not.toMatch(new RegExp(`${HARNESS_FILENAME}|_pyodide|exec\\(`));
  });

  it("shows a syntax error at the program's line", () => {
    const { outcome } = run('x = 1\nprint("unclosed"\n');
    if (outcome.kind !== "error") throw new Error(`expected an error, got ${outcome.kind}`);
    expect(outcome.traceback).toMatch(/^ {2}File "main\.py", line 2\n/);
    expect(outcome.traceback).toContain("SyntaxError");
    expect(outcome.traceback).not.toContain(HARNESS_FILENAME);
  });

  it("keeps chained exceptions, each without harness frames", () => {
    const { outcome } = run('try:\n    {}["missing"]\nexcept KeyError as e:\n    raise ValueError("no such key") from e\n');
    if (outcome.kind !== "error") throw new Error(`expected an error, got ${outcome.kind}`);
    expect(outcome.traceback).toContain('File "main.py", line 2, in <module>');
    expect(outcome.traceback).toContain("The above exception was the direct cause of the following exception");
    expect(outcome.traceback).toContain('File "main.py", line 4, in <module>');
    expect(outcome.traceback).not.toContain(HARNESS_FILENAME);
  });

  it("treats sys.exit like CPython does", () => {
    expect(run("import sys\nsys.exit()").outcome).toEqual({ kind: "completed" });
    expect(run("import sys\nsys.exit(3)").outcome).toEqual({ kind: "exited", code: 3 });
    expect(run('import sys\nsys.exit("bye")')).toEqual({ outcome: { kind: "exited", code: 1 }, output: "bye\n" });
  });

  it("answers input() from stdin, after printing its prompt", () => {
    stdinLines = ["Ada\n"];
    expect(run('name = input("Name? ")\nprint("Hi", name)')).toEqual({ outcome: { kind: "completed" }, output: "Name? Hi Ada\n" });
  });

  it("reports a program stopped by the interrupt buffer", () => {
    Atomics.store(interrupt, 0, 2);
    expect(run("while True:\n    pass").outcome).toEqual({ kind: "stopped" });
  });

  it("without shared memory, input() raises an error that says why", () => {
    harness.get("configure")(false);
    const { outcome } = run('input("Name? ")');
    if (outcome.kind !== "error") throw new Error(`expected an error, got ${outcome.kind}`);
    expect(outcome.traceback).toContain('File "main.py", line 1, in <module>');
    expect(outcome.traceback).toContain("RuntimeError: input() is unavailable here: this page is not cross-origin isolated");
    expect(outcome.traceback).not.toContain(HARNESS_FILENAME);
  });
});
