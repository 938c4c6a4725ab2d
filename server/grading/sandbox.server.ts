// The launcher and supervisor of the grading sandbox. It runs in the calling process (web server or queue
// worker) and never runs student code itself: it starts the grader process (workers/grader/process.ts)
// sandboxed, sends it submissions without expected values, validates every line it answers, compares
// outcomes against the tests (compare.ts), and restarts it when it dies.
//
// A grader that dies or misbehaves fails only the submission it was running: every submission in flight
// at the time is retried alone on the restarted process, and one that brings the grader down twice gets
// the "grader crashed" verdict.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import { loadConfig } from "~/utils/config.server.ts";
import { ensureGraderBundle, type GraderBundle } from "./bundle.server.ts";
import { failRemaining, judge } from "./compare.ts";
import { chooseIsolation, sandboxedNodeCommand, type Isolation } from "./isolation.server.ts";
import { discardSnapshot, ensureSnapshot, type StartingPoint } from "./snapshot.server.ts";
import { createLineReader, encodeLine, GraderMessage, MAX_CODE_CHARS, MAX_LINE_BYTES, parseLine, type LauncherMessage, type SandboxTestRequest } from "./protocol.ts";
import { GradeJob, type GradeResult, type GradeTest, type Grader, type GraderOptions, type GraderStats, type TestOutcome } from "./types.ts";

/** How long past a test's own time limit the grader may take to answer before it counts as hung. */
const PROGRESS_GRACE_MS = 10_000;
const START_TIMEOUT_MS = 60_000;
const STDERR_TAIL_CHARS = 4_000;
const MAX_RESTART_DELAY_MS = 30_000;

const CRASHED = "grader crashed";
const VIOLATION = "protocol violation";
// The grader process starts with nothing from the server's environment (secrets, database URLs).
const EMPTY_ENVIRONMENT = {} as NodeJS.ProcessEnv;

function testRequest(test: GradeTest, requestId: string): SandboxTestRequest {
  if (test.kind === "CALL") return { requestId, kind: "call", expression: test.expression, timeLimitMs: test.timeLimitMs };
  if (test.kind === "STDIO") return { requestId, kind: "stdio", stdin: test.stdin, timeLimitMs: test.timeLimitMs };
  return { requestId, kind: "assert", code: test.code, timeLimitMs: test.timeLimitMs };
}

function result(tests: GradeTest[], results: TestOutcome[], error?: string): GradeResult {
  const graded: GradeResult = {
    results,
    score: results.reduce((sum, outcome) => sum + outcome.points, 0),
    maxScore: tests.reduce((sum, test) => sum + test.points, 0),
  };
  if (error !== undefined) graded.error = error;
  return graded;
}

/** One submission while it is queued or graded; a retry gives it fresh ids, so late answers from a dead process cannot match. */
class Submission {
  jobId = "";
  requests: { test: GradeTest; requestId: string }[] = [];
  outcomes: TestOutcome[] = [];
  strikes = 0;
  solo = false;
  settled = false;
  progressTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly job: GradeJob,
    private readonly resolve: (graded: GradeResult) => void,
  ) {
    this.reset();
  }

  reset(): void {
    this.jobId = randomUUID();
    this.requests = this.job.tests.map((test) => ({ test, requestId: randomUUID() }));
    this.outcomes = [];
  }

  message(): LauncherMessage {
    return { type: "grade", jobId: this.jobId, code: this.job.code, tests: this.requests.map(({ test, requestId }) => testRequest(test, requestId)) };
  }

  settle(error?: string, message?: string): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.progressTimer);
    const remaining = this.job.tests.slice(this.outcomes.length);
    this.resolve(result(this.job.tests, [...this.outcomes, ...(error ? failRemaining(remaining, message ?? error) : [])], error));
  }
}

type Launch = {
  isolation: Isolation;
  bundle: GraderBundle;
  pyodideDir: string;
  limits: { spares: number; memoryLimitBytes: number; processMemoryLimitBytes: number };
  memoryLimitMb: number;
  concurrency: number;
};

class SupervisedGrader implements Grader {
  private child: ChildProcess | undefined;
  private ready = false;
  private everReady = false;
  private whenReady: (() => void) | undefined;
  private readonly queue: Submission[] = [];
  private readonly inFlight = new Map<string, Submission>();
  private closing = false;
  private drained: (() => void) | undefined;
  private startFailuresInARow = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly counts = { restarts: 0, crashes: 0, graded: 0 };

  constructor(private readonly launch: Launch) {}

