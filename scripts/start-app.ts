// Prepares the embedded database (or DATABASE_URL's), seeds the demo, builds when sources changed, serves.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildIsStale, buildApp } from "./build.ts";
import { migrate } from "./migrate.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev"); // Vite middleware with hot reload instead of the production build
process.chdir(root);
process.env.NODE_ENV ??= dev ? "development" : "production";

// A session secret kept on disk so sessions survive restarts; production sets SESSION_SECRET itself.
if (!process.env.SESSION_SECRET) {
  const secretFile = join(root, ".data/session-secret");
  mkdirSync(dirname(secretFile), { recursive: true });
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString("hex"), { mode: 0o600 });
  process.env.SESSION_SECRET = readFileSync(secretFile, "utf8").trim();
}

const usingEmbedded = !process.env.DATABASE_URL;
console.log(usingEmbedded ? "▸ Preparing the embedded database (.data/pglite)…" : "▸ Migrating DATABASE_URL…");
await migrate("deploy", { databaseUrl: process.env.DATABASE_URL, pgliteDir: usingEmbedded ? join(root, process.env.PGLITE_DIR ?? ".data/pglite") : undefined });

if (!dev && buildIsStale(root)) {
  console.log("▸ Building the app…");
  await buildApp(root);
}

const { db } = await import("~/utils/db.server.ts");
const { seedDemo, DEMO_PASSWORD, DEMO_STUDENTS, DEMO_TEACHER } = await import("../seed/demo.ts");
const { seeded } = await seedDemo(db);

const { loadConfig } = await import("~/utils/config.server.ts");
const { closeOnSignals, startApp } = await import("../server/app.ts");
const config = loadConfig();
const app = await startApp(config, { root, dev });

console.log(`
Chalkroom is running on ${config.PUBLIC_URL ?? `http://localhost:${config.PORT}`}${seeded ? " (demo data created)" : ""}

Demo logins, password "${DEMO_PASSWORD}" for all:
  teacher   ${DEMO_TEACHER.email}
  students  ${DEMO_STUDENTS.map((s) => s.email).join("\n            ")}

Reset the demo data: npm run db:reset-demo. Stop with Ctrl+C.`);

closeOnSignals(app);
