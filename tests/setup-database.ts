import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";

// A fresh database per test file, cloned from the migrated template: fast and isolated.
const adminUrl = process.env.TEST_PG_URL;
if (!adminUrl) throw new Error("TEST_PG_URL is not set: run the tests with `npm test`, which starts PostgreSQL.");
const template = process.env.TEST_PG_TEMPLATE ?? "chalkroom_template";
const name = `test_${randomBytes(6).toString("hex")}`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
// PostgreSQL refuses to clone a template that another clone is reading: one file at a time.
await admin.query("SELECT pg_advisory_lock(7431)");
try {
  // A backend that just served the previous clone (or the migration) can take a moment to exit.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== "55006" || attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
} finally {
  await admin.query("SELECT pg_advisory_unlock(7431)");
  await admin.end();
}

const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
process.env.SESSION_SECRET ??= "test-session-secret-0123456789";
process.env.NODE_ENV = "test";

afterAll(async () => {
  const { closeDb } = await import("~/utils/db.server.ts");
  await closeDb();
});
