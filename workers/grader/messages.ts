// Messages between the grader process's main thread and its interpreter worker threads. A worker runs
// student code, so everything it posts is validated before the main thread acts on it.
import { z } from "zod";
import { SnapshotLayout } from "./compact-snapshot.ts";
import { CompletedOutcome, CrashedOutcome, ErrorOutcome, ExitOutcome, MAX_TEST_TEXT_CHARS, MAX_CODE_CHARS, OUTPUT_LIMIT_BYTES, ValueOutcome } from "../../server/grading/protocol.ts";

export const WorkerData = z.object({
  /** "snapshot" loads Pyodide cold, imports the harness and common modules, and posts a memory snapshot. */
  mode: z.enum(["snapshot", "interpreter"]),
  pyodideDir: z.string(),
  /** The `info` object of pyodide-lock.json (its ABI version is checked at load). */
  lockInfo: z.record(z.unknown()),
  wasmModule: z.instanceof(WebAssembly.Module),
  /** The compact snapshot (compact-snapshot.ts) an interpreter starts from: this worker's own copy. */
  snapshot: z.instanceof(ArrayBuffer).optional(),
  snapshotLayout: SnapshotLayout.optional(),
  interruptBuffer: z.instanceof(SharedArrayBuffer).optional(),
  memoryLimitBytes: z.number().int().positive(),
  /** Seeds Python's random module, which the snapshot would otherwise start identically everywhere. */
  randomSeed: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** V8's code cache for the worker body (worker-loader.ts); each worker gets its own copy. */
  codeCache: z.instanceof(ArrayBuffer).optional(),
  /** Post a code cache once ready (only when the snapshot is made, never with student code). */
  makeCodeCache: z.boolean().optional(),
});
export type WorkerData = z.infer<typeof WorkerData>;

// Every message a worker sends about a test carries the nonce of that test's request. Student code in the
// worker cannot read it (it lives in the worker module's own scope), so a message forged through an escape
// to JavaScript is a protocol violation rather than an answer.
const Nonce = z.string().uuid();

export const RunRequest = z.object({
  type: z.literal("run"),
  nonce: Nonce,
  mode: z.enum(["call", "assert", "stdio"]),
  source: z.string().max(MAX_CODE_CHARS),
  /** The expression (call) or snippet (assert); empty for stdio. */
  text: z.string().max(MAX_TEST_TEXT_CHARS),
  stdin: z.string().max(MAX_TEST_TEXT_CHARS),
});
export type RunRequest = z.infer<typeof RunRequest>;

export const InterpreterOutcome = z.discriminatedUnion("kind", [ValueOutcome, CompletedOutcome, ExitOutcome, ErrorOutcome, CrashedOutcome]);
export type InterpreterOutcome = z.infer<typeof InterpreterOutcome>;

export const WorkerMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("snapshot"), snapshot: z.instanceof(ArrayBuffer) }),
  z.object({ type: z.literal("code-cache"), cache: z.instanceof(ArrayBuffer) }),
  // alive: the interpreter can run another test (false after a fatal error or os._exit)
  z.object({ type: z.literal("result"), nonce: Nonce, outcome: InterpreterOutcome, alive: z.boolean() }),
  // posted while a test runs: WebAssembly memory growth past the cap was refused
  z.object({ type: z.literal("memory-limit"), nonce: Nonce }),
  // posted while a test runs: stdout and stderr passed OUTPUT_LIMIT_BYTES; stdout is what was kept
  z.object({ type: z.literal("output-limit"), nonce: Nonce, stdout: z.string().max(OUTPUT_LIMIT_BYTES) }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;
