// A benchmark's own PostgreSQL: started on a free loopback port, migrated, and made this process's (and
// its child servers') database through the environment. Stop it when done.
import { migrate } from "../../scripts/migrate.ts";
import { startPostgres, type RunningPostgres } from "../../scripts/services/postgres.ts";

export async function startBenchDatabase(): Promise<RunningPostgres> {
  const postgres = await startPostgres();
  try {
    await migrate("deploy", { databaseUrl: postgres.url, quiet: true });
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  process.env.DATABASE_URL = postgres.url;
  process.env.SESSION_SECRET = "bench-session-secret-0123456789";
  process.env.NODE_ENV = "production";
  return postgres;
}