  /** Starts the grader process (making the snapshot first if none is cached); resolves once it has an interpreter ready. */
  async start(): Promise<void> {
    const { isolation, bundle, pyodideDir, limits } = this.launch;
    let startingPoint: StartingPoint;
    try {
      startingPoint = await ensureSnapshot(bundle, pyodideDir, isolation, limits.memoryLimitBytes);
    } catch (error) {
      if (this.everReady) this.scheduleRestart(false);
      throw error;
    }
    const config = { pyodideDir, workerFile: bundle.workerFile, ...startingPoint, ...limits };
    const [command, ...args] = sandboxedNodeCommand(isolation, { readable: [pyodideDir, bundle.dir] }, bundle.processFile, config);
    const child = spawn(command, args, { env: EMPTY_ENVIRONMENT, stdio: ["pipe", "ignore", "pipe", "pipe"] });
    this.child = child;
    this.ready = false;
    let stderrTail = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_CHARS);
    });
    // Writing to a process that just died fails with EPIPE; its exit is handled below.
    child.stdin?.on("error", () => undefined);
    const outcomes = child.stdio[3] as Readable;
    outcomes.on("data", createLineReader(MAX_LINE_BYTES, (line) => this.receive(child, line), () => this.misbehaved(child, "sent an oversized line")));

    return await new Promise((resolve, reject) => {
      const startTimer = setTimeout(() => {
        reject(new Error(`the grader was not ready after ${START_TIMEOUT_MS / 1000} s`));
        child.kill("SIGKILL");
      }, START_TIMEOUT_MS);
      this.whenReady = () => {
        clearTimeout(startTimer);
        resolve();
      };
      child.once("error", (error) => {
        clearTimeout(startTimer);
        reject(error);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(startTimer);
        const wasReady = this.ready;
        if (!wasReady) {
          // A snapshot that does not load would fail every start: make a new one next time.
          discardSnapshot(startingPoint);
          reject(new Error(`the grader exited before it was ready (${signal ?? `exit ${code}`}): ${stderrTail.trim() || "no output"}`));
        }
        this.exited(child, wasReady, `${signal ?? `exit ${code}`}; last output: ${stderrTail.trim() || "none"}`);
      });
    });
  }

  async grade(job: GradeJob): Promise<GradeResult> {
    if (this.closing) throw new Error("the grader is closed");
    const parsed = GradeJob.parse(job);
    if (parsed.code.length > MAX_CODE_CHARS) {
      const message = `the code is longer than ${MAX_CODE_CHARS} characters`;
      return result(parsed.tests, failRemaining(parsed.tests, message), message);
    }
    return await new Promise((resolve) => {
      this.queue.push(new Submission(parsed, (graded) => {
        this.counts.graded++;
        resolve(graded);
      }));
      this.dispatch();
    });
  }

  stats(): GraderStats {
    return {
      ready: this.ready,
      pid: this.child?.pid ?? null,
      isolation: this.launch.isolation.isolation,
      ...this.counts,
      inFlight: this.inFlight.size,
      queued: this.queue.length,
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.queue.length || this.inFlight.size) await new Promise<void>((resolve) => (this.drained = resolve));
    clearTimeout(this.restartTimer);
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin?.end();
    const forced = setTimeout(() => child.kill("SIGKILL"), 2_000);
    await exited;
    clearTimeout(forced);
  }

  private dispatch(): void {
    const child = this.child;
    if (!this.ready || !child) return;
    while (this.queue.length) {
      const running = [...this.inFlight.values()];
      if (running.some((submission) => submission.solo)) return;
      const next = this.queue[0];
      if (next.solo ? running.length > 0 : running.length >= this.launch.concurrency) return;
      this.queue.shift();
      this.inFlight.set(next.jobId, next);
      this.armProgressTimer(child, next);
      child.stdin?.write(encodeLine(next.message()));
    }
  }

  private armProgressTimer(child: ChildProcess, submission: Submission): void {
    clearTimeout(submission.progressTimer);
    const next = submission.requests[submission.outcomes.length];
    if (!next || submission.settled) return;
    const allowedMs = next.test.timeLimitMs + PROGRESS_GRACE_MS;
    submission.progressTimer = setTimeout(() => this.misbehaved(child, `did not answer a test within ${allowedMs} ms`), allowedMs);
  }

  private receive(child: ChildProcess, line: string): void {
    if (child !== this.child) return;
    const message = parseLine(GraderMessage, line);
    if (!message) return this.misbehaved(child, "sent an unreadable message");
    if (message.type === "ready") {
      if (this.ready) return this.misbehaved(child, "said it was ready twice");
      this.ready = true;
      this.everReady = true;
      this.whenReady?.();
      return this.dispatch();
    }
    const submission = this.inFlight.get(message.jobId);
    if (!submission) return this.misbehaved(child, "answered for a submission it is not grading");
    if (message.type === "outcome") {
      if (submission.settled) return;
      const next = submission.requests[submission.outcomes.length];
      if (!next || next.requestId !== message.requestId) {
        submission.settle(VIOLATION, "the grader answered a test it was not running");
        return this.misbehaved(child, "answered out of turn");
      }
      const judgement = judge(next.test, message.outcome, message.durationMs, { memoryLimitMb: this.launch.memoryLimitMb });
      if ("violation" in judgement) return submission.settle(VIOLATION, `the submission broke the grader's protocol: ${judgement.violation}`);
      submission.outcomes.push(judgement.outcome);
      return this.armProgressTimer(child, submission);
    }
    this.inFlight.delete(message.jobId);
    if (submission.outcomes.length === submission.requests.length) submission.settle();
    else submission.settle(VIOLATION, "the grader finished without answering every test");
    this.dispatch();
    this.checkDrained();
  }

  /** The process can no longer be trusted to be in step: stop it; its exit retries what was in flight. */
  private misbehaved(child: ChildProcess, reason: string): void {
    if (child !== this.child) return;
    console.error(`grader: the sandboxed process ${reason}; restarting it`);
    child.kill("SIGKILL");
  }

  private exited(child: ChildProcess, wasReady: boolean, detail: string): void {
    if (child !== this.child) return;
    this.child = undefined;
    this.ready = false;
    const interrupted = [...this.inFlight.values()].filter((submission) => !submission.settled);
    for (const submission of this.inFlight.values()) clearTimeout(submission.progressTimer);
    this.inFlight.clear();
    if (wasReady) {
      this.counts.crashes++;
      console.error(`grader: the sandboxed process stopped (${detail}) with ${interrupted.length} submission(s) in flight`);
    }
    // Retry each interrupted submission alone, so a second crash can only be its own.
    const retries: Submission[] = [];
    for (const submission of interrupted) {
      submission.strikes++;
      if (submission.strikes >= 2) {
        submission.settle(CRASHED, "the grader crashed while running this submission");
        continue;
      }
      submission.reset();
      submission.solo = true;
      retries.push(submission);
    }
    this.queue.unshift(...retries);
    this.checkDrained();
    // Before the first ready, startGrader reports the failure instead; after close, nothing restarts.
    if (!this.everReady || (this.closing && !this.queue.length)) return;
    this.scheduleRestart(wasReady);
  }

  private scheduleRestart(afterReady: boolean): void {
    this.startFailuresInARow = afterReady ? 0 : this.startFailuresInARow + 1;
    const delay = this.startFailuresInARow ? Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** this.startFailuresInARow) : 0;
    this.restartTimer = setTimeout(() => {
      this.counts.restarts++;
      this.start().catch((error: Error) => console.error(`grader: restart failed: ${error.message}`));
    }, delay);
  }

  private checkDrained(): void {
    if (this.drained && !this.queue.length && !this.inFlight.size) this.drained();
  }
}

/** Starts the sandboxed grader; resolves when the first fresh interpreter is ready (it is warm). */
export async function startGrader(options: GraderOptions = {}): Promise<Grader> {
  const concurrency = options.concurrency ?? 2;
  const spares = options.spares ?? 2;
  const memoryLimitMb = options.memoryLimitMb ?? 256;
  const processMemoryLimitMb = options.processMemoryLimitMb ?? 512 + (concurrency + spares) * 160 + concurrency * memoryLimitMb;
  const allowNetwork = options.allowNetwork ?? loadConfig().GRADER_ALLOW_NETWORK === "1";

  const isolation = chooseIsolation(allowNetwork);
  const bundle = await ensureGraderBundle();
  const pyodideDir = realpathSync(dirname(createRequire(import.meta.url).resolve("pyodide/package.json")));
  const limits = { spares, memoryLimitBytes: memoryLimitMb * 1024 * 1024, processMemoryLimitBytes: processMemoryLimitMb * 1024 * 1024 };
  const grader = new SupervisedGrader({ isolation, bundle, pyodideDir, limits, memoryLimitMb, concurrency });
  await grader.start();
  return grader;
}
