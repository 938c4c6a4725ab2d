// `npm run seed`: demo data into the configured database (DATABASE_URL, or the embedded one).
import { closeDb, db } from "~/utils/db.server.ts";
import { DEMO_PASSWORD, DEMO_STUDENTS, DEMO_TEACHER, seedDemo } from "./demo.ts";

const { seeded } = await seedDemo(db);
await closeDb();
console.log(seeded ? "Demo data created." : "Demo data already present.");
console.log(`Demo logins (password for all: ${DEMO_PASSWORD}):\n  teacher: ${DEMO_TEACHER.email}\n  students: ${DEMO_STUDENTS.map((s) => s.email).join(", ")}`);
