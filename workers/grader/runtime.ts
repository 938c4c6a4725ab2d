// What every Pyodide interpreter of the grader starts from: pyodide.asm.wasm compiled once, and the memory
// snapshot that a "snapshot" worker makes (the harness and common stdlib modules already imported).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { WorkerMessage, type WorkerData } from "./messages.ts";

export type Runtime = { wasmModule: WebAssembly.Module; lockInfo: Record<string, unknown> };

export async function loadRuntime(pyodideDir: string): Promise<Runtime> {
  const wasmModule = await WebAssembly.compile(readFileSync(join(pyodideDir, "pyodide.asm.wasm")));
  const lock = z.object({ info: z.record(z.unknown()) }).parse(JSON.parse(readFileSync(join(pyodideDir, "pyodide-lock.json"), "utf8")));
  return { wasmModule, lockInfo: lock.info };
}

export async function makeSnapshot(workerFile: URL, workerData: Omit<WorkerData, "mode">): Promise<ArrayBuffer> {
  const worker = new Worker(workerFile, { workerData: { ...workerData, mode: "snapshot" }, env: {} });
  try {
    return await new Promise<ArrayBuffer>((resolve, reject) => {
      worker.once("message", (message: unknown) => {
        const parsed = WorkerMessage.safeParse(message);
        if (parsed.success && parsed.data.type === "snapshot") resolve(parsed.data.snapshot);
        else reject(new Error("the snapshot worker answered with something other than a snapshot"));
      });
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the snapshot worker exited (code ${code})`)));
    });
  } finally {
    await worker.terminate();
  }
}
