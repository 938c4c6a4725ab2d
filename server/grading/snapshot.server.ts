// The memory snapshot every interpreter starts from is made once per grader bundle and Pyodide version by
// a short-lived sandboxed process (workers/grader/make-snapshot.ts) and cached in .cache/grader/snapshots/,
// so a grader process starts in well under a second — also when it is restarted after a crash.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { GraderBundle } from "./bundle.server.ts";
import { GRADER_V8_FLAGS, sandboxedNodeCommand, type Isolation } from "./isolation.server.ts";

const EMPTY_ENVIRONMENT = {} as NodeJS.ProcessEnv;

function snapshotKey(bundle: GraderBundle, pyodideDir: string): string {
  return createHash("sha256")
    .update(readFileSync(bundle.workerFile))
    .update(readFileSync(bundle.workerBodyFile))
    .update(readFileSync(join(pyodideDir, "package.json")))
    .update(process.version)
    .update(GRADER_V8_FLAGS.join(" "))
    .digest("hex")
    .slice(0, 24);
}

function make(command: string[]): Promise<void> {
  const [executable, ...args] = command;
  const child = spawn(executable, args, { env: EMPTY_ENVIRONMENT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`making the grader's memory snapshot failed (${signal ?? `exit ${code}`}): ${stderr.trim() || "no output"}`));
    });
  });
}

export type StartingPoint = { snapshotFile: string; codeCacheFile: string };

/** The cached snapshot and code cache for this bundle, made first if needed. */
export async function ensureSnapshot(bundle: GraderBundle, pyodideDir: string, isolation: Isolation, memoryLimitBytes: number): Promise<StartingPoint> {
  const dir = join(bundle.dir, "snapshots");
  const key = snapshotKey(bundle, pyodideDir);
  const files = { snapshotFile: join(dir, `${key}.bin`), codeCacheFile: join(dir, `${key}.code-cache`) };
  if (existsSync(files.snapshotFile) && existsSync(files.codeCacheFile)) return files;
  mkdirSync(dir, { recursive: true });
  const config = { pyodideDir, workerFile: bundle.workerFile, memoryLimitBytes, snapshotOutput: files.snapshotFile, codeCacheOutput: files.codeCacheFile };
  await make(sandboxedNodeCommand(isolation, { readable: [pyodideDir, bundle.dir], writable: [dir] }, bundle.makeSnapshotFile, config));
  // What older bundles made is never read again.
  for (const name of readdirSync(dir)) if (!name.startsWith(key)) rmSync(join(dir, name), { force: true });
  return files;
}

/** Drops a starting point a grader could not start from, so that the next start makes a new one. */
export function discardSnapshot(files: StartingPoint): void {
  rmSync(files.snapshotFile, { force: true });
  rmSync(files.codeCacheFile, { force: true });
}
