// `npm start` (and `npm run dev`, with --dev): install what is missing, then migrate, seed, build and serve.
import { spawn } from "node:child_process";
import { bootstrap, root } from "./bootstrap.mjs";

bootstrap();
const child = spawn(process.execPath, ["--import", "tsx", "scripts/start-app.ts", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
