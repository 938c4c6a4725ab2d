import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { searchCatalog } from "~/models/catalog-search.server.ts";
import { requireTeacher } from "~/utils/session.server.ts";

// GET /api/search?q=…&difficulty=easy&tags=loops&sort=newest&page=2 — the catalog's search endpoint.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const teacher = await requireTeacher(request);
  const outcome = await searchCatalog(context.search, teacher, new URL(request.url));
  return outcome.ok ? outcome.result : data({ error: outcome.error }, { status: outcome.status });
}
