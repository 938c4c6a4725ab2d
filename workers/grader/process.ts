// The sandboxed grader process. The launcher (server/grading/sandbox.server.ts) starts it under Node's
// permission model, with an empty environment and in new network and PID namespaces, and speaks to it
// over stdin (requests) and file descriptor 3 (outcomes), one JSON line each.
//
// It compiles pyodide.asm.wasm once, reads the memory snapshot and code cache the launcher made
// (make-snapshot.ts), and runs every submission in a fresh interpreter from a pool of spares. Expected values never come here: it only runs what it is told and
// reports raw outcomes.
import { readFileSync } from "node:fs";
import { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import {
  createLineReader,
  encodeLine,
  LauncherMessage,
  MAX_LINE_BYTES,
  parseLine,
  type GraderMessage,
  type SandboxTestRequest,
} from "../../server/grading/protocol.ts";
import { compactSnapshot } from "./compact-snapshot.ts";
import { Interpreter, SparePool, type InterpreterSource } from "./interpreters.ts";
import type { RunRequest } from "./messages.ts";
import { loadRuntime } from "./runtime.ts";

const LaunchConfig = z.object({
  pyodideDir: z.string(),
  workerFile: z.string(),
  snapshotFile: z.string(),
  codeCacheFile: z.string(),
  spares: z.number().int().min(1).max(16),
  memoryLimitBytes: z.number().int().positive(),
  processMemoryLimitBytes: z.number().int().positive(),
});
const config = LaunchConfig.parse(JSON.parse(process.argv[2] ?? "null"));
const workerFile = new URL(`file://${config.workerFile}`);

const outcomes = new Socket({ fd: 3, readable: false, writable: true });
outcomes.on("error", () => process.exit(0)); // the launcher is gone
const send = (message: GraderMessage) => outcomes.write(encodeLine(message));

function fail(reason: string): never {
  process.stderr.write(`grader: ${reason}\n`);
  process.exit(1);
}

const runtime = await loadRuntime(config.pyodideDir);
const readBuffer = (path: string) => {
  const bytes = readFileSync(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
};
const source: InterpreterSource = {
  workerFile,
  workerData: { pyodideDir: config.pyodideDir, memoryLimitBytes: config.memoryLimitBytes, ...runtime },
  snapshot: compactSnapshot(readFileSync(config.snapshotFile)),
  codeCache: readBuffer(config.codeCacheFile),
};
const pool = new SparePool(config.spares, source, (error) => fail(`interpreters cannot start: ${error.message}`));
const busy = new Set<Interpreter>();

function runRequest(code: string, test: SandboxTestRequest): Omit<RunRequest, "nonce"> {
  if (test.kind === "call") return { type: "run", mode: "call", source: code, text: test.expression, stdin: "" };
  if (test.kind === "assert") return { type: "run", mode: "assert", source: code, text: test.code, stdin: "" };
  return { type: "run", mode: "stdio", source: code, text: "", stdin: test.stdin };
}

async function grade(job: Extract<LauncherMessage, { type: "grade" }>): Promise<void> {
  let interpreter = await pool.take();
  try {
    for (const test of job.tests) {
      if (interpreter.spent) {
        interpreter.kill();
        interpreter = await pool.take();
      }
      const started = performance.now();
      busy.add(interpreter);
      const outcome = await interpreter.run(runRequest(job.code, test), test.timeLimitMs);
      busy.delete(interpreter);
      send({ type: "outcome", jobId: job.jobId, requestId: test.requestId, durationMs: performance.now() - started, outcome });
      if (outcome.kind === "violation") break;
    }
  } finally {
    busy.delete(interpreter);
    interpreter.kill();
  }
  send({ type: "done", jobId: job.jobId });
}

// Python allocations are capped per interpreter; this catches what is not (JavaScript reached through an
// escape). One busy interpreter is the culprit; with several, exit and let the launcher's retry of each
// submission on its own find it.
let watchdogQuietUntil = 0;
setInterval(() => {
  if (performance.now() < watchdogQuietUntil || process.memoryUsage.rss() <= config.processMemoryLimitBytes) return;
  const running = [...busy].filter((interpreter) => interpreter.isRunning);
  // With no test running, what is left is spares and memory that terminated workers are still returning.
  if (running.length === 0) return;
  if (running.length > 1) fail(`resident memory above ${config.processMemoryLimitBytes} bytes with ${running.length} tests running`);
  running[0].stopForMemory();
  watchdogQuietUntil = performance.now() + 1000;
}, 200).unref();

const readLine = createLineReader(
  MAX_LINE_BYTES,
  (line) => {
    const message = parseLine(LauncherMessage, line);
    if (!message) fail("unreadable message from the launcher");
    void grade(message);
  },
  () => fail("oversized message from the launcher"),
);
process.stdin.on("data", readLine);
process.stdin.on("end", () => process.exit(0));

pool.fill();
await pool.warm;
send({ type: "ready" });
