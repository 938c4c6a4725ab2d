// One Pyodide interpreter in one worker thread of the grader process (run by worker-loader.ts). In
// "snapshot" mode it loads Pyodide cold, imports the harness and the modules submissions commonly use, and
// posts a memory snapshot. In "interpreter" mode it restores that snapshot into a fresh interpreter
// (≈0.2 s instead of ≈2 s), waits for tests of a single submission, and is thrown away afterwards.
import workerThreads from "node:worker_threads";
import { constants as fsConstants } from "node:fs";
import { constants as osConstants } from "node:os";
import { loadPyodide, type PyodideAPI, type PyodideConfig } from "pyodide";
import createPyodideModule from "pyodide/pyodide.asm.mjs";
import { MAX_MESSAGE_CHARS, MAX_VALUE_CHARS, OUTPUT_LIMIT_BYTES } from "../../server/grading/protocol.ts";
import { restoreHeap, snapshotHeader, type CompactSnapshot } from "./compact-snapshot.ts";
import harnessSource from "./harness.py";
import { RunRequest, WorkerData, type InterpreterOutcome, type WorkerMessage } from "./messages.ts";

// Imported before the snapshot so a restored interpreter has them at no cost (≈0.5 ms instead of up to
// 250 ms per submission); the harness itself needs json and traceback.
const PRELOADED_MODULES = [
  "json", "math", "re", "random", "collections", "itertools", "functools", "string", "operator", "copy",
  "heapq", "bisect", "statistics", "fractions", "decimal", "datetime", "typing", "dataclasses", "enum",
  "textwrap", "io", "traceback",
];
const HARNESS_MODULE = "chalkroom_harness";

function parentPort(): workerThreads.MessagePort {
  if (!workerThreads.parentPort) throw new Error("the grader worker must run in a worker thread");
  return workerThreads.parentPort;
}
const port = parentPort();
const data = WorkerData.parse(workerThreads.workerData);
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

// Emscripten reads open() flags through process.binding('constants'), which the permission model denies.
const constantsBinding = { fs: fsConstants, os: osConstants };
Object.defineProperty(process, "binding", {
  configurable: true,
  writable: true,
  value: (name: string) => {
    if (name === "constants") return constantsBinding;
    throw new Error(`process.binding('${name}') is not available in the grader`);
  },
});

// Worker resourceLimits do not cover WebAssembly memory: refuse growth past the cap for every memory in
// this thread, before Pyodide creates its own.
const growMemory = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function grow(this: WebAssembly.Memory, deltaPages: number): number {
  if (this.buffer.byteLength + deltaPages * 65536 > data.memoryLimitBytes) {
    throw new RangeError(`WebAssembly memory is limited to ${data.memoryLimitBytes} bytes in the grader`);
  }
  return growMemory.call(this, deltaPages);
};

// Emscripten wraps every JavaScript function whose address C code takes in a tiny WebAssembly module of its
// own, compiled synchronously: ~260 of them, of ~50 distinct signatures, while an interpreter starts.
// Compile each distinct one once per worker.
const WRAPPER_MODULE_MAX_BYTES = 64;
const wrapperModules = new Map<string, WebAssembly.Module>();
WebAssembly.Module = new Proxy(WebAssembly.Module, {
  construct(target, args: [BufferSource], newTarget) {
    const [bytes] = args;
    if (!(bytes instanceof Uint8Array) || bytes.length > WRAPPER_MODULE_MAX_BYTES) return Reflect.construct(target, args, newTarget) as object;
    const key = bytes.join(",");
    let compiled = wrapperModules.get(key);
    if (!compiled) {
      compiled = Reflect.construct(target, args, newTarget) as WebAssembly.Module;
      wrapperModules.set(key, compiled);
    }
    return compiled;
  },
});

let testRunning = false;
let testNonce = "";
let memoryLimitReported = false;

