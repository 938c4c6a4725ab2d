// The browser's Python runner: a module Web Worker that starts Pyodide once (from our own server) and runs
// the editor's code on request, streaming its output back, answering input() from the page's console
// through shared memory, and giving in to Stop through Pyodide's interrupt buffer. Started and replaced by
// workers/python-runner.client.ts.
import type { PyodideAPI } from "pyodide";
import { PYODIDE_URL_PATH } from "./pyodide-assets.ts";
import {
  HARNESS_FILENAME,
  OUTPUT_LIMIT_BYTES,
  RunnerCommand,
  RunOutcome,
  STDIN_CAPACITY_BYTES,
  STDIN_HEADER_BYTES,
  STDIN_LENGTH,
  STDIN_STATE,
  StdinState,
  type OutputChunk,
  type RunnerEvent,
} from "./python-runner.protocol.ts";
import harnessSource from "./runner_harness.py?raw";

// Output reaches the page at once unless the program floods: then at most MESSAGES_PER_SECOND, each
// carrying everything printed meanwhile. A few quick lines followed by a long silent computation still show
// immediately (the burst), which a plain time window would hold back until the next print.
const BURST_MESSAGES = 20;
const MESSAGES_PER_SECOND = 50;
const MAX_BUFFERED_CHARS = 16 * 1024;

const post = (event: RunnerEvent) => postMessage(event);

// Student code reaches the worker's globals through Pyodide's `js` module, and in a room it runs in other
// people's browsers with their session (a teammate's, a watching teacher's). Once Pyodide has loaded, take
// away every way to send a request or reach other tabs; the worker's CSP (server/security-headers.ts)
// keeps script imports to this origin.
const REMOVED_GLOBALS = ["fetch", "XMLHttpRequest", "WebSocket", "WebTransport", "EventSource", "importScripts", "Worker", "SharedWorker", "BroadcastChannel", "indexedDB", "caches", "FontFace", "fonts"];

function removeNetworkAccess(): void {
  for (const name of REMOVED_GLOBALS) {
    for (let holder: object | null = globalThis; holder; holder = Object.getPrototypeOf(holder)) {
      if (Object.prototype.hasOwnProperty.call(holder, name) && !Reflect.deleteProperty(holder, name)) throw new Error(`could not remove ${name}`);
    }
  }
}

interface Channels {
  interrupt: Int32Array | null;
  stdinHeader: Int32Array | null;
  stdinBytes: Uint8Array | null;
}

