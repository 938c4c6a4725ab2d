import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/** True when the production build is missing or older than any source it is made from. */
export function buildIsStale(root: string): boolean {
  const built = newestMtime(join(root, "build/server/index.js"));
  const sources = Math.max(...["app", "workers", "vite.config.ts", "package-lock.json", "tsconfig.json"].map((p) => newestMtime(join(root, p))));
  return built < sources;
}

export async function buildApp(root: string): Promise<void> {
  const result = spawnSync(process.execPath, [join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error(`remix vite:build failed (exit ${result.status})`);
}
