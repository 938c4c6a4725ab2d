// Collaboration benchmark: stock y-websocket providers (this process) against our server (its own process:
// auth by session cookie, PostgreSQL persistence, metrics on) and, in the same run, against a bare
// @y/websocket-server as the baseline. Latency runs from a client's edit to its arrival at each other
// client of the room.
//   pairs:    200 clients in 40 rooms of 5, each typing 5 small edits per second for 30 s
//   lecture:  one room, a teacher typing 10 edits per second, 60 read-only watchers, everyone moving their
//             cursor (awareness) once per second
//   capacity: rooms of 5 at 5 edits per second per client, 40 more clients per step, until p95 > 50 ms
// Prints one JSON line: {"pairs_p50_ms","pairs_p95_ms","pairs_p99_ms","pairs_baseline_p95_ms",
// "lecture_p95_ms","lecture_baseline_p95_ms","capacity_clients","baseline_capacity_clients",
// "capacity_ratio","db_writes_per_doc_per_s","rss_mb"}.
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { buildApp, buildIsStale } from "../scripts/build.ts";
import { SERVER_NODE_FLAGS } from "../scripts/bootstrap.mjs";
import { freePort } from "../scripts/services/ports.ts";
import { percentile } from "./support/percentile.ts";
import { startBenchDatabase } from "./support/database.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PAIRS = { rooms: 40, perRoom: 5, editsPerSecond: 5, seconds: 30 };
const LECTURE = { watchers: 60, editsPerSecond: 10, seconds: 20 };
const CAPACITY = { step: 40, perRoom: 5, editsPerSecond: 5, stepSeconds: 5, limitMs: 50, maxClients: 2000 };
const WARMUP_MS = 2_000;
const ROOMS_NEEDED = PAIRS.rooms + 1 + CAPACITY.maxClients / CAPACITY.perRoom;

process.setMaxListeners(0); // every y-websocket provider adds an exit listener in Node

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Target {
  name: "ours" | "baseline";
  port: number;
  process: ChildProcess;
}

async function startTarget(name: Target["name"], env: NodeJS.ProcessEnv): Promise<Target> {
  const port = await freePort();
  const entry = name === "ours" ? "server/index.ts" : "bench/support/yjs-baseline-server.ts";
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, "--import", "tsx", entry], { cwd: root, env: { ...env, PORT: String(port), HOST: "127.0.0.1" }, stdio: ["ignore", "pipe", "inherit"] });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await new Promise<boolean>((ok) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/collab/probe`);
      ws.once("open", () => (ws.terminate(), ok(true)));
      ws.once("error", () => ok(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} server did not start`);
    await sleep(200);
  }
  return { name, port, process: child };
}

async function stopTarget(target: Target) {
  const exited = new Promise((r) => target.process.once("exit", r));
  target.process.kill("SIGTERM");
  await exited;
}

/** Edits are tokens "⟨id⟩" inserted at random positions; arrivals are found in the updates receivers get. */
const sentAt = new Map<string, number>();
let nextToken = 0;
const TOKEN = /⟨([0-9a-z]+)⟩/g;

interface Client {
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
}

class Recorder {
  samples: number[] = [];
  recording = false;
  record(ms: number) {
    if (this.recording) this.samples.push(ms);
  }
}

function connect(target: Target, roomId: string, cookie: string | undefined, recorder: Recorder, readOnly = false): Client {
  class CookieSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: cookie ? { cookie } : {}, perMessageDeflate: false });
    }
  }
  const doc = new Y.Doc();
  const text = doc.getText("code");
  const provider = new WebsocketProvider(`ws://127.0.0.1:${target.port}/collab`, roomId, doc, {
    WebSocketPolyfill: CookieSocket as never,
    disableBc: true,
    params: readOnly ? { readonly: "1" } : {},
  });
  // Arrivals are read from the received update itself: a Y.Text event's delta walks the whole text, which
  // would make the generator, not the server, slow down as documents grow.
  doc.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin !== provider) return;
    const now = performance.now();
    for (const struct of Y.decodeUpdate(update).structs) {
      const content = (struct as { content?: { str?: unknown } }).content;
      if (typeof content?.str !== "string") continue;
      for (const match of content.str.matchAll(TOKEN)) {
        const at = sentAt.get(match[1]);
        if (at !== undefined) recorder.record(now - at);
      }
    }
  });
  return { doc, text, provider };
}

const synced = (c: Client) => new Promise<void>((ok) => (c.provider.synced ? ok() : c.provider.once("sync", () => ok())));

