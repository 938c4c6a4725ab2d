import { randomBytes } from "node:crypto";
import pg from "pg";

/** A new database cloned from the migrated template: each test file or e2e server gets its own. */
export async function cloneTemplateDatabase(adminUrl: string, template: string): Promise<string> {
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // PostgreSQL refuses to clone a template that another clone is reading: one at a time.
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
  return url.toString();
}