type EmscriptenSettings = Parameters<NonNullable<PyodideConfig["createPyodideModule"]>>[0];
type WasmImports = WebAssembly.Imports & { env: WebAssembly.ModuleImports };
type InstantiateWasm = (imports: WasmImports, succeed: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => object;

/**
 * Pyodide has no option for a precompiled module: set Emscripten's instantiateWasm ourselves, with the two
 * imports Pyodide would add (its Symbol fallback, which is what it uses on Node 20 too). Emscripten first
 * tries to over-allocate when the heap must grow, so a refused grow alone is not the limit: the limit is
 * reached when emscripten_resize_heap gives up.
 */
function withPrecompiledWasm(settings: EmscriptenSettings): EmscriptenSettings {
  const instantiateWasm: InstantiateWasm = (imports, succeed) => {
    const errorMarker = Symbol("error marker");
    imports.env.Jsv_GetError_import = () => errorMarker;
    imports.env.JsvError_Check = (value: unknown) => value === errorMarker;
    const resizeHeap = imports.env.emscripten_resize_heap as unknown as (requestedBytes: number) => boolean;
    imports.env.emscripten_resize_heap = (requestedBytes: number) => {
      const grown = resizeHeap(requestedBytes);
      if (!grown && testRunning && !memoryLimitReported) {
        memoryLimitReported = true;
        post({ type: "memory-limit", nonce: testNonce });
      }
      return grown;
    };
    void WebAssembly.instantiate(data.wasmModule, imports).then((instance) => succeed(instance, data.wasmModule));
    return {};
  };
  (settings as { instantiateWasm?: InstantiateWasm }).instantiateWasm = instantiateWasm;
  return settings;
}

/**
 * Pyodide is given only the compact snapshot's header (so it restores an empty heap) and a memory sized
 * for the whole snapshot; the heap itself is restored from the compact form just before Pyodide's restore.
 */
async function createFromCompactSnapshot(settings: EmscriptenSettings, compact: CompactSnapshot) {
  settings.INITIAL_MEMORY = compact.layout.fullLength;
  const module = await createPyodideModule(withPrecompiledWasm(settings));
  const restore = module.API.restoreSnapshot;
  module.API.restoreSnapshot = (header) => {
    const layout = module as unknown as { _sbrk(increment: number): number; _emscripten_stack_get_end(): number; _emscripten_stack_get_base(): number };
    restoreHeap(new Uint8Array(module.HEAP8.buffer), compact, {
      untouchedFrom: layout._sbrk(0) >>> 0,
      stack: { end: layout._emscripten_stack_get_end() >>> 0, base: layout._emscripten_stack_get_base() >>> 0 },
    });
    return restore.call(module.API, header);
  };
  return module;
}

/**
 * Pyodide starts reading pyodide.asm.wasm (9.6 MB) for an instantiateWasm of its own as soon as it makes
 * Emscripten's settings, unless a WasmOffsetConverter global exists (Emscripten's offset-converter builds).
 * Ours (withPrecompiledWasm) instantiates the module compiled once in the grader process, so that read would
 * be wasted on every fresh interpreter. The global stands only until the settings are made.
 */
const OFFSET_CONVERTER = "WasmOffsetConverter";
function withoutOwnWasmRead(create: (settings: EmscriptenSettings) => ReturnType<typeof createPyodideModule>) {
  Object.defineProperty(globalThis, OFFSET_CONVERTER, { configurable: true, value: () => { throw new Error("not available in the grader"); } });
  return (settings: EmscriptenSettings) => {
    Reflect.deleteProperty(globalThis, OFFSET_CONVERTER);
    return create(settings);
  };
}

function load(options: PyodideConfig, compact?: CompactSnapshot): Promise<PyodideAPI> {
  return loadPyodide({
    indexURL: `${data.pyodideDir}/`,
    lockFileContents: { info: data.lockInfo, packages: {} } as unknown as PyodideConfig["lockFileContents"],
    stdout: () => undefined,
    stderr: () => undefined,
    createPyodideModule: withoutOwnWasmRead((settings) => (compact ? createFromCompactSnapshot(settings, compact) : createPyodideModule(withPrecompiledWasm(settings)))),
    ...(compact ? { _loadSnapshot: snapshotHeader(compact) } : {}),
    ...options,
  });
}

async function makeSnapshot(): Promise<void> {
  const pyodide = await load({ _makeSnapshot: true });
  pyodide.FS.mkdirTree("/grader");
  pyodide.FS.writeFile(`/grader/${HARNESS_MODULE}.py`, harnessSource);
  pyodide.runPython(`import sys\nsys.path.insert(0, "/grader")\nimport ${HARNESS_MODULE}\nsys.path.remove("/grader")\nimport ${PRELOADED_MODULES.join(", ")}`);
  const snapshot = pyodide.makeMemorySnapshot();
  const buffer = snapshot.buffer as ArrayBuffer;
  post({ type: "snapshot", snapshot: buffer }, [buffer]);
}

// ---- interpreter mode ----

const encoder = new TextEncoder();
let stdin = new Uint8Array(0);
let stdinOffset = 0;
let stdoutChunks: Uint8Array[] = [];
let stdoutKeptBytes = 0;
let outputBytes = 0;
let outputLimitReported = false;

function stdoutText(): string {
  const bytes = new Uint8Array(stdoutKeptBytes);
  let at = 0;
  for (const chunk of stdoutChunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder("utf-8").decode(bytes);
}

/** Captures file descriptor 1 or 2 of the running test; past the limit it drops bytes and reports once. */
function captureOutput(buffer: Uint8Array, keep: boolean): number {
  if (!testRunning) return buffer.length;
  outputBytes += buffer.length;
  if (keep && stdoutKeptBytes < OUTPUT_LIMIT_BYTES) {
    const kept = buffer.slice(0, OUTPUT_LIMIT_BYTES - stdoutKeptBytes);
    stdoutChunks.push(kept);
    stdoutKeptBytes += kept.length;
  }
  if (outputBytes > OUTPUT_LIMIT_BYTES && !outputLimitReported) {
    outputLimitReported = true;
    post({ type: "output-limit", nonce: testNonce, stdout: stdoutText() });
  }
  return buffer.length;
}

function readStdin(buffer: Uint8Array): number {
  const count = Math.min(buffer.length, stdin.length - stdinOffset);
  buffer.set(stdin.subarray(stdinOffset, stdinOffset + count));
  stdinOffset += count;
  return count;
}

const clip = (text: string) => (text.length <= MAX_MESSAGE_CHARS ? text : text.slice(0, MAX_MESSAGE_CHARS - 3) + "...");

/**
 * Emscripten's ExitStatus (os._exit) as Pyodide rethrows it: wrapped into an Error that keeps only its
 * message, possibly as the cause of a fatal error.
 */
function exitStatusOf(error: unknown): number | undefined {
  let current = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const { message, cause } = current as { message?: unknown; cause?: unknown };
    const match = typeof message === "string" ? /Program terminated with exit\((-?\d+)\)/.exec(message) : null;
    if (match) return Number(match[1]);
    current = cause;
  }
  return undefined;
}

function lastLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.trim().split("\n");
  return lines[lines.length - 1] ?? "";
}

