// The grader process runs under Node's permission model, which may read only Pyodide and the grader's own
// files; TypeScript loaders need far more. So workers/grader is bundled to plain JavaScript in the
// gitignored .cache/grader/ — on first use, and again whenever one of its inputs is newer than the bundle.
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { z } from "zod";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BUNDLE_DIR = join(root, ".cache/grader");
const MANIFEST = join(BUNDLE_DIR, "manifest.json");
const ENTRY_POINTS = { process: "workers/grader/process.ts", worker: "workers/grader/worker.ts", "make-snapshot": "workers/grader/make-snapshot.ts" };

const Manifest = z.object({ inputs: z.array(z.string()) });

export type GraderBundle = { dir: string; processFile: string; workerFile: string; makeSnapshotFile: string };

function bundleIsStale(): boolean {
  if (!existsSync(MANIFEST)) return true;
  const builtAt = statSync(MANIFEST).mtimeMs;
  const parsed = Manifest.safeParse(JSON.parse(readFileSync(MANIFEST, "utf8")));
  if (!parsed.success) return true;
  const outputs = Object.keys(ENTRY_POINTS).map((name) => join(BUNDLE_DIR, `${name}.mjs`));
  if (outputs.some((file) => !existsSync(file))) return true;
  return parsed.data.inputs.some((input) => {
    const path = join(root, input);
    return !existsSync(path) || statSync(path).mtimeMs > builtAt;
  });
}

async function buildBundle(): Promise<void> {
  // Build beside the bundle and rename into place, so a concurrent start never sees half a file.
  const staging = join(BUNDLE_DIR, `.staging-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: ENTRY_POINTS,
      outdir: staging,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      loader: { ".py": "text" },
      // ws (bundled inside pyodide.mjs) requires these optional native helpers inside try/catch.
      external: ["bufferutil", "utf-8-validate"],
      metafile: true,
      logLevel: "error",
    });
    for (const name of Object.keys(ENTRY_POINTS)) renameSync(join(staging, `${name}.mjs`), join(BUNDLE_DIR, `${name}.mjs`));
    const inputs = Object.keys(result.metafile.inputs);
    writeFileSync(MANIFEST, JSON.stringify({ inputs }, null, 1));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The bundled grader, built first if missing or stale. Paths are real paths: the permission model checks those. */
export async function ensureGraderBundle(): Promise<GraderBundle> {
  if (bundleIsStale()) await buildBundle();
  const dir = realpathSync(BUNDLE_DIR);
  return { dir, processFile: join(dir, "process.mjs"), workerFile: join(dir, "worker.mjs"), makeSnapshotFile: join(dir, "make-snapshot.mjs") };
}
