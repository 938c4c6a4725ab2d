// `createSearch`: the engine chosen once from config, kept in sync by the outbox worker, and the query
// entry point that applies visibility for the viewer.
import type { Config } from "~/utils/config.server.ts";
import type { Db } from "~/utils/db.server.ts";
import { EmbeddedSearchEngine } from "./embedded.ts";
import { MeilisearchEngine } from "./meilisearch.ts";
import { rebuildIndex, startOutboxWorker, type OutboxWorker } from "./outbox.ts";
import { withResultCache } from "./result-cache.ts";
import type { Facet, SearchEngine, SearchResult, Sort } from "./types.ts";

export interface CatalogSearchInput {
  q: string;
  filters: Partial<Record<Facet, string[]>>;
  sort: Sort;
  page: number;
  perPage: number;
}

export interface CatalogSearch {
  /** Searches as `viewer`: public challenges and the viewer's own private ones, never anyone else's. */
  search(viewer: { id: string }, input: CatalogSearchInput): Promise<SearchResult>;
  close(): Promise<void>;
}

export function createSearchEngine(config: Pick<Config, "MEILI_HOST" | "MEILI_API_KEY" | "MEILI_INDEX" | "SEARCH_CACHE_ENTRIES">): SearchEngine {
  if (config.MEILI_HOST) return new MeilisearchEngine(config.MEILI_HOST, config.MEILI_API_KEY, config.MEILI_INDEX);
  return withResultCache(new EmbeddedSearchEngine(), config.SEARCH_CACHE_ENTRIES);
}

export async function createSearch(config: Config, db: Db, engine = createSearchEngine(config)): Promise<CatalogSearch> {
  try {
    await engine.init();
    // The embedded index lives in memory: build it from the database on every start.
    if (engine.name === "embedded") await rebuildIndex(db, engine);
  } catch (error) {
    console.error(`search: ${engine.name} is not reachable; search will show an error until it is`, error);
  }
  const worker: OutboxWorker = startOutboxWorker(db, engine, { onError: (error) => console.error("search outbox:", error) });
  return {
    search: (viewer, input) => engine.search({ ...input, viewerId: viewer.id }),
    async close() {
      await worker.stop();
      await engine.close();
    },
  };
}
