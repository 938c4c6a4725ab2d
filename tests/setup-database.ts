import { afterAll } from "vitest";
import { cloneTemplateDatabase } from "../scripts/services/test-database.ts";

const adminUrl = process.env.TEST_PG_URL;
if (!adminUrl) throw new Error("TEST_PG_URL is not set: run the tests with `npm test`, which starts PostgreSQL.");

process.env.DATABASE_URL = await cloneTemplateDatabase(adminUrl, process.env.TEST_PG_TEMPLATE ?? "chalkroom_template");
process.env.SESSION_SECRET ??= "test-session-secret-0123456789";
process.env.NODE_ENV = "test";

afterAll(async () => {
  const { closeDb } = await import("~/utils/db.server.ts");
  await closeDb();
});
