// `npm run search:reindex`: rebuilds the search index from the database (Meilisearch builds a new index
// beside the live one and swaps it in). The embedded engine lives inside the server process and is rebuilt
// from the database every time the server starts.
import { loadConfig } from "~/utils/config.server.ts";
import { closeDb, db } from "~/utils/db.server.ts";
import { createSearchEngine } from "../server/search/index.ts";
import { rebuildIndex } from "../server/search/outbox.ts";

const config = loadConfig();
const engine = createSearchEngine(config);
if (engine.name === "embedded") {
  console.log("No MEILI_HOST is set: the embedded index is built from the database when the server starts. Restart the server to rebuild it.");
} else {
  const started = Date.now();
  await engine.init();
  const count = await rebuildIndex(db, engine);
  console.log(`Reindexed ${count} challenges into Meilisearch at ${config.MEILI_HOST} in ${Date.now() - started} ms.`);
}
await engine.close();
await closeDb();
