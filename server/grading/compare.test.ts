// The launcher's comparison must agree with seed/check_catalog.py: these cases run through both the
// TypeScript port and the checker's own functions (python3), and the answers must be identical.
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { judge, normaliseStdout } from "./compare.ts";
import { createLineReader } from "./protocol.ts";
import { dumpPythonJson, parsePythonJson, pythonJsonEqual } from "./python-json.ts";
import type { GradeTest } from "./types.ts";

const seedDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../seed");

/** Runs `expression` over each case with check_catalog imported as `c`; returns the JSON-encoded answers. */
function checker<T>(cases: unknown[], expression: string): T[] {
  const program = [
    "import json, sys",
    `sys.path.insert(0, ${JSON.stringify(seedDir)})`,
    "import check_catalog as c",
    "def answer(case):",
    "    try:",
    `        return {"ok": ${expression}}`,
    "    except Exception as exc:",
    '        return {"error": type(exc).__name__}',
    "print(json.dumps([answer(case) for case in json.load(sys.stdin)]))",
  ].join("\n");
  return JSON.parse(execFileSync("python3", ["-c", program], { input: JSON.stringify(cases), encoding: "utf8" }));
}

const VALUE_PAIRS: [string, string][] = [
  ["1", "1"], ["1", "1.0"], ["1.0", "1"], ["true", "1"], ["1", "true"], ["false", "0"], ["true", "true"],
  ["0.1", "0.10000000001"], ["0.1", "0.1000001"], ["1e-12", "0"], ["0", "0.0"], ["-0.0", "0.0"],
  ["NaN", "NaN"], ["Infinity", "Infinity"], ["-Infinity", "Infinity"], ["1e400", "Infinity"],
  ["12345678901234567890", "12345678901234567891"], ["12345678901234567890", "12345678901234567890"],
  ["9007199254740993", "9007199254740992"], ["9007199254740993", "9007199254740992.0"],
  [`1${"0".repeat(400)}`, "1e308"], [`1${"0".repeat(400)}`, "Infinity"],
  ["null", "null"], ["null", "0"], ["null", "false"], ['""', "null"],
  ['"a"', '"a"'], ['"a"', '"b"'], ['"1"', "1"], ['"\\u00e9"', '"é"'],
  ["[1, 2]", "[1, 2]"], ["[1, 2]", "[2, 1]"], ["[1]", "[1, 1]"], ["[[1.0, true]]", "[[1, true]]"], ["[]", "{}"],
  ['{"a": 1, "b": 2}', '{"b": 2, "a": 1}'], ['{"a": 1}', '{"a": 1, "b": 2}'], ['{"a": 1, "a": 2}', '{"a": 2}'], ['{"a": [1]}', '{"a": [1.0]}'],
];

const TEXTS = [
  "1", "-0", "1.5", "-0.0", "1e16", "1e15", "123456789012345678.0", "0.0001", "0.00001", "1e-7", "2.5e-05", "1.0e5",
  "3.141592653589793", "1e22", "1e21", "5e-324", "1.7976931348623157e308", "NaN", "-Infinity", "100000000000000000000",
  '"tab\\tnew\\nline\\u0001 quote\\" slash\\\\ é ☃ \\ud83d\\ude00"', '"\\/"', "[]", "{}", '[1, [2, {"k": null}], true, false]',
  '{"z": 1, "a": {"b": [1.25, "x"]}}', ' \n\t[1 ,2]\r ',
];

const NOT_JSON = ["", "01", "1.", ".5", "+1", "[1,]", "{'a': 1}", "nan", "infinity", "[1] [2]", '"unterminated', '"\\x41"', '"a\tb"', "{1: 2}", "tru", "١"];

describe("Python JSON, against check_catalog.py", () => {
  test("equality matches json_equal on every pair", () => {
    const expected = checker<{ ok: boolean }>(VALUE_PAIRS, "c.json_equal(json.loads(case[0]), json.loads(case[1]))");
    const actual = VALUE_PAIRS.map(([a, e]) => {
      const left = parsePythonJson(a);
      const right = parsePythonJson(e);
      if (!left.ok || !right.ok) throw new Error(`cannot parse ${a} or ${e}`);
      return { ok: pythonJsonEqual(left.value, right.value) };
    });
    expect(actual).toEqual(expected);
  });

  test("values print as json.dumps(..., ensure_ascii=False) prints them", () => {
    const expected = checker<{ ok: string }>(TEXTS, "json.dumps(json.loads(case), ensure_ascii=False)");
    const actual = TEXTS.map((text) => {
      const parsed = parsePythonJson(text);
      if (!parsed.ok) throw new Error(`cannot parse ${text}: ${parsed.error}`);
      return { ok: dumpPythonJson(parsed.value) };
    });
    expect(actual).toEqual(expected);
  });

  test("the same texts are rejected as by json.loads", () => {
    const pythonAccepts = checker<{ ok?: unknown; error?: string }>(NOT_JSON, "json.loads(case) is not None or True").map((answer) => "ok" in answer);
    expect(NOT_JSON.map((text) => parsePythonJson(text).ok)).toEqual(pythonAccepts);
    expect(pythonAccepts.every((accepted) => !accepted)).toBe(true);
  });
});

