// `npm start` (and `npm run dev`, with --dev): install what is missing, then migrate, seed, build and serve.
import { spawn } from "node:child_process";
import { bootstrap, root, SERVER_NODE_FLAGS } from "./bootstrap.mjs";

bootstrap();
const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, "--import", "tsx", "scripts/start-app.ts", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
