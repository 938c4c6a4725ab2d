// The Node process: Express serving the Remix build (or Vite in development) on one HTTP server, which
// collaboration, live events, grading and voice attach to.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { Config } from "~/utils/config.server.ts";
import { closeDb, db } from "~/utils/db.server.ts";
import { canFollowTopic, roomVisitorAccess } from "~/models/access.server.ts";
import { roomExists, roomStarterCode } from "~/models/room.server.ts";
import { visitorFromCookieHeader } from "~/utils/visitor.server.ts";
import { attachCollab } from "./collab/index.ts";
import { connectRoomBus } from "./collab/room-bus.ts";
import { createLocalGradingQueue, createRedisGradingQueue, unfinishedSubmissions, type GradingQueue } from "./grading/queue.ts";
import { announceSubmission, failSubmission, runSubmission, type SubmissionAnnouncement } from "./grading/run-submission.ts";
import { startGrader } from "./grading/sandbox.server.ts";
import type { Grader } from "./grading/types.ts";
import { createLiveHub } from "./live/hub.ts";
import { attachLiveSocket } from "./live/socket.ts";
import { createSearch } from "./search/index.ts";
import { createVoice } from "./voice/index.ts";
import { registry } from "./metrics.ts";
import { pyodideAssets } from "./pyodide.ts";
import { securityHeaders } from "./security-headers.ts";

export interface RunningApp {
  http: Server;
  url: string;
  close(): Promise<void>;
}

export async function startApp(config: Config, options: { root: string; dev?: boolean }): Promise<RunningApp> {
  const search = await createSearch(config, db);
  const bus = config.REDIS_URL ? await connectRoomBus(config.REDIS_URL, (error) => console.error("redis:", error.message)) : undefined;
  const live = await createLiveHub(config.REDIS_URL);
  const { grading, closeGrading, graderWarm } = await startGrading(config, live);
  const voice = createVoice(config);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(compression());
  app.use(securityHeaders);

  app.get("/healthz", (_req, res) => void res.json({ ok: true }));
  // Ready when every service this instance depends on answers: the database, and Redis when configured.
  app.get("/readyz", async (_req, res) => {
    const check = (probe: Promise<unknown>) =>
      Promise.race([probe, new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 2 s")), 2_000))]).then(
        () => ({ up: true as const }),
        (error: Error) => ({ up: false as const, error: error.message }),
      );
    const [database, redis] = await Promise.all([check(db.$queryRaw`SELECT 1`), bus ? check(bus.ping()) : Promise.resolve(null)]);
    const ok = database.up && (redis?.up ?? true);
    // The local grader is reported, not required: pages and rooms work while it warms up (or if it cannot start).
    const grader = graderWarm ? { warm: graderWarm() } : null;
    res.status(ok ? 200 : 503).json({ ok, database, ...(redis ? { redis } : {}), ...(grader ? { grader } : {}) });
  });

  app.get("/metrics", async (req, res) => {
    if (config.METRICS_TOKEN && req.headers.authorization !== `Bearer ${config.METRICS_TOKEN}`) return void res.status(401).send("metrics need a bearer token");
    res.setHeader("Content-Type", registry.contentType);
    res.send(await registry.metrics());
  });

  // Before Vite's middleware, so `npm run dev` serves the same files as the production build.
  app.use(pyodideAssets());

  let build: ServerBuild | (() => Promise<ServerBuild>);
  let closeVite = async () => {};
  if (options.dev) {
    const vite = await import("vite").then((v) => v.createServer({ root: options.root, server: { middlewareMode: true } }));
    app.use(vite.middlewares);
    build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    closeVite = () => vite.close();
  } else {
    const clientDir = join(options.root, "build/client");
    app.use("/assets", express.static(join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(clientDir, { maxAge: "1h" }));
    build = (await import(join(options.root, "build/server/index.js"))) as ServerBuild;
  }

  const http = createServer(app);
  const collab = attachCollab(http, { db, authenticate: visitorFromCookieHeader, roomExists, access: roomVisitorAccess, initialCode: roomStarterCode, bus });
  const liveSocket = attachLiveSocket(http, { hub: live, authenticate: visitorFromCookieHeader, canFollow: canFollowTopic });
  const gradingService = { enqueue: (id: string) => grading.enqueue(id), announce: (submission: SubmissionAnnouncement) => announceSubmission(live, submission) };
  app.all("*", createRequestHandler({ build, getLoadContext: (req) => ({ clientIp: req.ip ?? "unknown", search, collab, grading: gradingService, live, voice }) }));

  await new Promise<void>((resolve) => http.listen(config.PORT, config.HOST, resolve));
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const host = config.HOST === "0.0.0.0" ? "localhost" : config.HOST;
  return {
    http,
    url: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      await closeVite();
      await liveSocket.close();
      await collab.close();
      await closeGrading();
      await bus?.close();
      await live.close();
      await search.close();
      await closeDb();
    },
  };
}

/**
 * Grading: with REDIS_URL, submissions go to BullMQ and `npm run grader` processes grade them; otherwise
 * this process starts its own sandboxed grader (in the background: pages are served while it warms up)
 * and takes back submissions a previous run left unfinished.
 */
async function startGrading(config: Config, live: Awaited<ReturnType<typeof createLiveHub>>): Promise<{ grading: GradingQueue; closeGrading(): Promise<void>; graderWarm?: () => boolean }> {
  if (config.REDIS_URL) {
    const grading = createRedisGradingQueue(config.REDIS_URL);
    return { grading, closeGrading: () => grading.close() };
  }
  const graderReady: Promise<Grader> = startGrader({ allowNetwork: config.GRADER_ALLOW_NETWORK === "1" });
  let grader: Grader | null = null;
  void graderReady.then((started) => (grader = started), () => {});
  graderReady.catch((error) => console.error("grading: the sandboxed grader could not start, so submissions cannot be graded here:", error.message));
  const grading = createLocalGradingQueue(async (id) => {
    const grader = await graderReady.catch(() => null);
    if (grader) return runSubmission({ db, grader, live }, id);
    await failSubmission({ db, live }, id, "Grading is unavailable on this server (its sandbox could not start); this does not count as an attempt.");
  }, 4);
  for (const id of await unfinishedSubmissions(db)) await grading.enqueue(id);
  return {
    grading,
    graderWarm: () => grader?.stats().ready ?? false,
    async closeGrading() {
      await grading.close();
      await (await graderReady.catch(() => null))?.close();
    },
  };
}

/** Graceful shutdown on SIGINT/SIGTERM: stop taking connections, let the database (PGlite included) close. */
export function closeOnSignals(app: RunningApp): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      await app.close();
      process.exit(0);
    });
  }
}