describe("stdout comparison", () => {
  const OUTPUTS = ["a\nb\n", "a  \r\nb\t\r\n\r\n\n", "\n\nx", "", "\n", "x\u00a0\u2003\n y\x1c", "a\rb\r", "trailing\ufeff\n", "é\u3000\n"];

  test("normaliseStdout matches normalise_stdout", () => {
    const expected = checker<{ ok: string[] }>(OUTPUTS, "c.normalise_stdout(case)");
    expect(OUTPUTS.map((text) => ({ ok: normaliseStdout(text) }))).toEqual(expected);
  });

  const stdioTest = (visible: boolean): GradeTest => ({ id: "s", kind: "STDIO", stdin: "", expectedStdout: "*\n* a *\n*\n", visible, points: 3, timeLimitMs: 1000 });
  const limits = { memoryLimitMb: 256 };

  test("a visible stdio test shows expected, actual and the checker's message", () => {
    const judgement = judge(stdioTest(true), { kind: "exit", status: 0, message: "", stdout: "*\n* b *\n" }, 4.2, limits);
    expect(judgement).toEqual({
      outcome: {
        testId: "s", verdict: "FAILED", points: 0, durationMs: 4, visible: true, expected: "*\n* a *\n*\n", actual: "*\n* b *\n",
        message: 'stdout differs at line 2: expected "* a *", got "* b *" (expected 3 line(s), got 2)',
      },
    });
  });

  test("trailing spaces and CRLF do not fail a stdio test", () => {
    const judgement = judge(stdioTest(true), { kind: "exit", status: 0, message: "", stdout: "*  \r\n* a *\r\n*\r\n\r\n" }, 1, limits);
    expect("outcome" in judgement && judgement.outcome.verdict).toBe("PASSED");
  });

  test("a hidden test's outcome has its verdict and nothing else", () => {
    for (const stdout of ["*\n* b *\n", "*\n* a *\n*\n"]) {
      const judgement = judge(stdioTest(false), { kind: "exit", status: 0, message: "", stdout }, 1, limits);
      if (!("outcome" in judgement)) throw new Error("expected an outcome");
      expect(Object.keys(judgement.outcome).sort()).toEqual(["durationMs", "points", "testId", "verdict", "visible"]);
    }
  });

  test("a non-zero exit is an error with the program's message", () => {
    const judgement = judge(stdioTest(true), { kind: "exit", status: 1, message: "ValueError: bad (<solution> line 1: int('x'))", stdout: "" }, 1, limits);
    expect("outcome" in judgement && judgement.outcome).toMatchObject({ verdict: "ERROR", message: "program exited with code 1: ValueError: bad (<solution> line 1: int('x'))" });
  });
});

describe("call comparison", () => {
  const callTest: GradeTest = { id: "c", kind: "CALL", expression: "f(1)", expected: "[1, 2.5]", visible: true, points: 2, timeLimitMs: 1000 };
  const limits = { memoryLimitMb: 256 };

  test("a wrong value fails with the checker's message", () => {
    const judgement = judge(callTest, { kind: "value", json: "[1, 2.4]" }, 1, limits);
    expect("outcome" in judgement && judgement.outcome).toMatchObject({ verdict: "FAILED", points: 0, expected: "[1, 2.5]", actual: "[1, 2.4]", message: "f(1) -> expected [1, 2.5], got [1, 2.4]" });
  });

  test("a close float passes and earns the points", () => {
    const judgement = judge(callTest, { kind: "value", json: "[1.0, 2.5000000000001]" }, 1, limits);
    expect("outcome" in judgement && judgement.outcome).toMatchObject({ verdict: "PASSED", points: 2 });
  });

  test("an outcome that does not fit the test is a protocol violation, never a pass", () => {
    expect(judge(callTest, { kind: "completed" }, 1, limits)).toEqual({ violation: "a completion for a test that is not an assert" });
    expect(judge(callTest, { kind: "value", json: "[1, 2.5" }, 1, limits)).toMatchObject({ violation: expect.stringContaining("unreadable value") });
    expect(judge(callTest, { kind: "exit", status: 0, message: "", stdout: "[1, 2.5]" }, 1, limits)).toMatchObject({ violation: expect.any(String) });
  });
});

describe("line framing of the sandbox's answers", () => {
  test("splits chunks into lines and stops at an oversized one", () => {
    const lines: string[] = [];
    let overflowed = 0;
    const read = createLineReader(8, (line) => lines.push(line), () => overflowed++);
    read(Buffer.from("ab\ncd"));
    read(Buffer.from("ef\n\n"));
    read(Buffer.from("123456789"));
    read(Buffer.from("\nlater\n"));
    expect(lines).toEqual(["ab", "cdef", ""]);
    expect(overflowed).toBe(1);
  });
});
