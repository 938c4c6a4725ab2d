// `npm run db:reset-demo`: throws away the embedded database and recreates it with fresh demo data.
import { rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "./migrate.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (process.env.DATABASE_URL) {
  console.error("DATABASE_URL is set: refusing to wipe a real database. Reset it with your own tools, then run npm run seed.");
  process.exit(1);
}
const dir = join(root, process.env.PGLITE_DIR ?? ".data/pglite");
rmSync(dir, { recursive: true, force: true });
await migrate("deploy", { pgliteDir: dir });
const { db, closeDb } = await import("~/utils/db.server.ts");
const { seedDemo } = await import("../seed/demo.ts");
await seedDemo(db);
await closeDb();
console.log("Demo data reset. Start the app with npm start.");
