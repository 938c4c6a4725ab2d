// How the grader process is cut off from the network and from other processes: new network and PID
// namespaces via util-linux `unshare`. Node's permission model covers files, child processes, workers and
// addons, but not sockets; the network namespace (whose only interface is a loopback that is down) covers
// those. The PID namespace makes the grader PID 1 of its own namespace, so signals cannot reach the web
// server or anything else on the host.
import { accessSync, constants } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export type Isolation = { wrapper: string[]; isolation: "namespaces" | "network-allowed" };

export class SandboxUnavailableError extends Error {}

const NAMESPACE_FLAGS = ["--net", "--pid", "--fork", "--kill-child"];
// As root, plain namespaces; otherwise (or where root lacks CAP_SYS_ADMIN) an unprivileged user namespace.
const AS_ROOT = NAMESPACE_FLAGS;
const UNPRIVILEGED = ["--map-root-user", ...NAMESPACE_FLAGS];

let detected: string[] | null | undefined;

function findUnshare(): string | undefined {
  const directories = [...(process.env.PATH ?? "").split(":"), "/usr/bin", "/bin"].filter(Boolean);
  for (const directory of directories) {
    const candidate = join(directory, "unshare");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The `unshare …` prefix that works on this machine, or null when none does. Probed once per process. */
function detectNamespaces(): string[] | null {
  if (detected !== undefined) return detected;
  const unshare = findUnshare();
  const variants = process.getuid?.() === 0 ? [AS_ROOT, UNPRIVILEGED] : [UNPRIVILEGED, AS_ROOT];
  detected = null;
  if (unshare) {
    for (const flags of variants) {
      const probe = spawnSync(unshare, [...flags, process.execPath, "-e", ""], { env: {} as NodeJS.ProcessEnv, stdio: "ignore", timeout: 10_000 });
      if (probe.status === 0) {
        detected = [unshare, ...flags];
        break;
      }
    }
  }
  return detected;
}

/**
 * The command prefix for the grader process. Throws when no namespace can be made, unless the network
 * was explicitly allowed (GRADER_ALLOW_NETWORK=1, for containers that already have no network).
 */
export function chooseIsolation(allowNetwork: boolean): Isolation {
  const namespaces = detectNamespaces();
  if (namespaces) return { wrapper: namespaces, isolation: "namespaces" };
  if (allowNetwork) return { wrapper: [], isolation: "network-allowed" };
  throw new SandboxUnavailableError(
    "The grader cannot start: it needs a new network namespace, and neither `unshare --net --pid` (as root) nor " +
      "`unshare --map-root-user --net --pid` (unprivileged user namespaces) works here. In Docker, give the service that " +
      "runs the grader `cap_add: [SYS_ADMIN]`; on a host, enable unprivileged user namespaces " +
      "(sysctl kernel.unprivileged_userns_clone=1). Only if the container already has no network, set GRADER_ALLOW_NETWORK=1. " +
      "See docs/decisions/007-grader-sandbox.md.",
  );
}

/**
 * V8 heap sizes for the grader's processes. A fresh interpreter allocates ~40 MB of JavaScript objects while
 * it starts; from V8's default small initial heap that costs several scavenges and two full collections
 * (~25 ms of each worker's CPU). They are V8 flags, so a code cache only applies in a process started with
 * the same ones: the snapshot maker and the grader both use this list, and the snapshot key includes it.
 */
export const GRADER_V8_FLAGS = ["--min-semi-space-size=16", "--initial-old-space-size=128"];

/**
 * The command line of a sandboxed grader process: Node's permission model with reads of `readable` only,
 * writes of `writable` only, worker threads, and no child processes, addons or code from strings.
 */
export function sandboxedNodeCommand(isolation: Isolation, access: { readable: string[]; writable?: string[] }, entry: string, config: object): string[] {
  return [
    ...isolation.wrapper,
    process.execPath,
    "--experimental-permission",
    ...access.readable.map((dir) => `--allow-fs-read=${dir}/*`),
    ...(access.writable ?? []).map((dir) => `--allow-fs-write=${dir}/*`),
    "--allow-worker",
    // No eval or new Function: `obj.constructor.constructor("return process")()` is one escape less.
    "--disallow-code-generation-from-strings",
    "--no-warnings",
    ...GRADER_V8_FLAGS,
    entry,
    JSON.stringify(config),
  ];
}