function edit(c: Client) {
  const id = (nextToken++).toString(36);
  sentAt.set(id, performance.now());
  c.text.insert(Math.floor(Math.random() * (c.text.length + 1)), `⟨${id}⟩`);
}

/** Calls `act` `perSecond` times a second for each client, with random phases, until stopped. */
function every(clients: Client[], perSecond: number, act: (c: Client) => void) {
  const period = 1000 / perSecond;
  const timers: NodeJS.Timeout[] = [];
  for (const c of clients) {
    const start = setTimeout(() => timers.push(setInterval(() => act(c), period)), Math.random() * period);
    timers.push(start);
  }
  return () => timers.forEach((t) => (clearTimeout(t), clearInterval(t)));
}

function disconnect(clients: Client[]) {
  for (const c of clients) {
    c.provider.destroy();
    c.doc.destroy();
  }
}

interface World {
  teacherCookie: string;
  studentCookies: string[];
  roomIds: string[];
}

/** Pairs, with the number of database writes (flushes) our server made while latency was recorded. */
async function pairs(target: Target, world: World) {
  const recorder = new Recorder();
  let flushes = NaN;
  const clients: Client[] = [];
  for (let r = 0; r < PAIRS.rooms; r++) {
    for (let i = 0; i < PAIRS.perRoom; i++) clients.push(connect(target, world.roomIds[r], world.studentCookies[i], recorder));
  }
  await Promise.all(clients.map(synced));
  const stop = every(clients, PAIRS.editsPerSecond, edit);
  await sleep(WARMUP_MS);
  const flushesBefore = target.name === "ours" ? await metric(target, "chalkroom_collab_flush_seconds_count") : NaN;
  recorder.recording = true;
  await sleep(PAIRS.seconds * 1000);
  recorder.recording = false;
  if (target.name === "ours") flushes = (await metric(target, "chalkroom_collab_flush_seconds_count")) - flushesBefore;
  stop();
  await sleep(500);
  disconnect(clients);
  return { samples: recorder.samples, flushes };
}

async function lecture(target: Target, world: World) {
  const recorder = new Recorder();
  const roomId = world.roomIds[PAIRS.rooms];
  const teacher = connect(target, roomId, world.teacherCookie, new Recorder());
  const watchers = Array.from({ length: LECTURE.watchers }, (_, i) => connect(target, roomId, world.studentCookies[i % world.studentCookies.length], recorder, true));
  const everyone = [teacher, ...watchers];
  await Promise.all(everyone.map(synced));
  let cursor = 0;
  const stopCursors = every(everyone, 1, (c) => c.provider.awareness.setLocalStateField("cursor", { anchor: cursor++, head: cursor }));
  const stopTyping = every([teacher], LECTURE.editsPerSecond, edit);
  await sleep(WARMUP_MS);
  recorder.recording = true;
  await sleep(LECTURE.seconds * 1000);
  recorder.recording = false;
  stopTyping();
  stopCursors();
  await sleep(500);
  disconnect(everyone);
  return recorder.samples;
}

/** Adds 40 clients per step; the largest client count whose step stayed under the p95 limit. */
async function capacity(target: Target, world: World) {
  const clients: Client[] = [];
  const stops: (() => void)[] = [];
  const recorder = new Recorder(); // every client records into it; it is emptied at each step
  let best = 0;
  let room = PAIRS.rooms;
  try {
    while (clients.length < CAPACITY.maxClients) {
      const added: Client[] = [];
      for (let i = 0; i < CAPACITY.step; i++) {
        if (i % CAPACITY.perRoom === 0) room++;
        added.push(connect(target, world.roomIds[room], world.studentCookies[i % CAPACITY.perRoom], recorder));
      }
      await Promise.all(added.map(synced));
      clients.push(...added);
      stops.push(every(added, CAPACITY.editsPerSecond, edit));
      await sleep(1_000);
      recorder.samples = [];
      recorder.recording = true;
      await sleep(CAPACITY.stepSeconds * 1000);
      recorder.recording = false;
      if (!(percentile(recorder.samples, 0.95) <= CAPACITY.limitMs)) break;
      best = clients.length;
    }
  } finally {
    stops.forEach((s) => s());
    await sleep(300);
    disconnect(clients);
  }
  return best;
}

