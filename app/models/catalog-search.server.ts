import { z } from "zod";
import type { CatalogSearch, CatalogSearchInput } from "../../server/search/index.ts";
import { SearchUnavailableError, SORTS, type SearchResult } from "../../server/search/types.ts";
import type { SessionUser } from "~/utils/session.server.ts";

const Values = z.array(z.string().trim().min(1).max(80)).max(20);

export const SearchParams = z.object({
  q: z.string().max(200, "Keep the search under 200 characters").default(""),
  difficulty: Values,
  tags: Values,
  catalog: Values,
  author: Values,
  sort: z.enum(SORTS).catch("relevance"),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
  perPage: z.coerce.number().int().min(1).max(50).catch(20),
});

/** Reads a search from a URL's query string (repeated keys for several facet values). */
export function parseSearchParams(url: URL): { ok: true; input: CatalogSearchInput } | { ok: false; error: string } {
  const p = url.searchParams;
  const parsed = SearchParams.safeParse({
    q: p.get("q") ?? undefined,
    difficulty: p.getAll("difficulty"),
    tags: p.getAll("tags"),
    catalog: p.getAll("catalog"),
    author: p.getAll("author"),
    sort: p.get("sort") ?? undefined,
    page: p.get("page") ?? undefined,
    perPage: p.get("perPage") ?? undefined,
  });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  const { q, sort, page, perPage, ...filters } = parsed.data;
  return { ok: true, input: { q, sort, page, perPage, filters } };
}

export type CatalogSearchOutcome = { ok: true; result: SearchResult } | { ok: false; status: number; error: string };

/** Runs a teacher's search; an unreachable engine becomes a message, not a crash. */
export async function searchCatalog(search: CatalogSearch, teacher: SessionUser, url: URL): Promise<CatalogSearchOutcome> {
  const parsed = parseSearchParams(url);
  if (!parsed.ok) return { ok: false, status: 400, error: parsed.error };
  try {
    return { ok: true, result: await search.search(teacher, parsed.input) };
  } catch (error) {
    if (error instanceof SearchUnavailableError) return { ok: false, status: 503, error: error.message };
    throw error;
  }
}
