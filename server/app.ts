// The Node process: Express serving the Remix build (or Vite in development) on one HTTP server, which
// later features (collaboration, grading, voice) attach to.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { Config } from "~/utils/config.server.ts";
import { closeDb, db } from "~/utils/db.server.ts";
import { roomAccess } from "~/models/access.server.ts";
import { roomExists, roomStarterCode } from "~/models/room.server.ts";
import { userFromCookieHeader } from "~/utils/session.server.ts";
import { attachCollab } from "./collab/index.ts";
import { createSearch } from "./search/index.ts";
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
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(compression());
  app.use(securityHeaders);

  app.get("/healthz", (_req, res) => void res.json({ ok: true }));
  app.get("/readyz", async (_req, res) => {
    try {
      await db.$queryRaw`SELECT 1`;
      res.json({ ok: true, database: "up" });
    } catch (error) {
      res.status(503).json({ ok: false, database: "down", error: (error as Error).message });
    }
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
  const collab = attachCollab(http, { db, authenticate: userFromCookieHeader, roomExists, access: roomAccess, initialCode: roomStarterCode });
  app.all("*", createRequestHandler({ build, getLoadContext: (req) => ({ clientIp: req.ip ?? "unknown", search, collab }) }));

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
      await collab.close();
      await search.close();
      await closeDb();
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