/** Waits until our server's start-up work is done (its local grader warms its interpreters in the background). */
async function warm(target: Target) {
  for (let i = 0; i < 120; i++) {
    const ready = (await (await fetch(`http://127.0.0.1:${target.port}/readyz`)).json()) as { grader?: { warm: boolean } };
    if (ready.grader?.warm !== false) return;
    await sleep(500);
  }
  throw new Error("our server's grader did not warm up within a minute");
}

/** Between scenarios: forget the sent edits, collect the generator's garbage, let sockets close. */
async function settle() {
  sentAt.clear();
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(2_000);
}

async function metric(target: Target, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${target.port}/metrics`)).text();
  return Number(new RegExp(`^${name} ([0-9.e+]+)$`, "m").exec(text)?.[1] ?? NaN);
}

if (buildIsStale(root)) await buildApp(root);
const postgres = await startBenchDatabase();
try {
  const { db } = await import("~/utils/db.server.ts");
  const { startSession } = await import("~/utils/session.server.ts");

  const teacher = await db.user.create({ data: { email: "teacher@bench.test", name: "Teacher", role: "TEACHER", passwordHash: "-" } });
  const students = await Promise.all(Array.from({ length: 5 }, (_, i) => db.user.create({ data: { email: `student${i}@bench.test`, name: `Student ${i}`, role: "STUDENT", passwordHash: "-" } })));
  const group = await db.group.create({ data: { name: "Bench", joinCode: "BENCHXY", createdById: teacher.id, members: { create: [{ userId: teacher.id, role: "TEACHER" }, ...students.map((s) => ({ userId: s.id, role: "STUDENT" as const }))] } } });
  const challenge = await db.challenge.create({ data: { authorId: teacher.id, title: "Bench", prompt: "Type.", starterCode: "# type here\n", difficulty: "INTRO" } });
  const assignment = await db.assignment.create({ data: { groupId: group.id, challengeId: challenge.id, createdById: teacher.id, mode: "TEAM", teamSize: 5, opensAt: new Date(Date.now() - 60_000) } });
  const roomIds: string[] = [];
  for (let i = 0; i < ROOMS_NEEDED; i++) {
    const room = await db.room.create({ data: { assignmentId: assignment.id, name: `Room ${i + 1}`, members: { create: students.map((s) => ({ userId: s.id })) } } });
    roomIds.push(room.id);
  }
  const cookie = async (userId: string) => (await startSession(userId)).split(";")[0];
  const world: World = { teacherCookie: await cookie(teacher.id), studentCookies: await Promise.all(students.map((s) => cookie(s.id))), roomIds };
  const anonymous: World = { teacherCookie: "", studentCookies: ["", "", "", "", ""], roomIds };

  // Both servers run from the start; the scenarios alternate between them, each after a pause with the
  // generator's garbage collected, so neither inherits the other's (or an earlier scenario's) load.
  const ours = await startTarget("ours", { ...process.env });
  const baseline = await startTarget("baseline", { ...process.env });
  await warm(ours);
  const pairsOurs = await pairs(ours, world);
  const rssMb = (await metric(ours, "process_resident_memory_bytes")) / 1024 / 1024;
  await settle();
  const pairsBaseline = (await pairs(baseline, anonymous)).samples;
  await settle();
  const lectureOurs = await lecture(ours, world);
  await settle();
  const lectureBaseline = await lecture(baseline, anonymous);
  await settle();
  const capacityOurs = await capacity(ours, world);
  await settle();
  const capacityBaseline = await capacity(baseline, anonymous);
  await Promise.all([stopTarget(ours), stopTarget(baseline)]);

  console.log(JSON.stringify({
    pairs_p50_ms: percentile(pairsOurs.samples, 0.5),
    pairs_p95_ms: percentile(pairsOurs.samples, 0.95),
    pairs_p99_ms: percentile(pairsOurs.samples, 0.99),
    pairs_baseline_p95_ms: percentile(pairsBaseline, 0.95),
    lecture_p95_ms: percentile(lectureOurs, 0.95),
    lecture_baseline_p95_ms: percentile(lectureBaseline, 0.95),
    capacity_clients: capacityOurs,
    baseline_capacity_clients: capacityBaseline,
    capacity_ratio: Number((capacityOurs / capacityBaseline).toFixed(2)),
    // Flushes while pairs were measured (every room typing all along), per room per second.
    db_writes_per_doc_per_s: Number((pairsOurs.flushes / PAIRS.rooms / PAIRS.seconds).toFixed(3)),
    rss_mb: Math.round(rssMb),
  }));
  await db.$disconnect();
} finally {
  await postgres.stop();
}
