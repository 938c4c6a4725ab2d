// Fresh interpreters for the grader process: each lives in its own worker thread, serves the tests of one
// submission and is then terminated, so nothing (Python or JavaScript state) carries over. A pool keeps
// spares loaded ahead of demand so that freshness costs no latency.
import { randomBytes, randomUUID } from "node:crypto";
import { Worker } from "node:worker_threads";
import type { RawOutcome } from "../../server/grading/protocol.ts";
import type { CompactSnapshot } from "./compact-snapshot.ts";
import { WorkerMessage, type RunRequest, type WorkerData } from "./messages.ts";

/** After the interrupt, how long a test gets to unwind before its worker is terminated. */
const INTERRUPT_GRACE_MS = 100;
const SIGINT = 2;

export type InterpreterSource = {
  workerFile: URL;
  workerData: Omit<WorkerData, "mode" | "snapshot" | "snapshotLayout" | "interruptBuffer" | "randomSeed" | "codeCache" | "makeCodeCache">;
  /** The snapshot every interpreter starts from; each worker gets its own copy, never shared memory. */
  snapshot: CompactSnapshot;
  /** V8's code cache for the worker body; copied per worker like the snapshot. */
  codeCache: ArrayBuffer;
};

type Running = { nonce: string; resolve: (outcome: RawOutcome) => void; interrupted: boolean; timers: NodeJS.Timeout[] };

export class Interpreter {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly interrupt: Int32Array;
  private state: "starting" | "idle" | "running" | "dead" = "starting";
  private running: Running | undefined;
  private violation: string | undefined;
  private onDeath: (() => void) | undefined;

  constructor(source: InterpreterSource) {
    const interruptBuffer = new SharedArrayBuffer(4);
    this.interrupt = new Int32Array(interruptBuffer);
    const snapshot = source.snapshot.bytes.slice(0);
    const codeCache = source.codeCache.slice(0);
    const randomSeed = randomBytes(32).toString("hex");
    const workerData: WorkerData = { ...source.workerData, mode: "interpreter", snapshot, snapshotLayout: source.snapshot.layout, interruptBuffer, randomSeed, codeCache };
    // The JavaScript heap (Pyodide itself needs ~20 MB) gets the same cap as the WebAssembly memory.
    const resourceLimits = { maxOldGenerationSizeMb: Math.ceil(source.workerData.memoryLimitBytes / 2 ** 20), maxYoungGenerationSizeMb: 32 };
    this.worker = new Worker(source.workerFile, { workerData, transferList: [snapshot, codeCache], env: {}, resourceLimits });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on("message", (message: unknown) => {
        if (this.state === "starting") {
          const parsed = WorkerMessage.safeParse(message);
          if (parsed.success && parsed.data.type === "ready") {
            this.state = "idle";
            resolve();
          } else {
            this.kill();
            reject(new Error("an interpreter worker sent something other than ready while starting"));
          }
          return;
        }
        this.receive(message);
      });
      const stopped = (reason: string) => {
        if (this.state === "starting") reject(new Error(`an interpreter worker failed to start: ${reason}`));
        this.finish({ kind: "crashed", message: reason }, false);
        this.state = "dead";
        this.onDeath?.();
      };
      this.worker.on("error", (error: Error & { code?: string }) => {
        // The JavaScript heap cap (resourceLimits), reached through an escape to JavaScript.
        if (error.code === "ERR_WORKER_OUT_OF_MEMORY") this.finish({ kind: "memory" }, false);
        stopped(error.message);
      });
      this.worker.on("exit", (code) => stopped(`its worker exited (code ${code})`));
    });
    // A failed start is reported through `ready`; this keeps it from also counting as unhandled.
    this.ready.catch(() => undefined);
  }

  /** Ended for a reason of its own (time or memory limit, crash): the next test needs a fresh interpreter. */
  get spent(): boolean {
    return this.state === "dead" && this.violation === undefined;
  }

  get isRunning(): boolean {
    return this.state === "running";
  }

  whenDead(callback: () => void): void {
    this.onDeath = callback;
  }

  /**
   * Runs one test; resolves with the raw outcome, never rejects. An interpreter that broke the protocol
   * between tests answers with the violation, so that it fails the submission instead of being replaced.
   */
  run(request: Omit<RunRequest, "nonce">, timeLimitMs: number): Promise<RawOutcome> {
    if (this.violation !== undefined) return Promise.resolve({ kind: "violation", message: this.violation });
    if (this.state !== "idle") throw new Error(`cannot run a test on an interpreter that is ${this.state}`);
    this.state = "running";
    return new Promise((resolve) => {
      const running: Running = { nonce: randomUUID(), resolve, interrupted: false, timers: [] };
      this.running = running;
      running.timers.push(
        setTimeout(() => {
          // Interrupt first (stops ordinary loops and keeps the interpreter); sleeping, BaseException
          // handlers and huge arithmetic ignore it, so terminate after a short grace.
          running.interrupted = true;
          Atomics.store(this.interrupt, 0, SIGINT);
          running.timers.push(setTimeout(() => this.finish({ kind: "timeout" }, false), INTERRUPT_GRACE_MS));
        }, timeLimitMs),
      );
      this.worker.postMessage({ ...request, nonce: running.nonce } satisfies RunRequest);
    });
  }

  /** Ends the running test as out of memory (the grader process's own watchdog decided). */
  stopForMemory(): void {
    this.finish({ kind: "memory" }, false);
  }

  kill(): void {
    if (this.state === "dead") return;
    this.state = "dead";
    void this.worker.terminate();
  }

  private receive(message: unknown): void {
    const parsed = WorkerMessage.safeParse(message);
    if (this.state !== "running" || !this.running) {
      // Nothing is asked of an interpreter between tests: whatever it says then breaks the protocol.
      if (this.state !== "dead") {
        this.violation = "the interpreter sent a message while no test was running";
        this.kill();
      }
      return;
    }
    if (!parsed.success) return this.finish({ kind: "violation", message: "the interpreter sent a malformed message" }, false);
    const event = parsed.data;
    if (!("nonce" in event) || event.nonce !== this.running.nonce) {
      return this.finish({ kind: "violation", message: "the interpreter sent a message that does not belong to the running test" }, false);
    }
    switch (event.type) {
      case "result":
        if (this.running.interrupted) {
          Atomics.store(this.interrupt, 0, 0);
          return this.finish({ kind: "timeout" }, true);
        }
        return this.finish(event.outcome, event.alive);
      case "memory-limit":
        return this.finish({ kind: "memory" }, false);
      case "output-limit":
        return this.finish({ kind: "output-limit", stdout: event.stdout }, false);
    }
  }

  private finish(outcome: RawOutcome, keep: boolean): void {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    running.timers.forEach(clearTimeout);
    if (keep && this.state === "running") this.state = "idle";
    else this.kill();
    running.resolve(outcome);
  }
}

