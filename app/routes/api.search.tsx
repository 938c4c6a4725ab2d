import type { LoaderFunctionArgs } from "@remix-run/node";
import { performance } from "node:perf_hooks";
import { searchCatalog } from "~/models/catalog-search.server.ts";
import { requireTeacher } from "~/utils/session.server.ts";

// GET /api/search?q=…&difficulty=easy&tags=loops&sort=newest&page=2 — the catalog's search endpoint (JSON).
// Server-Timing reports the session check and the engine's time, for browsers' dev tools and the benchmark.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const t0 = performance.now();
  const teacher = await requireTeacher(request);
  const t1 = performance.now();
  const outcome = await searchCatalog(context.search, teacher, new URL(request.url));
  const t2 = performance.now();
  const headers = { "Server-Timing": `auth;dur=${(t1 - t0).toFixed(2)}, search;dur=${(t2 - t1).toFixed(2)}` };
  return outcome.ok ? Response.json(outcome.result, { headers }) : Response.json({ error: outcome.error }, { status: outcome.status, headers });
}
