// `npm run bench -- <name>`: installs what is missing (like npm test), then runs bench/<name>.ts,
// which prints one JSON line.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { bootstrap, ensureDebianPackages, postgresPresent, root, SERVER_NODE_FLAGS } from "./bootstrap.mjs";

const available = readdirSync(join(root, "bench")).filter((f) => f.endsWith(".ts")).map((f) => f.replace(/\.ts$/, ""));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join(" | ")}>`);
  process.exit(2);
}
bootstrap();
ensureDebianPackages([{ name: "postgresql", present: postgresPresent }]);
// --expose-gc: benchmarks collect their own garbage between scenarios.
const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, "--expose-gc", "--import", "tsx", join("bench", `${name}.ts`), ...process.argv.slice(3)], { cwd: root, stdio: "inherit" });
child.on("exit", (code) => process.exit(code ?? 1));