/** Keeps `target` interpreters loaded and idle; hands them out one submission at a time. */
export class SparePool {
  private readonly spares: Interpreter[] = [];
  private readonly waiting: ((interpreter: Interpreter) => void)[] = [];
  private starting = 0;
  private failuresInARow = 0;
  private closed = false;
  private firstReady: (() => void) | undefined;
  readonly warm: Promise<void>;

  constructor(
    private readonly target: number,
    private readonly source: InterpreterSource,
    private readonly onCannotStart: (error: Error) => void,
  ) {
    this.warm = new Promise((resolve) => (this.firstReady = resolve));
  }

  take(): Promise<Interpreter> {
    const spare = this.spares.shift();
    const taken = spare ? Promise.resolve(spare) : new Promise<Interpreter>((resolve) => this.waiting.push(resolve));
    this.fill();
    return taken;
  }

  fill(): void {
    // Start no more at once than there are spares to keep: on two cores, more parallel starts only
    // slow each other down.
    const wanted = this.target + this.waiting.length;
    while (!this.closed && this.spares.length + this.starting < wanted && this.starting < Math.max(1, this.target)) this.start();
  }

  close(): void {
    this.closed = true;
    for (const spare of this.spares.splice(0)) spare.kill();
  }

  private start(): void {
    this.starting++;
    const interpreter = new Interpreter(this.source);
    interpreter.ready.then(
      () => {
        this.starting--;
        this.failuresInARow = 0;
        this.firstReady?.();
        if (this.closed) return interpreter.kill();
        const waiter = this.waiting.shift();
        if (waiter) waiter(interpreter);
        else {
          this.spares.push(interpreter);
          interpreter.whenDead(() => {
            const index = this.spares.indexOf(interpreter);
            if (index !== -1) this.spares.splice(index, 1);
            this.fill();
          });
        }
        this.fill();
      },
      (error: Error) => {
        this.starting--;
        this.failuresInARow++;
        if (this.failuresInARow >= 3) return this.onCannotStart(error);
        setTimeout(() => this.fill(), 100 * this.failuresInARow);
      },
    );
  }
}
