// Starts a private PostgreSQL and Redis, migrates a template database, runs the unit/integration suite, builds the
// app and runs the end-to-end suite in Chromium (installing livekit-server for the voice specs, which start their
// own). Prints one closing line: "N passed, M failed".
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { buildApp } from "./build.ts";
import { migrate } from "./migrate.ts";
import { ensureLivekitServer } from "./services/livekit.ts";
import { startPostgres } from "./services/postgres.ts";
import { startRedis } from "./services/redis.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const only = process.argv[2]; // "unit" or "e2e" to run one suite
const TEMPLATE = "chalkroom_template";

function vitest(config: string, reportFile: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolveExit) => {
    const child = spawn(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", config, "--reporter=default", "--reporter=json", `--outputFile.json=${reportFile}`], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, ...env },
    });
    child.on("exit", (code) => resolveExit(code ?? 1));
  });
}

function typecheck(): Promise<number> {
  return new Promise((resolveExit) => {
    const child = spawn(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "--noEmit"], { cwd: root, stdio: "inherit" });
    child.on("exit", (code) => resolveExit(code ?? 1));
  });
}

function counts(reportFile: string): { passed: number; failed: number; skipped: number } {
  try {
    const report = JSON.parse(readFileSync(reportFile, "utf8"));
    const failedSuites = report.testResults.filter((r: { status: string; assertionResults: unknown[] }) => r.status === "failed" && r.assertionResults.length === 0).length;
    return { passed: report.numPassedTests, failed: report.numFailedTests + failedSuites, skipped: report.numPendingTests + report.numTodoTests };
  } catch {
    return { passed: 0, failed: 1, skipped: 0 };
  }
}

const started = Date.now();
const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
let exitCode = 0;
const totals = { passed: 0, failed: 0, skipped: 0 };
try {
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  const templateUrl = postgres.url.replace(/\/postgres$/, `/${TEMPLATE}`);
  await migrate("deploy", { databaseUrl: templateUrl, quiet: true });

  if (!only) {
    console.log("\n▸ Type-checking (tsc --noEmit, strict)…");
    const code = await typecheck();
    if (code === 0) totals.passed += 1;
    else {
      totals.failed += 1;
      exitCode = 1;
    }
  }

  const reports = mkdtempSync(join(tmpdir(), "chalkroom-reports-"));
  const env: Record<string, string> = { TEST_PG_URL: postgres.url, TEST_PG_TEMPLATE: TEMPLATE, TEST_REDIS_URL: redis.url };
  // Built once from the Go module proxy (about 2 minutes), then found in the user's cache. Without it only the
  // voice spec fails, saying why.
  if (only !== "unit") {
    try {
      env.LIVEKIT_SERVER_BIN = ensureLivekitServer();
    } catch (error) {
      console.error(`✖ ${(error as Error).message}`);
    }
  }
  const suites: [string, string][] = [];
  if (only !== "e2e") suites.push(["unit and integration", "vitest.config.ts"]);
  if (only !== "unit") suites.push(["end-to-end", "vitest.e2e.config.ts"]);
  for (const [label, config] of suites) {
    if (config === "vitest.e2e.config.ts") {
      console.log("\n▸ Building the app for the end-to-end suite…");
      await buildApp(root);
    }
    console.log(`\n▸ Running the ${label} suite…`);
    const reportFile = join(reports, `${config}.json`);
    const code = await vitest(config, reportFile, env);
    const c = counts(reportFile);
    if (code !== 0 && c.failed === 0) c.failed = 1; // a crash before any report still fails the run
    totals.passed += c.passed;
    totals.failed += c.failed;
    totals.skipped += c.skipped;
    if (code !== 0) exitCode = 1;
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
  totals.failed += 1;
} finally {
  await Promise.all([postgres.stop(), redis.stop()]);
}
console.log(`\nAll suites finished in ${Math.round((Date.now() - started) / 1000)} s.`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(exitCode);
