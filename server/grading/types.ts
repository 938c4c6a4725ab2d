import { z } from "zod";
import { MAX_TEST_TEXT_CHARS, MAX_TESTS_PER_JOB } from "./protocol.ts";
import { parsePythonJson } from "./python-json.ts";

const common = {
  id: z.string().min(1).max(200),
  points: z.number().int().min(0).max(1000),
  timeLimitMs: z.number().int().min(1).max(60_000),
};

const ExpectedJson = z
  .string()
  .max(MAX_TEST_TEXT_CHARS)
  .refine((text) => parsePythonJson(text).ok, "expected must be JSON text (as Python's json.loads reads it)");

export const GradeTest = z.discriminatedUnion("kind", [
  z.object({ ...common, kind: z.literal("CALL"), expression: z.string().min(1).max(MAX_TEST_TEXT_CHARS), expected: ExpectedJson, visible: z.boolean() }),
  z.object({ ...common, kind: z.literal("STDIO"), stdin: z.string().max(MAX_TEST_TEXT_CHARS), expectedStdout: z.string().max(MAX_TEST_TEXT_CHARS), visible: z.boolean() }),
  // Assert snippets show their own expectations, so they can only be visible.
  z.object({ ...common, kind: z.literal("ASSERT"), code: z.string().min(1).max(MAX_TEST_TEXT_CHARS), visible: z.literal(true) }),
]);
export type GradeTest = z.infer<typeof GradeTest>;

/** The code is not limited here: code that is too large is the submission's fault and gets verdicts. */
export const GradeJob = z
  .object({ code: z.string(), tests: z.array(GradeTest).min(1).max(MAX_TESTS_PER_JOB) })
  .refine((job) => new Set(job.tests.map((t) => t.id)).size === job.tests.length, "test ids must be unique");
export type GradeJob = z.infer<typeof GradeJob>;

export type Verdict = "PASSED" | "FAILED" | "ERROR" | "TIMEOUT" | "MEMORY";

/**
 * One test's result. `expected`, `actual` and `message` are only ever set for visible tests: a hidden
 * test's outcome carries its verdict and nothing that could reveal its expected value or the output.
 */
export type TestOutcome = {
  testId: string;
  verdict: Verdict;
  points: number;
  durationMs: number;
  visible: boolean;
  expected?: string;
  actual?: string;
  message?: string;
};

export type GradeResult = {
  results: TestOutcome[];
  score: number;
  maxScore: number;
  /** Set when the submission as a whole could not be graded normally (e.g. "grader crashed"). */
  error?: string;
};

export type GraderStats = {
  /** A grader process is running and has an interpreter ready. */
  ready: boolean;
  /** Process id of the sandbox (the `unshare` wrapper when namespaces are used). */
  pid: number | null;
  /** How the sandbox is isolated from the network. */
  isolation: "namespaces" | "network-allowed";
  restarts: number;
  crashes: number;
  inFlight: number;
  queued: number;
  graded: number;
};

export interface Grader {
  /** Resolves with verdicts for whatever the submission does; rejects only for an invalid job (a caller bug) or after close(). */
  grade(job: GradeJob): Promise<GradeResult>;
  stats(): GraderStats;
  /** Waits for queued and running submissions, then stops the sandbox. */
  close(): Promise<void>;
}

export type GraderOptions = {
  /** Submissions graded at the same time (each in its own worker thread). Default 2. */
  concurrency?: number;
  /** Fresh interpreters kept loaded and ready ahead of submissions. Default 2. */
  spares?: number;
  /** Cap on one interpreter's WebAssembly memory. Default 256 MiB. */
  memoryLimitMb?: number;
  /** Cap on the grader process's resident memory, checked every 200 ms. Default computed from the above. */
  processMemoryLimitMb?: number;
  /**
   * Run without a network namespace. Only for containers that already have no network; defaults to
   * GRADER_ALLOW_NETWORK=1 in the environment.
   */
  allowNetwork?: boolean;
};
