import { remember } from "@epic-web/remember";
import { PrismaPg } from "@prisma/adapter-pg";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { mkdirSync } from "node:fs";
import { PrismaClient } from "~/generated/prisma/client.ts";
import { loadConfig } from "./config.server.ts";

export type Db = PrismaClient;

// PostgreSQL when DATABASE_URL is set; otherwise the embedded PGlite database of `npm start`.
// One client per process: the Remix build and the server share it through `remember`.
function createDb(): { prisma: PrismaClient; close(): Promise<void> } {
  const config = loadConfig();
  if (config.DATABASE_URL) {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: config.DATABASE_URL, max: 20 }) });
    return { prisma, close: () => prisma.$disconnect() };
  }
  mkdirSync(config.PGLITE_DIR, { recursive: true });
  const pglite = new PGlite(config.PGLITE_DIR);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    async close() {
      await prisma.$disconnect();
      await pglite.close(); // an unclosed data dir can hang the next opener
    },
  };
}

const target = loadConfig().DATABASE_URL ?? loadConfig().PGLITE_DIR;
const handle = remember(`chalkroom:db:${target}`, createDb);

export const db = handle.prisma;
export const closeDb = handle.close;
