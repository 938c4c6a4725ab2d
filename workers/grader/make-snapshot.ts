// Makes the grader's memory snapshot (and V8's code cache for the worker body) and writes them where the
// launcher caches them. Started by the launcher in the same sandbox as the grader, but allowed to write the
// snapshot directory; it never runs student code, so every grader process can start from its output
// instead of spending ~2.5 s making its own.
import { renameSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { loadRuntime, makeSnapshot } from "./runtime.ts";

const Config = z.object({
  pyodideDir: z.string(),
  workerFile: z.string(),
  memoryLimitBytes: z.number().int().positive(),
  snapshotOutput: z.string(),
  codeCacheOutput: z.string(),
});
const config = Config.parse(JSON.parse(process.argv[2] ?? "null"));

const runtime = await loadRuntime(config.pyodideDir);
const { snapshot, codeCache } = await makeSnapshot(new URL(`file://${config.workerFile}`), { pyodideDir: config.pyodideDir, memoryLimitBytes: config.memoryLimitBytes, ...runtime });
// Written beside and renamed into place, the snapshot last: a grader never reads half a file, and a
// snapshot file means its code cache is there too.
function writeAtomically(path: string, bytes: ArrayBuffer): void {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, new Uint8Array(bytes));
  renameSync(partial, path);
}
writeAtomically(config.codeCacheOutput, codeCache);
writeAtomically(config.snapshotOutput, snapshot);
