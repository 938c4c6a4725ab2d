// The messages between a page and its Python runner worker (workers/python-runner.worker.ts), and the
// layout of the shared memory they use. Both sides validate what they receive.
import { z } from "zod";

/** The name the harness (runner_harness.py) runs under: its frames are left out of tracebacks. */
export const HARNESS_FILENAME = "chalkroom_runner.py";
/** Output a single run may print; past it the program keeps running but its output is dropped. */
export const OUTPUT_LIMIT_BYTES = 200 * 1024;
/** How long Stop waits for the program to give in to the interrupt before the worker is replaced. */
export const STOP_GRACE_MS = 2_000;

// Shared memory for input(): an Int32 state, an Int32 byte length, then the UTF-8 bytes of one answer.
// The worker sets WAITING and sleeps on the state (Atomics.wait); the page writes LINE or END_OF_INPUT and
// wakes it. Stop answers END_OF_INPUT after raising the interrupt, so a waiting program stops at once.
export const STDIN_STATE = 0;
export const STDIN_LENGTH = 1;
export const STDIN_HEADER_BYTES = 8;
export const STDIN_CAPACITY_BYTES = 64 * 1024;
export const StdinState = { WAITING: 0, LINE: 1, END_OF_INPUT: 2 } as const;
/** Pyodide's interrupt buffer: writing SIGINT (2) raises KeyboardInterrupt at the next bytecode boundary. */
export const SIGINT = 2;

const sharedBuffer = z.custom<SharedArrayBuffer>((value) => typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer, "a SharedArrayBuffer");

export const RunnerCommand = z.discriminatedUnion("type", [
  /** First message: the shared memory, or nulls when the page is not cross-origin isolated. */
  z.object({ type: z.literal("start"), interrupt: sharedBuffer.nullable(), stdin: sharedBuffer.nullable() }),
  z.object({ type: z.literal("run"), runId: z.number().int(), code: z.string() }),
]);
export type RunnerCommand = z.infer<typeof RunnerCommand>;

export const OutputChunk = z.object({ stream: z.enum(["stdout", "stderr"]), text: z.string() });
export type OutputChunk = z.infer<typeof OutputChunk>;

/** How a run ended. The traceback names the program `main.py` and holds only the program's own frames. */
export const RunOutcome = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("completed") }),
  z.object({ kind: z.literal("error"), traceback: z.string() }),
  z.object({ kind: z.literal("stopped") }),
  z.object({ kind: z.literal("exited"), code: z.number().int() }),
]);
export type RunOutcome = z.infer<typeof RunOutcome>;

export const RunnerEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), loadMs: z.number() }),
  z.object({ type: z.literal("load-failed"), message: z.string() }),
  z.object({ type: z.literal("output"), runId: z.number().int(), chunks: z.array(OutputChunk) }),
  z.object({ type: z.literal("output-limited"), runId: z.number().int() }),
  z.object({ type: z.literal("input-requested"), runId: z.number().int() }),
  z.object({ type: z.literal("finished"), runId: z.number().int(), outcome: RunOutcome, elapsedMs: z.number() }),
  /** The interpreter broke (not the program): the worker is unusable and must be replaced. */
  z.object({ type: z.literal("crashed"), message: z.string() }),
]);
export type RunnerEvent = z.infer<typeof RunnerEvent>;
