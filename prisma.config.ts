import { defineConfig } from "prisma/config";

// process.env rather than env(): commands that need no database (generate) must work without DATABASE_URL.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
