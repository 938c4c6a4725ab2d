// `npm start`: install what is missing, then migrate, seed, build and serve (scripts/start-app.ts).
import { spawn } from "node:child_process";
import { bootstrap, root } from "./bootstrap.mjs";

bootstrap();
const child = spawn(process.execPath, ["--import", "tsx", "scripts/start-app.ts"], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
