// The wire protocol between the launcher (in the web server or queue worker) and the sandboxed grader
// process: one JSON object per line, launcher → grader on the grader's stdin, grader → launcher on file
// descriptor 3. Node's own IPC channel is not used because it parses the child's bytes itself and throws
// in the parent on a malformed message; here every line from the sandbox is untrusted input that is
// size-checked, parsed and validated before anything reads it.
//
// The grader never receives an expected value: per test it gets what to run and answers with a raw
// outcome, which the launcher compares (compare.ts).
import { z } from "zod";

export const MAX_CODE_CHARS = 100_000;
export const MAX_TEST_TEXT_CHARS = 100_000;
export const MAX_TESTS_PER_JOB = 50;
/** Bytes a test may write to stdout and stderr together before it is stopped. */
export const OUTPUT_LIMIT_BYTES = 1024 * 1024;
/** Characters of a returned value's JSON text. */
export const MAX_VALUE_CHARS = 1024 * 1024;
export const MAX_MESSAGE_CHARS = 2_000;
/** A line longer than this from the sandbox is a protocol violation (the largest valid one is ~6 MiB of escaped output). */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

const Id = z.string().uuid();
const TimeLimitMs = z.number().int().min(1).max(60_000);

export const SandboxTestRequest = z.discriminatedUnion("kind", [
  z.object({ requestId: Id, kind: z.literal("call"), expression: z.string().max(MAX_TEST_TEXT_CHARS), timeLimitMs: TimeLimitMs }),
  z.object({ requestId: Id, kind: z.literal("stdio"), stdin: z.string().max(MAX_TEST_TEXT_CHARS), timeLimitMs: TimeLimitMs }),
  z.object({ requestId: Id, kind: z.literal("assert"), code: z.string().max(MAX_TEST_TEXT_CHARS), timeLimitMs: TimeLimitMs }),
]);
export type SandboxTestRequest = z.infer<typeof SandboxTestRequest>;

export const LauncherMessage = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("grade"),
    jobId: Id,
    code: z.string().max(MAX_CODE_CHARS),
    tests: z.array(SandboxTestRequest).min(1).max(MAX_TESTS_PER_JOB),
  }),
]);
export type LauncherMessage = z.infer<typeof LauncherMessage>;

const Message = z.string().max(MAX_MESSAGE_CHARS);
const Output = z.string().max(OUTPUT_LIMIT_BYTES);

// What running one test produced, before any comparison.
// call test: the value converted to JSON text by the harness
export const ValueOutcome = z.object({ kind: z.literal("value"), json: z.string().max(MAX_VALUE_CHARS) });
// assert test: the snippet ran without raising
export const CompletedOutcome = z.object({ kind: z.literal("completed") });
// stdio test: the program ended with this exit status (message describes a non-zero one)
export const ExitOutcome = z.object({ kind: z.literal("exit"), status: z.number().int().min(0).max(255), message: Message, stdout: Output });
// call or assert test: the solution, expression or snippet raised (or the value is not JSON-compatible)
export const ErrorOutcome = z.object({ kind: z.literal("error"), message: Message });
// the interpreter died during the test (a fatal Pyodide error, or its worker exited)
export const CrashedOutcome = z.object({ kind: z.literal("crashed"), message: Message });

export const RawOutcome = z.discriminatedUnion("kind", [
  ValueOutcome,
  CompletedOutcome,
  ExitOutcome,
  ErrorOutcome,
  CrashedOutcome,
  z.object({ kind: z.literal("timeout") }),
  z.object({ kind: z.literal("memory") }),
  z.object({ kind: z.literal("output-limit"), stdout: Output }),
  // the interpreter broke the worker protocol: fails the whole submission
  z.object({ kind: z.literal("violation"), message: Message }),
]);
export type RawOutcome = z.infer<typeof RawOutcome>;

export const GraderMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("outcome"), jobId: Id, requestId: Id, durationMs: z.number().min(0).max(600_000), outcome: RawOutcome }),
  z.object({ type: z.literal("done"), jobId: Id }),
]);
export type GraderMessage = z.infer<typeof GraderMessage>;

export function encodeLine(message: LauncherMessage | GraderMessage): string {
  return JSON.stringify(message) + "\n";
}

/**
 * Splits a byte stream into lines of at most `maxBytes`. A longer line calls `onOverflow` once and the
 * reader stops: the stream can no longer be trusted to be in step.
 */
export function createLineReader(maxBytes: number, onLine: (line: string) => void, onOverflow: () => void): (chunk: Buffer) => void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let broken = false;
  return (chunk) => {
    if (broken) return;
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      if (pendingBytes + piece.length > maxBytes) {
        broken = true;
        onOverflow();
        return;
      }
      const line = pending.length ? Buffer.concat([...pending, piece]).toString("utf8") : piece.toString("utf8");
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
      onLine(line);
    }
    const rest = chunk.subarray(start);
    if (pendingBytes + rest.length > maxBytes) {
      broken = true;
      onOverflow();
      return;
    }
    if (rest.length) {
      pending.push(Buffer.from(rest));
      pendingBytes += rest.length;
    }
  };
}

/** Parses one line as JSON and validates it; undefined when it is not a valid message. */
export function parseLine<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, line: string): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
