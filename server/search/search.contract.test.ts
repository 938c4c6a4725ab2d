import { randomBytes } from "node:crypto";
import { EmbeddedSearchEngine } from "./embedded.ts";
import { MeilisearchEngine } from "./meilisearch.ts";
import { withResultCache } from "./result-cache.ts";
import { searchContract } from "./search.contract.ts";

// Every engine available here: the embedded one always, Meilisearch whenever MEILI_HOST is set.
searchContract("embedded", async () => new EmbeddedSearchEngine());
// As the app runs it: behind the result cache, which must change no behaviour (updates included).
searchContract("embedded behind the result cache", async () => withResultCache(new EmbeddedSearchEngine(), 100));

if (process.env.MEILI_HOST) {
  searchContract(`meilisearch at ${process.env.MEILI_HOST}`, async () => new MeilisearchEngine(process.env.MEILI_HOST!, process.env.MEILI_API_KEY, `contract_${randomBytes(4).toString("hex")}`));
}