/** The current run's output: decoded, capped, batched. */
class Output {
  private chunks: OutputChunk[] = [];
  private buffered = 0;
  private written = 0;
  private limited = false;
  private tokens = BURST_MESSAGES;
  private refilledAt = performance.now();
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };

  constructor(private readonly runId: number) {}

  write(stream: OutputChunk["stream"], bytes: Uint8Array): void {
    if (this.limited) return;
    let accepted = bytes;
    if (this.written + bytes.length > OUTPUT_LIMIT_BYTES) {
      accepted = bytes.subarray(0, OUTPUT_LIMIT_BYTES - this.written);
      this.limited = true;
    }
    this.written += accepted.length;
    const text = this.decoders[stream].decode(accepted, { stream: !this.limited });
    if (text) {
      const last = this.chunks.at(-1);
      if (last?.stream === stream) last.text += text;
      else this.chunks.push({ stream, text });
      this.buffered += text.length;
    }
    if (this.limited) {
      this.flush();
      post({ type: "output-limited", runId: this.runId });
    } else if (this.buffered >= MAX_BUFFERED_CHARS || this.takeToken()) {
      this.flush();
    }
  }

  flush(): void {
    if (!this.chunks.length) return;
    post({ type: "output", runId: this.runId, chunks: this.chunks });
    this.chunks = [];
    this.buffered = 0;
  }

  private takeToken(): boolean {
    const now = performance.now();
    this.tokens = Math.min(BURST_MESSAGES, this.tokens + ((now - this.refilledAt) / 1000) * MESSAGES_PER_SECOND);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

interface Runtime {
  pyodide: PyodideAPI;
  runProgram(code: string): unknown;
}

let channels: Channels | null = null;
let runtime: Runtime | null = null;
let output: Output | null = null;
let currentRunId = -1;

/** Blocks until the page answers (a line, or the end of input when the user pressed Stop or Ctrl+D). */
function readLine(): string | null {
  const header = channels?.stdinHeader;
  const bytes = channels?.stdinBytes;
  if (!header || !bytes) return null;
  output?.flush(); // the prompt input() just wrote
  Atomics.store(header, STDIN_STATE, StdinState.WAITING);
  post({ type: "input-requested", runId: currentRunId });
  Atomics.wait(header, STDIN_STATE, StdinState.WAITING);
  if (Atomics.load(header, STDIN_STATE) !== StdinState.LINE) return null;
  // TextDecoder refuses views of shared memory: copy the answer out first.
  return new TextDecoder().decode(bytes.slice(0, Atomics.load(header, STDIN_LENGTH)));
}

async function startRuntime(): Promise<Runtime> {
  const indexURL = new URL(PYODIDE_URL_PATH, location.origin).href;
  const { loadPyodide } = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as typeof import("pyodide");
  // packageBaseUrl too: left unset, Pyodide would fetch any package from its CDN.
  const pyodide = await loadPyodide({ indexURL, packageBaseUrl: indexURL });
  pyodide.setStdout({ write: (bytes: Uint8Array) => (output?.write("stdout", bytes), bytes.length) });
  pyodide.setStderr({ write: (bytes: Uint8Array) => (output?.write("stderr", bytes), bytes.length) });
  pyodide.setStdin({ stdin: readLine });
  if (channels?.interrupt) pyodide.setInterruptBuffer(channels.interrupt);
  const namespace = pyodide.globals.get("dict")();
  pyodide.runPython(harnessSource, { globals: namespace, filename: HARNESS_FILENAME });
  namespace.get("configure")(Boolean(channels?.stdinHeader));
  const runProgram = namespace.get("run");
  removeNetworkAccess();
  return { pyodide, runProgram: (code) => runProgram(code) };
}

function run(runtime: Runtime, runId: number, code: string): void {
  const { pyodide } = runtime;
  currentRunId = runId;
  output = new Output(runId);
  if (channels?.interrupt) Atomics.store(channels.interrupt, 0, 0); // a Stop that came after the last run ended
  const started = performance.now();
  let outcome: RunOutcome;
  try {
    const result = runtime.runProgram(code) as { toJs(options: object): unknown; destroy(): void };
    const plain = result.toJs({ dict_converter: Object.fromEntries });
    result.destroy();
    outcome = RunOutcome.parse(plain);
  } catch (error) {
    // The harness catches everything the program raises; only a Stop landing after the program returned
    // gets here as a Python error. Anything else means the interpreter itself failed.
    if (error instanceof pyodide.ffi.PythonError && error.type === "KeyboardInterrupt") outcome = { kind: "stopped" };
    else {
      output.flush();
      post({ type: "crashed", message: error instanceof Error ? error.message : String(error) });
      return;
    }
  }
  output.flush();
  post({ type: "finished", runId, outcome, elapsedMs: performance.now() - started });
}

addEventListener("message", async (event: MessageEvent) => {
  const command = RunnerCommand.safeParse(event.data);
  if (!command.success) {
    console.error("python runner: unexpected message", command.error.issues);
    return;
  }
  const message = command.data;
  if (message.type === "start") {
    channels = {
      interrupt: message.interrupt ? new Int32Array(message.interrupt) : null,
      stdinHeader: message.stdin ? new Int32Array(message.stdin, 0, 2) : null,
      stdinBytes: message.stdin ? new Uint8Array(message.stdin, STDIN_HEADER_BYTES, STDIN_CAPACITY_BYTES) : null,
    };
    const started = performance.now();
    try {
      runtime = await startRuntime();
      post({ type: "ready", loadMs: performance.now() - started });
    } catch (error) {
      post({ type: "load-failed", message: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  if (!runtime) {
    console.error("python runner: run before the runtime is ready");
    return;
  }
  run(runtime, message.runId, message.code);
});
