// A local LiveKit server (`livekit-server --dev`) for `npm start` and the tests: installed from the Go module
// proxy into a per-user cache, and run so that it binds and advertises nothing but 127.0.0.1.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "./ports.ts";

export const LIVEKIT_VERSION = "v1.13.5";
const MODULE = "github.com/livekit/livekit-server/cmd/server";
// `--dev` uses this well-known key pair; the server only listens on loopback.
export const DEV_API_KEY = "devkey";
export const DEV_API_SECRET = "secret";

export interface RunningLivekit {
  /** What browsers and the app connect to (ws://127.0.0.1:<port>). */
  url: string;
  apiKey: string;
  apiSecret: string;
  stop(): Promise<void>;
}

const cacheDir = () => join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "chalkroom", `livekit-server-${LIVEKIT_VERSION}`);
const cachedBinary = () => join(cacheDir(), "livekit-server");

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** The livekit-server to run: LIVEKIT_SERVER_BIN, else the cached build, else one on the PATH; null when none. */
export function findLivekitServer(): string | null {
  if (process.env.LIVEKIT_SERVER_BIN) return existsSync(process.env.LIVEKIT_SERVER_BIN) ? process.env.LIVEKIT_SERVER_BIN : null;
  if (existsSync(cachedBinary())) return cachedBinary();
  return onPath("livekit-server");
}

/**
 * The livekit-server binary, built with `go install` from the Go module proxy when missing (about 2 minutes on
 * 2 cores, once: later runs find it in the cache). Go 1.21+ fetches the Go 1.26 toolchain the release needs by
 * itself (GOTOOLCHAIN=auto). The release tag is pinned: the development branch's go.mod has replace directives.
 */
export function ensureLivekitServer(log: (line: string) => void = console.log): string {
  const found = findLivekitServer();
  if (found) return found;
  const go = onPath("go") ?? (existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : null);
  if (!go) throw new Error(`livekit-server is missing and Go is not installed to build it. Install Go 1.21+ (https://go.dev/doc/install), or put livekit-server ${LIVEKIT_VERSION} on the PATH.`);
  log(`▸ Building livekit-server ${LIVEKIT_VERSION} from the Go module proxy into ${cacheDir()} (about 2 minutes, once)…`);
  mkdirSync(cacheDir(), { recursive: true });
  const gobin = mkdtempSync(join(cacheDir(), "build-"));
  try {
    const result = spawnSync(go, ["install", `${MODULE}@${LIVEKIT_VERSION}`], {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, GOBIN: gobin, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? "auto", GOFLAGS: "-buildvcs=false" },
    });
    if (result.status !== 0) throw new Error(`go install ${MODULE}@${LIVEKIT_VERSION} failed (exit ${result.status ?? result.signal})`);
    renameSync(join(gobin, "server"), cachedBinary());
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
  return cachedBinary();
}

export interface LivekitOptions {
  binary: string;
  /** Signalling port (HTTP + WebSocket); a free one when omitted. */
  port?: number;
  /** Where LiveKit posts its webhooks, signed with the dev key. */
  webhookUrl?: string;
}

/**
 * `livekit-server --dev` on 127.0.0.1 only: signalling bound to loopback, media (ICE over UDP) on loopback ports
 * from a random range (parallel test runs pick different ones, and pion skips ports in use), no ICE/TCP listener
 * (it would bind every interface), no TURN, and a loopback address as the STUN server it hands to browsers: left
 * unset, LiveKit gives them public STUN servers.
 */
export async function startLivekit(options: LivekitOptions): Promise<RunningLivekit> {
  const port = options.port ?? (await freePort());
  const rangeStart = 40_000 + Math.floor(Math.random() * 200) * 100;
  const config = {
    port,
    bind_addresses: ["127.0.0.1"],
    rtc: {
      node_ip: "127.0.0.1",
      use_external_ip: false,
      enable_loopback_candidate: true,
      ips: { includes: ["127.0.0.1/32"] },
      tcp_port: 0,
      port_range_start: rangeStart,
      port_range_end: rangeStart + 99,
      stun_servers: [`127.0.0.1:${port}`],
    },
    turn: { enabled: false },
    logging: { level: "info" },
    ...(options.webhookUrl ? { webhook: { api_key: DEV_API_KEY, urls: [options.webhookUrl] } } : {}),
  };
  // YAML is a superset of JSON.
  const child = spawn(options.binary, ["--dev", "--bind", "127.0.0.1", "--config-body", JSON.stringify(config)], { stdio: ["ignore", "pipe", "pipe"] });
  // Not left running when whoever started it exits without stopping it (a crashed test file, a failed start).
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const spawnError = new Promise<never>((_, reject) => child.once("error", (e) => reject(new Error(`livekit-server could not start: ${e.message}`))));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await Promise.race([fetch(url).then((r) => r.ok, () => false), spawnError]);
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`livekit-server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `ws://127.0.0.1:${port}`,
    apiKey: DEV_API_KEY,
    apiSecret: DEV_API_SECRET,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
