// Search benchmark: 10,000 generated challenges in PostgreSQL, the real server with the configured engine
// (embedded unless MEILI_HOST is set), and 1,000 queries typed prefix by prefix through GET /api/search.
// Two passes over the same requests: as served (with the embedded engine's result cache) and with the cache
// off. Prints one JSON line: {"engine","documents","queries","requests","p50_ms","p95_ms","p99_ms",
// "index_build_ms","repeated_request_share","uncached_p50_ms","uncached_p95_ms","uncached_engine_p95_ms"}.
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { buildApp, buildIsStale } from "../scripts/build.ts";
import { freePort } from "../scripts/services/ports.ts";
import { SERVER_NODE_FLAGS } from "../scripts/bootstrap.mjs";
import { percentile } from "./support/percentile.ts";
import { startBenchDatabase } from "./support/database.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DOCUMENTS = 10_000;
const QUERIES = 1_000;

// A deterministic generator, so runs are comparable.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
const VOCABULARY = "list string dict loop recursion class function return value index slice sort reverse count sum average maximum minimum vowel word sentence number prime factorial fibonacci palindrome anagram matrix grid path stack queue tree node balance bracket parse format print input total score grade temperature convert binary search merge filter map frequency unique duplicate".split(" ");
const TAGS = ["strings", "lists", "dicts", "loops", "recursion", "classes", "math", "sorting", "io", "games"];
const DIFFICULTIES = ["INTRO", "EASY", "MEDIUM", "HARD"] as const;
const words = (n: number) => Array.from({ length: n }, () => pick(VOCABULARY)).join(" ");

if (buildIsStale(root)) await buildApp(root);
const postgres = await startBenchDatabase();
try {
  process.env.PORT = String(await freePort());
  process.env.HOST = "127.0.0.1";

  const { db } = await import("~/utils/db.server.ts");
  const { hashPassword } = await import("~/models/user.server.ts");
  const { startSession } = await import("~/utils/session.server.ts");
  const passwordHash = await hashPassword("bench password");
  const authors = await Promise.all(Array.from({ length: 20 }, (_, i) => db.user.create({ data: { email: `author${i}@bench.test`, name: `Author ${i}`, role: "TEACHER", passwordHash } })));
  const catalogs = await Promise.all(authors.slice(0, 10).map((a, i) => db.catalog.create({ data: { ownerId: a.id, name: `Catalog ${i}` } })));
  for (let i = 0; i < DOCUMENTS; i += 1_000) {
    await db.challenge.createMany({
      data: Array.from({ length: 1_000 }, (_, j) => {
        const author = pick(authors);
        return {
          authorId: author.id,
          title: `${words(3)} ${i + j}`,
          prompt: words(40),
          tags: [pick(TAGS), pick(TAGS)].filter((t, k, all) => all.indexOf(t) === k),
          difficulty: pick([...DIFFICULTIES]),
          visibility: random() < 0.8 ? ("PUBLIC" as const) : ("PRIVATE" as const),
          catalogId: random() < 0.7 ? pick(catalogs).id : null,
          timesAssigned: Math.floor(random() * 30),
        };
      }),
    });
  }

  const { loadConfig } = await import("~/utils/config.server.ts");
  const { loadSearchDocuments } = await import("../server/search/documents.ts");
  const { createSearchEngine } = await import("../server/search/index.ts");
  const documents = await loadSearchDocuments(db);
  const probe = createSearchEngine(loadConfig());
  const buildStart = performance.now();
  await probe.init();
  await probe.replaceAll(documents);
  const indexBuildMs = performance.now() - buildStart;
  await probe.close();

  const cookie = (await startSession(authors[0].id)).split(";")[0];
  const queries = Array.from({ length: QUERIES }, () => (random() < 0.5 ? pick(VOCABULARY) : `${pick(VOCABULARY)} ${pick(VOCABULARY)}`));
  const requests = queries.flatMap((query) =>
    Array.from({ length: query.length }, (_, i) => {
      const params = new URLSearchParams({ q: query.slice(0, i + 1) });
      if ((i + 1) % 4 === 0) params.append("difficulty", "easy");
      return params.toString();
    }),
  );

  // The server runs in its own process, as in production; this process only generates load.
  async function measure(extraEnv: Record<string, string>) {
    const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, "--import", "tsx", "server/index.ts"], { cwd: root, env: { ...process.env, ...extraEnv }, stdio: ["ignore", "ignore", "inherit"] });
    const url = `http://127.0.0.1:${process.env.PORT}`;
    try {
      for (let ready = false; !ready; ) {
        ready = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
        if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
        if (!ready) await new Promise((r) => setTimeout(r, 200));
      }
      // Warm-up with words the measured queries never start with, so the cache is cold for them.
      for (const q of ["zebra", "quartz", "yellow", "jigsaw"]) await fetch(`${url}/api/search?q=${q}`, { headers: { Cookie: cookie } }).then((r) => r.arrayBuffer());
      const latencies: number[] = [];
      const engineMs: number[] = [];
      for (const params of requests) {
        const t0 = performance.now();
        const response = await fetch(`${url}/api/search?${params}`, { headers: { Cookie: cookie } });
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (!response.ok) throw new Error(`search answered ${response.status}`);
        const timing = /search;dur=([\d.]+)/.exec(response.headers.get("Server-Timing") ?? "");
        if (timing) engineMs.push(Number(timing[1]));
      }
      return { latencies, engineMs };
    } finally {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
  }

  const served = await measure({});
  const uncached = await measure({ SEARCH_CACHE_ENTRIES: "0" });
  console.log(JSON.stringify({
    engine: probe.name,
    documents: documents.length,
    queries: QUERIES,
    requests: requests.length,
    p50_ms: percentile(served.latencies, 0.5),
    p95_ms: percentile(served.latencies, 0.95),
    p99_ms: percentile(served.latencies, 0.99),
    index_build_ms: Math.round(indexBuildMs),
    repeated_request_share: Number((1 - new Set(requests).size / requests.length).toFixed(3)),
    uncached_p50_ms: percentile(uncached.latencies, 0.5),
    uncached_p95_ms: percentile(uncached.latencies, 0.95),
    uncached_engine_p95_ms: percentile(uncached.engineMs, 0.95),
  }));
} finally {
  await postgres.stop();
}
