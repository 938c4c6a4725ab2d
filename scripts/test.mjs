// `npm test`: install what is missing (node modules, PostgreSQL, Redis, Chromium), then run every suite.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { bootstrap, ensureDebianPackages, postgresPresent, root } from "./bootstrap.mjs";

bootstrap();
ensureDebianPackages([
  { name: "postgresql", present: postgresPresent },
  { name: "chromium", present: () => existsSync("/usr/bin/chromium") },
  { name: "python3", present: () => existsSync("/usr/bin/python3") },
  { name: "redis-server", present: () => existsSync("/usr/bin/redis-server") },
]);
const child = spawn(process.execPath, ["--import", "tsx", "scripts/test-run.ts", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
