// The entry of every interpreter worker. It runs the worker body (worker.ts, bundled as a script) through
// vm.Script so that V8's code cache applies: compiling the 1.8 MB body and the functions Pyodide runs
// while it restores a snapshot is about a quarter of a fresh worker's CPU, and the cache saves most of it.
// The cache is made by the snapshot maker from an interpreter that never saw student code.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";
import workerThreads from "node:worker_threads";

const bodyFile = join(dirname(fileURLToPath(import.meta.url)), "worker-body.cjs");
const bodyUrl = pathToFileURL(bodyFile).href;
const { codeCache, makeCodeCache } = workerThreads.workerData as { codeCache?: unknown; makeCodeCache?: unknown };

// The bundle refers to import.meta.url and (for Node's built-in modules) import() through these two names.
const source = `(function (require, module, exports, __graderBundleUrl, __graderNodeImport) {${readFileSync(bodyFile, "utf8")}\n})`;
const script = new vm.Script(source, { filename: bodyFile, cachedData: codeCache instanceof ArrayBuffer ? new Uint8Array(codeCache) : undefined });
const nodeRequire = createRequire(bodyUrl);
const importBuiltin = (specifier: string) => {
  const builtin = nodeRequire(specifier) as object;
  return Promise.resolve({ ...builtin, default: builtin });
};
const body: { exports: { started?: Promise<void> } } = { exports: {} };
script.runInThisContext()(nodeRequire, body, body.exports, bodyUrl, importBuiltin);
await body.exports.started;

if (makeCodeCache === true) {
  const cache = script.createCachedData();
  const buffer = cache.buffer.slice(cache.byteOffset, cache.byteOffset + cache.byteLength);
  workerThreads.parentPort?.postMessage({ type: "code-cache", cache: buffer }, [buffer]);
}
