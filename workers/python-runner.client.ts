// The page's side of the Python runner: owns the worker (one per page, started on the first Run), the
// shared memory for input() and Stop, and the replacement of a worker that does not stop in time.
// Browser-only (`.client`): the server bundle gets an empty module.
import {
  RunnerEvent,
  SIGINT,
  STDIN_CAPACITY_BYTES,
  STDIN_HEADER_BYTES,
  STDIN_LENGTH,
  STDIN_STATE,
  STOP_GRACE_MS,
  StdinState,
  type OutputChunk,
  type RunOutcome,
} from "./python-runner.protocol.ts";

export type RunnerStatus = "idle" | "loading" | "running" | "waiting-for-input" | "stopping";

export type RunnerUpdate =
  | { type: "status"; status: RunnerStatus }
  | { type: "python-ready"; loadMs: number }
  | { type: "output"; chunks: OutputChunk[] }
  | { type: "output-limited" }
  | { type: "finished"; outcome: RunOutcome; elapsedMs: number }
  /** The worker was replaced by a fresh one: the program ignored Stop, or the page cannot interrupt it. */
  | { type: "restarted"; reason: "ignored-stop" | "no-interrupt" }
  | { type: "failed"; message: string };

/** input() and an interruptible Stop need SharedArrayBuffer, which only cross-origin isolated pages have. */
export const sharedMemoryAvailable = () => typeof SharedArrayBuffer !== "undefined" && globalThis.crossOriginIsolated === true;

export class PythonRunner {
  private worker: Worker | null = null;
  private ready = false;
  private interrupt: Int32Array | null = null;
  private stdinHeader: Int32Array | null = null;
  private stdinBytes: Uint8Array | null = null;
  private nextRunId = 1;
  private activeRun: { id: number; code: string } | null = null;
  private status: RunnerStatus = "idle";
  private stopTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onUpdate: (update: RunnerUpdate) => void) {}

  /** Starts a run unless one is under way; false when it did not start. */
  run(code: string): boolean {
    if (this.activeRun) return false;
    this.activeRun = { id: this.nextRunId++, code };
    if (!this.worker) this.spawn();
    if (this.ready) this.send();
    else this.setStatus("loading");
    return true;
  }

  stop(): void {
    if (!this.activeRun || this.status === "stopping") return;
    if (!this.ready) {
      // Still loading Python: forget the run, keep loading for the next one.
      this.activeRun = null;
      this.onUpdate({ type: "finished", outcome: { kind: "stopped" }, elapsedMs: 0 });
      this.setStatus("idle");
      return;
    }
    if (!this.interrupt) return this.replaceWorker("no-interrupt");
    Atomics.store(this.interrupt, 0, SIGINT);
    if (this.status === "waiting-for-input") this.answerWith(StdinState.END_OF_INPUT);
    this.setStatus("stopping");
    this.stopTimer = setTimeout(() => this.replaceWorker("ignored-stop"), STOP_GRACE_MS);
  }

  /** Answers the input() the program is waiting on. */
  answer(line: string): void {
    if (this.status !== "waiting-for-input" || !this.stdinBytes) return;
    const encoded = new TextEncoder().encode(`${line}\n`).subarray(0, STDIN_CAPACITY_BYTES);
    this.stdinBytes.set(encoded);
    Atomics.store(this.stdinHeader!, STDIN_LENGTH, encoded.length);
    this.answerWith(StdinState.LINE);
    this.setStatus("running");
  }

  /** Ends the program's input (Ctrl+D): input() raises EOFError, reading sys.stdin ends. */
  endInput(): void {
    if (this.status !== "waiting-for-input") return;
    this.answerWith(StdinState.END_OF_INPUT);
    this.setStatus("running");
  }

  dispose(): void {
    clearTimeout(this.stopTimer);
    this.worker?.terminate();
    this.worker = null;
  }

  private answerWith(state: number): void {
    Atomics.store(this.stdinHeader!, STDIN_STATE, state);
    Atomics.notify(this.stdinHeader!, STDIN_STATE);
  }

  private spawn(): void {
    this.ready = false;
    const worker = new Worker(new URL("./python-runner.worker.ts", import.meta.url), { type: "module", name: "python-runner" });
    worker.addEventListener("message", (event) => this.receive(worker, event.data));
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.fail(worker, event.message || "the Python worker could not be started");
    });
    let interrupt: SharedArrayBuffer | null = null;
    let stdin: SharedArrayBuffer | null = null;
    if (sharedMemoryAvailable()) {
      interrupt = new SharedArrayBuffer(4);
      stdin = new SharedArrayBuffer(STDIN_HEADER_BYTES + STDIN_CAPACITY_BYTES);
      this.interrupt = new Int32Array(interrupt);
      this.stdinHeader = new Int32Array(stdin, 0, 2);
      this.stdinBytes = new Uint8Array(stdin, STDIN_HEADER_BYTES, STDIN_CAPACITY_BYTES);
    }
    worker.postMessage({ type: "start", interrupt, stdin });
    this.worker = worker;
  }

  private send(): void {
    const run = this.activeRun!;
    this.worker!.postMessage({ type: "run", runId: run.id, code: run.code });
    this.setStatus("running");
  }

  private receive(worker: Worker, data: unknown): void {
    if (worker !== this.worker) return;
    const parsed = RunnerEvent.safeParse(data);
    if (!parsed.success) {
      console.error("python runner: unexpected message from the worker", parsed.error.issues);
      return;
    }
    const event = parsed.data;
    switch (event.type) {
      case "ready":
        this.ready = true;
        this.onUpdate({ type: "python-ready", loadMs: event.loadMs });
        if (this.activeRun) this.send();
        return;
      case "load-failed":
        return this.fail(worker, `Python could not start: ${event.message}`);
      case "crashed":
        return this.fail(worker, `Python stopped working: ${event.message}`);
    }
    if (event.runId !== this.activeRun?.id) return;
    switch (event.type) {
      case "output":
        return this.onUpdate({ type: "output", chunks: event.chunks });
      case "output-limited":
        return this.onUpdate({ type: "output-limited" });
      case "input-requested":
        // Asked just as Stop was pressed: answer with the end of input so the interrupt is seen at once.
        if (this.status === "stopping") this.answerWith(StdinState.END_OF_INPUT);
        else this.setStatus("waiting-for-input");
        return;
      case "finished":
        clearTimeout(this.stopTimer);
        this.activeRun = null;
        this.onUpdate({ type: "finished", outcome: event.outcome, elapsedMs: event.elapsedMs });
        this.setStatus("idle");
        return;
    }
  }

  /** Terminates a worker that did not give in to Stop and starts loading a fresh one for the next run. */
  private replaceWorker(reason: "ignored-stop" | "no-interrupt"): void {
    clearTimeout(this.stopTimer);
    this.worker?.terminate();
    this.worker = null;
    this.activeRun = null;
    this.onUpdate({ type: "restarted", reason });
    this.setStatus("idle");
    this.spawn();
  }

  private fail(worker: Worker, message: string): void {
    if (worker !== this.worker) return;
    clearTimeout(this.stopTimer);
    worker.terminate();
    this.worker = null;
    this.activeRun = null;
    this.onUpdate({ type: "failed", message });
    this.setStatus("idle");
  }

  private setStatus(status: RunnerStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.onUpdate({ type: "status", status });
  }
}
