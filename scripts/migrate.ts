// The project's migration command, the same on every machine: Prisma's schema engine compiled to wasm, so
// nothing is downloaded at run time. `diff <name>` writes a new migration from schema changes; `deploy`
// applies pending migrations (recorded in the usual _prisma_migrations table); `status` prints the history.
// Target: DATABASE_URL (PostgreSQL) or PGLITE_DIR (the embedded database of `npm start`).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { PrismaPGlite } from "pglite-prisma-adapter";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const schemaPath = join(root, "prisma/schema.prisma");
const migrationsDir = join(root, "prisma/migrations");
const filters = { externalTables: [], externalEnums: [] };

type Bindings = typeof engineBindings & { __wbg_set_wasm(exports: WebAssembly.Exports): void };

async function loadEngineWasm() {
  const require = createRequire(import.meta.url);
  const jsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasm = readFileSync(jsPath.replace(/schema_engine_bg\.js$/, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(wasm, { "./schema_engine_bg.js": engineBindings as never });
  (engineBindings as Bindings).__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
}

function migrationsList() {
  const lock = join(migrationsDir, "migration_lock.toml");
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir).filter((d) => existsSync(join(migrationsDir, d, "migration.sql"))).sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lock) ? readFileSync(lock, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((d) => ({
      path: d,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: readFileSync(join(migrationsDir, d, "migration.sql"), "utf8") } },
    })),
  };
}

export async function migrate(command: "deploy" | "status" | "diff", options: { databaseUrl?: string; pgliteDir?: string; name?: string; quiet?: boolean }) {
  await loadEngineWasm();
  if (options.pgliteDir) mkdirSync(options.pgliteDir, { recursive: true });
  const pglite = options.pgliteDir ? new PGlite(options.pgliteDir) : null;
  const main = pglite ? new PrismaPGlite(pglite) : new PrismaPg({ connectionString: options.databaseUrl });
  // The shadow database for diffing is an in-memory PGlite: the pg adapter cannot describe pg_catalog "char" columns.
  const factory = {
    provider: "postgres" as const,
    adapterName: main.adapterName,
    connect: () => main.connect(),
    connectToShadowDb: async () => new PrismaPGlite(new PGlite()).connect(),
  };
  const adapter = bindMigrationAwareSqlAdapterFactory(factory as never);
  const schema = { path: schemaPath, content: readFileSync(schemaPath, "utf8") };
  const engine = await engineBindings.SchemaEngine.new({ datamodels: [[schema.path, schema.content]] } as never, () => {}, adapter);
  const log = (...args: unknown[]) => options.quiet || console.log(...args);
  try {
    if (command === "deploy") {
      const result = await engine.applyMigrations({ migrationsList: migrationsList(), filters } as never);
      log(result.appliedMigrationNames.length ? `applied: ${result.appliedMigrationNames.join(", ")}` : "database is up to date");
      return result.appliedMigrationNames as string[];
    }
    if (command === "status") {
      const result = await engine.diagnoseMigrationHistory({ migrationsList: migrationsList(), optInToShadowDatabase: false, filters } as never);
      log(JSON.stringify(result, null, 2));
      return [];
    }
    const list = migrationsList();
    const from = list.migrationDirectories.length ? { tag: "migrations", ...list } : { tag: "empty" };
    const result = await engine.diff({ from, to: { tag: "schemaDatamodel", files: [schema] }, script: true, exitCode: null, filters } as never);
    const sql = (result as { stdout?: string }).stdout ?? "";
    if (!sql.trim() || sql.includes("This is an empty migration")) {
      log("schema and migrations agree: nothing to write");
      return [];
    }
    if (!options.name) throw new Error("usage: migrate diff <name>");
    const dir = `${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}_${options.name}`;
    mkdirSync(join(migrationsDir, dir), { recursive: true });
    writeFileSync(join(migrationsDir, dir, "migration.sql"), sql);
    if (!existsSync(join(migrationsDir, "migration_lock.toml"))) writeFileSync(join(migrationsDir, "migration_lock.toml"), 'provider = "postgresql"\n');
    log(`wrote prisma/migrations/${dir}/migration.sql`);
    return [dir];
  } finally {
    engine.free?.();
    await pglite?.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, name] = process.argv.slice(2);
  if (command !== "deploy" && command !== "status" && command !== "diff") {
    console.error("usage: npm run db:migrate -- deploy | status | diff <name>   (DATABASE_URL or PGLITE_DIR selects the database)");
    process.exit(2);
  }
  const pgliteDir = process.env.DATABASE_URL ? undefined : (process.env.PGLITE_DIR ?? join(root, ".data/pglite"));
  await migrate(command, { databaseUrl: process.env.DATABASE_URL, pgliteDir, name });
  process.exit(0);
}
