// A private, throwaway PostgreSQL cluster on 127.0.0.1 and a free port, for tests and benchmarks.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";

export interface RunningPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function postgresBinDir(): string {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) throw new Error("PostgreSQL is not installed (expected /usr/lib/postgresql/<version>/bin)");
  const version = readdirSync(base).sort((a, b) => Number(b) - Number(a))[0];
  return join(base, version, "bin");
}

// initdb and postgres refuse to run as root; as root we run them as the `postgres` system user.
function asServiceUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), "chalkroom-pg-"));
  chmodSync(dir, 0o777);
  const dataDir = join(dir, "data");
  const [initCmd, initArgs] = asServiceUser(join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"]);
  const init = spawnSync(initCmd, initArgs, { encoding: "utf8" });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const [cmd, args] = asServiceUser(join(bin, "postgres"), [
    "-D", dataDir, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1",
    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300",
  ]);
  const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ready = spawnSync(join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port)]);
    if (ready.status === 0) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`PostgreSQL did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    async stop() {
      if (child.exitCode === null) {
        // Signal postgres itself through pg_ctl: runuser does not pass signals on to it.
        const exited = new Promise((r) => child.once("exit", r));
        const [stopCmd, stopArgs] = asServiceUser(join(bin, "pg_ctl"), ["-D", dataDir, "stop", "-m", "immediate"]);
        spawnSync(stopCmd, stopArgs);
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
