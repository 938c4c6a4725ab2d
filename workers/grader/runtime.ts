// What every Pyodide interpreter of the grader starts from: pyodide.asm.wasm compiled once, the memory
// snapshot that a "snapshot" worker makes (the harness and common stdlib modules already imported), and
// V8's code cache for the worker body, taken from a fresh interpreter restored from that snapshot.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { compactSnapshot } from "./compact-snapshot.ts";
import { WorkerMessage, type WorkerData } from "./messages.ts";

export type Runtime = { wasmModule: WebAssembly.Module; lockInfo: Record<string, unknown> };

export async function loadRuntime(pyodideDir: string): Promise<Runtime> {
  const wasmModule = await WebAssembly.compile(readFileSync(join(pyodideDir, "pyodide.asm.wasm")));
  const lock = z.object({ info: z.record(z.unknown()) }).parse(JSON.parse(readFileSync(join(pyodideDir, "pyodide-lock.json"), "utf8")));
  return { wasmModule, lockInfo: lock.info };
}

/** Starts a worker and resolves with the first message of the given type it posts. */
async function answerOf<T extends WorkerMessage["type"]>(workerFile: URL, workerData: WorkerData, type: T, transfer: ArrayBuffer[] = []): Promise<Extract<WorkerMessage, { type: T }>> {
  const worker = new Worker(workerFile, { workerData, transferList: transfer, env: {} });
  try {
    return await new Promise((resolve, reject) => {
      worker.on("message", (message: unknown) => {
        const parsed = WorkerMessage.safeParse(message);
        if (!parsed.success) reject(new Error("a worker posted a malformed message while the snapshot was made"));
        else if (parsed.data.type === type) resolve(parsed.data as Extract<WorkerMessage, { type: T }>);
      });
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`a worker exited (code ${code}) before posting its ${type}`)));
    });
  } finally {
    await worker.terminate();
  }
}

export async function makeSnapshot(workerFile: URL, workerData: Omit<WorkerData, "mode">): Promise<{ snapshot: ArrayBuffer; codeCache: ArrayBuffer }> {
  const { snapshot } = await answerOf(workerFile, { ...workerData, mode: "snapshot" }, "snapshot");
  const compact = compactSnapshot(new Uint8Array(snapshot));
  const interpreter: WorkerData = {
    ...workerData,
    mode: "interpreter",
    snapshot: compact.bytes,
    snapshotLayout: compact.layout,
    interruptBuffer: new SharedArrayBuffer(4),
    randomSeed: randomBytes(32).toString("hex"),
    makeCodeCache: true,
  };
  const { cache } = await answerOf(workerFile, interpreter, "code-cache", [compact.bytes]);
  return { snapshot, codeCache: cache };
}