/**
 * Student code can reach JavaScript (js, pyodide_js, ctypes). Take away what would let it act beyond this
 * thread's interpreter: Node's modules (the launcher's pipes are file descriptors of this process),
 * native bindings and signals. The permission model and the namespaces contain the process regardless.
 */
function lockDownRealm(): void {
  const hostile = ["getBuiltinModule", "binding", "_linkedBinding", "dlopen", "kill", "_kill", "_debugProcess", "_debugEnd"];
  for (const name of hostile) {
    Reflect.deleteProperty(process, name);
    if (name in process) Object.defineProperty(process, name, { value: undefined, writable: false, configurable: false });
  }
  Reflect.deleteProperty(globalThis, "require");
  // Nothing in the worker data is needed any more (the snapshot was copied into the interpreter).
  Object.defineProperty(workerThreads, "workerData", { value: null, writable: false, configurable: false });
}

async function serveTests(): Promise<void> {
  if (!data.snapshot || !data.snapshotLayout || !data.interruptBuffer) throw new Error("an interpreter worker needs a snapshot and an interrupt buffer");
  const pyodide = await load({}, { bytes: data.snapshot, layout: data.snapshotLayout });
  // Restored into the interpreter's memory: no need to keep the worker's copy for its whole life.
  data.snapshot = undefined;
  pyodide.setStdin({ read: readStdin, isatty: false });
  pyodide.setStdout({ write: (buffer: Uint8Array) => captureOutput(buffer, true), isatty: false });
  pyodide.setStderr({ write: (buffer: Uint8Array) => captureOutput(buffer, false), isatty: false });
  pyodide.setInterruptBuffer(new Int32Array(data.interruptBuffer));
  const harness = pyodide.pyimport(HARNESS_MODULE);
  if (!data.randomSeed) throw new Error("an interpreter worker needs a random seed");
  harness.install(BigInt(`0x${data.randomSeed}`));
  const runTest = harness.run_test;

  function run(request: RunRequest): { outcome: InterpreterOutcome; alive: boolean } {
    stdin = encoder.encode(request.stdin);
    stdinOffset = 0;
    stdoutChunks = [];
    stdoutKeptBytes = 0;
    outputBytes = 0;
    outputLimitReported = false;
    memoryLimitReported = false;
    testNonce = request.nonce;
    testRunning = true;
    let result: [string, string | number, string?];
    try {
      const proxy = runTest(request.mode, request.source, request.text);
      try {
        result = proxy.toJs();
      } finally {
        proxy.destroy();
      }
    } catch (error) {
      // The harness catches everything the submission raises; what reaches here interrupted the harness
      // itself (a Python error), ended the process the CPython way (os._exit), or killed the interpreter.
      if (error instanceof Error && error.constructor.name === "PythonError") return { outcome: { kind: "error", message: clip(`raised ${lastLine(error)}`) }, alive: true };
      const status = exitStatusOf(error);
      if (status !== undefined) {
        // As in the checker: a program's exit status and the output it flushed; a call or assert gets no result.
        const outcome: InterpreterOutcome =
          request.mode === "stdio"
            ? { kind: "exit", status: status & 0xff, message: "", stdout: stdoutText() }
            : { kind: "error", message: `no result (process exited with code ${status & 0xff})` };
        return { outcome, alive: false };
      }
      return { outcome: { kind: "crashed", message: clip(lastLine((error as { cause?: unknown }).cause ?? error)) }, alive: false };
    } finally {
      testRunning = false;
    }
    return { outcome: outcomeOf(result), alive: true };
  }

  function outcomeOf([kind, first, second]: [string, string | number, string?]): InterpreterOutcome {
    if (kind === "value") {
      const json = String(first);
      if (json.length > MAX_VALUE_CHARS) return { kind: "error", message: `the returned value is too large (more than ${MAX_VALUE_CHARS} characters as JSON)` };
      return { kind: "value", json };
    }
    if (kind === "completed") return { kind: "completed" };
    if (kind === "exit") return { kind: "exit", status: Number(first), message: clip(String(second ?? "")), stdout: stdoutText() };
    return { kind: "error", message: clip(String(first)) };
  }

  // Take the paths a test takes once while this interpreter is a spare, so that compiling them lazily
  // (JavaScript glue, harness bytecode) is not on a submission's clock: it made first tests ~10x slower.
  const warmUp = { type: "run", nonce: "00000000-0000-4000-8000-000000000000", text: "", stdin: "" } as const;
  run({ ...warmUp, mode: "call", source: "value = [1, 'a', None]", text: "value" });
  run({ ...warmUp, mode: "stdio", source: "print(input())", stdin: "warm\n" });

  lockDownRealm();
  port.on("message", (message: unknown) => {
    const request = RunRequest.parse(message);
    post({ type: "result", nonce: request.nonce, ...run(request) });
  });
  post({ type: "ready" });
}

/** Settles once the snapshot is posted or the interpreter is ready; worker-loader.ts waits for it. */
export const started: Promise<void> = data.mode === "snapshot" ? makeSnapshot() : serveTests();
