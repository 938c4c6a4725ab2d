import { LRUCache } from "lru-cache";
import type { SearchEngine, SearchQuery, SearchResult } from "./types.ts";

/**
 * Serves repeated searches (backspacing, retyping, popular prefixes) from memory. Any write to the index
 * empties it, so a result is never older than the index. Only for an engine whose every write passes
 * through this process (the embedded one).
 */
export function withResultCache(engine: SearchEngine, entries: number): SearchEngine & { readonly hits: number; readonly misses: number } {
  if (entries <= 0) return Object.assign(engine, { hits: 0, misses: 0 });
  const cache = new LRUCache<string, SearchResult>({ max: entries });
  let hits = 0;
  let misses = 0;
  const invalidate = <A extends unknown[]>(write: (...args: A) => Promise<void>) => async (...args: A) => {
    cache.clear();
    try {
      await write(...args);
    } finally {
      cache.clear(); // searches that ran during the write saw the old index
    }
  };
  return {
    name: engine.name,
    init: () => engine.init(),
    upsert: invalidate((docs) => engine.upsert(docs)),
    remove: invalidate((ids) => engine.remove(ids)),
    replaceAll: invalidate((docs) => engine.replaceAll(docs)),
    async search(query: SearchQuery) {
      const key = JSON.stringify([query.q.trim().toLowerCase(), query.viewerId, query.filters, query.sort, query.page, query.perPage]);
      const cached = cache.get(key);
      if (cached) {
        hits++;
        return cached;
      }
      misses++;
      const result = await engine.search(query);
      cache.set(key, result);
      return result;
    },
    close: () => engine.close(),
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
  };
}
