// The grader process runs under Node's permission model, which may read only Pyodide and the grader's own
// files; TypeScript loaders need far more. So workers/grader is bundled to plain JavaScript in the
// gitignored .cache/grader/ — on first use, and again whenever one of its inputs is newer than the bundle.
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";
import { z } from "zod";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BUNDLE_DIR = join(root, ".cache/grader");
const MANIFEST = join(BUNDLE_DIR, "manifest.json");
// Modules of the grader process; the worker body is built separately, as a script for worker-loader.ts.
const MODULE_ENTRY_POINTS = {
  process: "workers/grader/process.ts",
  "make-snapshot": "workers/grader/make-snapshot.ts",
  "worker-loader": "workers/grader/worker-loader.ts",
};
const WORKER_BODY_ENTRY = "workers/grader/worker.ts";
const OUTPUTS = ["process.mjs", "make-snapshot.mjs", "worker-loader.mjs", "worker-body.cjs"];

const Manifest = z.object({ inputs: z.array(z.string()) });

export type GraderBundle = { dir: string; processFile: string; workerFile: string; workerBodyFile: string; makeSnapshotFile: string };

// A script compiled with a code cache loses its import() callback on Node 20
// (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so Pyodide's dynamic imports of Node's built-in modules are
// routed to the loader's require-based stand-in.
const builtinImportsThroughLoader: Plugin = {
  name: "pyodide-builtin-imports",
  setup(build) {
    build.onLoad({ filter: /[\\/]pyodide[\\/][^\\/]+\.mjs$/ }, async (args) => ({
      contents: (await readFile(args.path, "utf8")).replaceAll('import("node:', '__graderNodeImport("node:'),
      loader: "js",
    }));
  },
};

function bundleIsStale(): boolean {
  if (!existsSync(MANIFEST)) return true;
  const builtAt = statSync(MANIFEST).mtimeMs;
  const parsed = Manifest.safeParse(JSON.parse(readFileSync(MANIFEST, "utf8")));
  if (!parsed.success) return true;
  if (OUTPUTS.some((file) => !existsSync(join(BUNDLE_DIR, file)))) return true;
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
    const common = {
      absWorkingDir: root,
      outdir: staging,
      bundle: true,
      platform: "node",
      target: "node20",
      loader: { ".py": "text" },
      // ws (bundled inside pyodide.mjs) requires these optional native helpers inside try/catch.
      external: ["bufferutil", "utf-8-validate"],
      metafile: true,
      logLevel: "error",
    } satisfies BuildOptions;
    const modules = await build({ ...common, entryPoints: MODULE_ENTRY_POINTS, format: "esm", outExtension: { ".js": ".mjs" } });
    const body = await build({
      ...common,
      entryPoints: { "worker-body": WORKER_BODY_ENTRY },
      format: "cjs",
      outExtension: { ".js": ".cjs" },
      define: { "import.meta.url": "__graderBundleUrl" },
      plugins: [builtinImportsThroughLoader],
    });
    for (const file of OUTPUTS) renameSync(join(staging, file), join(BUNDLE_DIR, file));
    // This file's build settings are an input too.
    const self = relative(root, fileURLToPath(import.meta.url));
    const inputs = [...new Set([...Object.keys(modules.metafile.inputs), ...Object.keys(body.metafile.inputs), self])];
    writeFileSync(MANIFEST, JSON.stringify({ inputs }, null, 1));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The bundled grader, built first if missing or stale. Paths are real paths: the permission model checks those. */
export async function ensureGraderBundle(): Promise<GraderBundle> {
  if (bundleIsStale()) await buildBundle();
  const dir = realpathSync(BUNDLE_DIR);
  return {
    dir,
    processFile: join(dir, "process.mjs"),
    workerFile: join(dir, "worker-loader.mjs"),
    workerBodyFile: join(dir, "worker-body.cjs"),
    makeSnapshotFile: join(dir, "make-snapshot.mjs"),
  };
}
