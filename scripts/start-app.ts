// Prepares the embedded database (or DATABASE_URL's), seeds the demo, builds when sources changed, starts a local
// LiveKit for voice when one is installed, serves.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildIsStale, buildApp } from "./build.ts";
import { migrate } from "./migrate.ts";
import { freePort } from "./services/ports.ts";
import { findLivekitServer, startLivekit, type RunningLivekit } from "./services/livekit.ts";

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

// Voice: without LIVEKIT_URL, a local `livekit-server --dev` on 127.0.0.1 when one is installed (npm run
// livekit:install), posting its webhooks to this app. Browsers on this machine reach it; others need a real one.
// Before anything reads the configuration: it is parsed once.
let livekit: RunningLivekit | undefined;
let voiceNote = "Voice: LIVEKIT_URL is set.";
if (!process.env.LIVEKIT_URL) {
  const binary = findLivekitServer();
  if (binary) {
    const appPort = Number(process.env.PORT ?? 3000);
    livekit = await startLivekit({ binary, port: (await portIsFree(7880)) ? 7880 : await freePort(), webhookUrl: `http://127.0.0.1:${appPort}/voice/webhook` });
    Object.assign(process.env, { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret });
    voiceNote = `Voice: a local LiveKit on ${livekit.url} (browsers on this machine only).`;
  } else {
    voiceNote = "Voice is off: run `npm run livekit:install` once (about 2 minutes) and restart, or set LIVEKIT_URL.";
  }
}

const { db } = await import("~/utils/db.server.ts");
const { seedDemo, DEMO_PASSWORD, DEMO_STUDENTS, DEMO_TEACHER } = await import("../seed/demo.ts");
const { seeded } = await seedDemo(db);

const { loadConfig } = await import("~/utils/config.server.ts");
const { closeOnSignals, startApp } = await import("../server/app.ts");
const config = loadConfig();
const running = await startApp(config, { root, dev });
const app = {
  ...running,
  async close() {
    await running.close();
    await livekit?.stop();
  },
};

console.log(`
Chalkroom is running on ${config.PUBLIC_URL ?? `http://localhost:${config.PORT}`}${seeded ? " (demo data created)" : ""}

Demo logins, password "${DEMO_PASSWORD}" for all:
  teacher   ${DEMO_TEACHER.email}
  students  ${DEMO_STUDENTS.map((s) => s.email).join("\n            ")}

${voiceNote}
Reset the demo data: npm run db:reset-demo. Stop with Ctrl+C.`);

closeOnSignals(app);

async function portIsFree(port: number): Promise<boolean> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const probe = createServer().once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}
