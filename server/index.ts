import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "~/utils/config.server.ts";
import { closeOnSignals, startApp } from "./app.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const config = loadConfig();
if (!config.SESSION_SECRET) {
  console.error("SESSION_SECRET is not set. Set it to a long random string (npm start makes one in .data/).");
  process.exit(1);
}
const app = await startApp(config, { root, dev: process.argv.includes("--dev") });
console.log(`Chalkroom is serving on ${config.PUBLIC_URL ?? app.url}`);
closeOnSignals(app);
