// Turns a raw outcome from the sandbox into a verdict, with the comparison rules and messages of
// seed/check_catalog.py. This runs in the launcher: expected values never reach the sandbox.
import { OUTPUT_LIMIT_BYTES, type RawOutcome } from "./protocol.ts";
import { dumpPythonJson, parsePythonJson, pythonJsonEqual, type PyJson } from "./python-json.ts";
import type { GradeTest, TestOutcome, Verdict } from "./types.ts";

/** Longest expected or actual text kept in a visible test's outcome. */
export const DISPLAY_LIMIT_CHARS = 10_000;

export type Judgement = { outcome: TestOutcome } | { violation: string };

// str.isspace() in Python, which str.rstrip() strips.
const PYTHON_TRAILING_SPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/;

/** normalise_stdout: CRLF to LF, lines right-stripped, trailing empty lines dropped. */
export function normaliseStdout(text: string): string[] {
  const lines = text.replaceAll("\r\n", "\n").split("\n").map((line) => line.replace(PYTHON_TRAILING_SPACE, ""));
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function shorten(text: string, limit = 160): string {
  const chars = Array.from(text);
  return chars.length <= limit ? text : chars.slice(0, limit - 3).join("") + "...";
}

const show = (value: PyJson): string => shorten(dumpPythonJson(value));

function display(text: string, truncatedNotice?: string): string {
  if (truncatedNotice) return text.slice(0, DISPLAY_LIMIT_CHARS) + `\n… [${truncatedNotice}]`;
  if (text.length <= DISPLAY_LIMIT_CHARS) return text;
  return text.slice(0, DISPLAY_LIMIT_CHARS) + `\n… [${text.length - DISPLAY_LIMIT_CHARS} more characters not shown]`;
}

function stdoutDifference(got: string[], want: string[]): string {
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    const g = i < got.length ? got[i] : null;
    const w = i < want.length ? want[i] : null;
    if (g !== w) return `stdout differs at line ${i + 1}: expected ${show(w)}, got ${show(g)} (expected ${want.length} line(s), got ${got.length})`;
  }
  return "stdout differs";
}

type Details = { verdict: Verdict; expected?: string; actual?: string; message?: string };

/** A hidden test's outcome is built from the verdict alone, so nothing else can leak by accident. */
function outcomeOf(test: GradeTest, durationMs: number, details: Details): TestOutcome {
  const base = { testId: test.id, verdict: details.verdict, points: details.verdict === "PASSED" ? test.points : 0, durationMs: Math.round(durationMs) };
  if (!test.visible) return { ...base, visible: false };
  const visible: TestOutcome = { ...base, visible: true };
  if (details.expected !== undefined) visible.expected = details.expected;
  if (details.actual !== undefined) visible.actual = details.actual;
  if (details.message !== undefined) visible.message = details.message;
  return visible;
}

function expectedText(test: GradeTest): string | undefined {
  if (test.kind === "CALL") {
    const parsed = parsePythonJson(test.expected);
    return parsed.ok ? display(dumpPythonJson(parsed.value)) : display(test.expected);
  }
  if (test.kind === "STDIO") return display(test.expectedStdout);
  return undefined;
}

const mebibytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

export function judge(test: GradeTest, raw: RawOutcome, durationMs: number, limits: { memoryLimitMb: number }): Judgement {
  const expected = expectedText(test);
  const done = (details: Details): Judgement => ({ outcome: outcomeOf(test, durationMs, details) });

  switch (raw.kind) {
    case "violation":
      return { violation: raw.message };
    case "timeout":
      return done({ verdict: "TIMEOUT", expected, message: `timed out after ${test.timeLimitMs} ms` });
    case "memory":
      return done({ verdict: "MEMORY", expected, message: `ran out of memory (the limit is ${limits.memoryLimitMb} MiB)` });
    case "output-limit":
      return done({
        verdict: "ERROR",
        expected,
        actual: display(raw.stdout, `output truncated: more than ${mebibytes(OUTPUT_LIMIT_BYTES)} written`),
        message: `output limit exceeded: the program wrote more than ${mebibytes(OUTPUT_LIMIT_BYTES)} to stdout and stderr`,
      });
    case "crashed":
      return done({ verdict: "ERROR", expected, message: shorten(`the interpreter crashed: ${raw.message}`, 300) });
    case "error":
      if (test.kind === "STDIO") return { violation: "an error outcome for a stdio test" };
      return done({ verdict: "ERROR", expected, message: shorten(raw.message, 300) });
    case "value": {
      if (test.kind !== "CALL") return { violation: "a value for a test that is not a call" };
      const actual = parsePythonJson(raw.json);
      const wanted = parsePythonJson(test.expected);
      if (!actual.ok) return { violation: `an unreadable value (${actual.error})` };
      if (!wanted.ok) throw new Error(`test ${test.id}: expected is not JSON (${wanted.error})`);
      const actualText = display(dumpPythonJson(actual.value));
      if (pythonJsonEqual(actual.value, wanted.value)) return done({ verdict: "PASSED", expected, actual: actualText });
      return done({ verdict: "FAILED", expected, actual: actualText, message: `${test.expression} -> expected ${show(wanted.value)}, got ${show(actual.value)}` });
    }
    case "completed":
      if (test.kind !== "ASSERT") return { violation: "a completion for a test that is not an assert" };
      return done({ verdict: "PASSED" });
    case "exit": {
      if (test.kind !== "STDIO") return { violation: "an exit status for a test that is not stdio" };
      const actual = display(raw.stdout);
      if (raw.status !== 0) {
        const detail = raw.message ? `: ${raw.message}` : "";
        return done({ verdict: "ERROR", expected, actual, message: shorten(`program exited with code ${raw.status}${detail}`, 300) });
      }
      const got = normaliseStdout(raw.stdout);
      const want = normaliseStdout(test.expectedStdout);
      if (got.length === want.length && got.every((line, i) => line === want[i])) return done({ verdict: "PASSED", expected, actual });
      return done({ verdict: "FAILED", expected, actual, message: stdoutDifference(got, want) });
    }
  }
}

/** Every test not yet graded when the submission as a whole failed. */
export function failRemaining(tests: GradeTest[], message: string): TestOutcome[] {
  return tests.map((test) => outcomeOf(test, 0, { verdict: "ERROR", message }));
}
