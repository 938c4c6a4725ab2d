// A private, throwaway Redis on 127.0.0.1 and a free port (no persistence), for tests and benchmarks.
import { spawn } from "node:child_process";
import { createConnection } from "node:net";
import { freePort } from "./ports.ts";

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
  });
}

export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const spawnError = new Promise<never>((_, reject) => child.once("error", (e) => reject(new Error(`redis-server could not start: ${e.message}`))));
  const deadline = Date.now() + 10_000;
  while (!(await Promise.race([ping(port), spawnError]))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`Redis did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
