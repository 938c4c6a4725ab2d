// Runs before `npm start` and `npm test` with plain Node (no dependencies yet): installs node modules when
// they are missing or older than the lockfile, generates the Prisma client, and installs Debian packages.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// Flags for every server process: a larger young generation keeps garbage collection out of the tail
// latency of search-as-you-type (measured: p95 roughly halves on 10,000 challenges).
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=64"];

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.status !== 0) {
    console.error(`\n✖ ${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

// `npm install` rather than `npm ci`: npm 11 leaves other platforms' optional packages out of the lockfile
// and then `npm ci` refuses that same lockfile (npm/cli#4828). `npm install` still installs the pinned versions.
export function ensureNodeModules() {
  const stamp = join(root, "node_modules/.chalkroom-lock-hash");
  const lockHash = () => createHash("sha256").update(readFileSync(join(root, "package-lock.json"))).digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === lockHash()) return;
  console.log("▸ Installing node modules…");
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"]);
  writeFileSync(stamp, lockHash());
}

export function ensurePrismaClient() {
  const generated = join(root, "app/generated/prisma/client.ts");
  if (mtime(generated) >= mtime(join(root, "prisma/schema.prisma"))) return;
  console.log("▸ Generating the Prisma client…");
  run(process.execPath, ["scripts/prisma-generate.mjs"], { stdio: ["ignore", "ignore", "inherit"] });
}

const isRoot = () => process.getuid?.() === 0;
let aptUpdated = false;

/** Installs Debian packages whose check fails; as a normal user, says what to install instead. */
export function ensureDebianPackages(packages) {
  const missing = packages.filter((p) => !p.present());
  if (!missing.length) return;
  const names = missing.map((p) => p.name);
  if (!isRoot()) {
    console.error(`✖ Missing system packages: ${names.join(", ")}. Install them with: sudo apt-get install -y ${names.join(" ")}`);
    process.exit(1);
  }
  console.log(`▸ Installing Debian packages: ${names.join(", ")}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!aptUpdated) run("apt-get", ["update", "-qq"], { env });
  aptUpdated = true;
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...names], { env });
}

export const postgresPresent = () =>
  existsSync("/usr/lib/postgresql") && readdirSync("/usr/lib/postgresql").some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`));

export const commandPresent = (command) => {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

export function bootstrap() {
  ensureNodeModules();
  ensurePrismaClient();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) bootstrap();
