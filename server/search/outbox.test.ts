import { describe, expect, it } from "vitest";
import { makeChallenge, makeUser, sampleChallenge } from "../../tests/fixtures.ts";
import { deleteChallenge, updateChallenge } from "~/models/challenge.server.ts";
import { searchCatalog } from "~/models/catalog-search.server.ts";
import { loadConfig } from "~/utils/config.server.ts";
import { db } from "~/utils/db.server.ts";
import { EmbeddedSearchEngine } from "./embedded.ts";
import { createSearch } from "./index.ts";
import { loadSearchDocuments } from "./documents.ts";
import { MeilisearchEngine } from "./meilisearch.ts";
import { applyOutbox, rebuildIndex, startOutboxWorker } from "./outbox.ts";
import { SearchUnavailableError, type SearchEngine, type SearchQuery } from "./types.ts";
import { freePort } from "../../scripts/services/ports.ts";

/** An engine whose writes fail while `down` is set: the failure lands after the database commit. */
class FlakyEngine extends EmbeddedSearchEngine {
  down = true;
  writes = 0;
  override async upsert(docs: Parameters<SearchEngine["upsert"]>[0]) {
    this.writes++;
    if (this.down) throw new Error("injected: engine unreachable");
    return super.upsert(docs);
  }
}

const everything = (viewerId: string): SearchQuery => ({ q: "", viewerId, filters: {}, sort: "newest", page: 1, perPage: 100 });

describe("search outbox", () => {
  it("a failure between the database commit and the index write still ends with a correct index after the retry", async () => {
    await db.searchOutbox.updateMany({ data: { processedAt: new Date() } });
    const teacher = await makeUser("TEACHER");
    const engine = new FlakyEngine();
    const { id } = await makeChallenge(teacher, { title: "Reverse a sentence" });

    const failed = await applyOutbox(db, engine);
    expect(failed).toEqual({ applied: 0, failed: true });
    const pending = await db.searchOutbox.findFirstOrThrow({ where: { challengeId: id } });
    expect(pending).toMatchObject({ processedAt: null, attempts: 1, lastError: "injected: engine unreachable" });
    expect((await engine.search(everything(teacher.id))).total).toBe(0);

    engine.down = false;
    expect(await applyOutbox(db, engine)).toEqual({ applied: 1, failed: false });
    const found = await engine.search({ ...everything(teacher.id), q: "reverse sentence" });
    expect(found.hits.map((h) => h.id)).toEqual([id]);
    expect(await db.searchOutbox.count({ where: { processedAt: null } })).toBe(0);
  });

  it("the worker retries with backoff until the engine is back, then applies updates and deletes", async () => {
    await db.searchOutbox.updateMany({ data: { processedAt: new Date() } });
    const teacher = await makeUser("TEACHER");
    const engine = new FlakyEngine();
    const worker = startOutboxWorker(db, engine, { intervalMs: 20 });
    try {
      const { id } = await makeChallenge(teacher, { title: "Count vowels" });
      await expect.poll(() => engine.writes, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
      engine.down = false;
      await expect.poll(async () => (await engine.search({ ...everything(teacher.id), q: "vowels" })).total, { timeout: 5_000 }).toBe(1);
      await updateChallenge(id, sampleChallenge({ title: "Count consonants" }));
      await expect.poll(async () => (await engine.search({ ...everything(teacher.id), q: "consonants" })).total, { timeout: 5_000 }).toBe(1);
      expect((await engine.search({ ...everything(teacher.id), q: "vowels" })).total).toBe(0);
      await deleteChallenge(id);
      await expect.poll(async () => (await engine.search(everything(teacher.id))).total, { timeout: 5_000 }).toBe(0);
    } finally {
      await worker.stop();
    }
  });

  it("reindex gives the same results as the incremental path", async () => {
    await db.searchOutbox.deleteMany({});
    const teacher = await makeUser("TEACHER");
    const other = await makeUser("TEACHER");
    const incremental = new EmbeddedSearchEngine();
    await incremental.replaceAll(await loadSearchDocuments(db)); // what existed before this test
    const made = [];
    for (const [i, title] of ["Fibonacci numbers", "Flatten a list", "Word frequencies", "Stack class", "Binary search"].entries()) {
      made.push(await makeChallenge(i % 2 ? other : teacher, { title, visibility: i === 3 ? "private" : "public", tags: i % 2 ? ["lists"] : ["recursion"], difficulty: i === 4 ? "medium" : "easy" }));
    }
    await updateChallenge(made[1].id, sampleChallenge({ title: "Flatten nested lists", tags: ["lists", "recursion"], visibility: "public" }));
    await deleteChallenge(made[2].id);
    while ((await applyOutbox(db, incremental)).applied > 0);

    const rebuilt = new EmbeddedSearchEngine();
    await rebuilt.replaceAll(await loadSearchDocuments(db));
    for (const viewer of [teacher.id, other.id]) {
      for (const q of ["", "flat", "fibonaci", "stack", "search", "lists"]) {
        for (const filters of [{}, { tags: ["recursion"] }, { difficulty: ["medium"] }]) {
          const query = { ...everything(viewer), q, filters, sort: "relevance" as const };
          expect(await rebuilt.search(query)).toEqual(await incremental.search(query));
        }
      }
    }
  });

  it("a rebuild puts back as pending what the worker applied while it read the database", async () => {
    await db.searchOutbox.updateMany({ data: { processedAt: new Date() } });
    const teacher = await makeUser("TEACHER");
    const engine = new EmbeddedSearchEngine();
    const slowRebuild = Object.assign(Object.create(engine), {
      // While the rebuild is under way, a change is made and applied to the live index.
      replaceAll: async (docs: Parameters<SearchEngine["replaceAll"]>[0]) => {
        await makeChallenge(teacher, { title: "Made during the rebuild" });
        await applyOutbox(db, engine);
        await engine.replaceAll(docs);
      },
    }) as SearchEngine;
    await rebuildIndex(db, slowRebuild);
    expect((await engine.search({ ...everything(teacher.id), q: "during rebuild" })).total).toBe(0);
    await applyOutbox(db, engine);
    expect((await engine.search({ ...everything(teacher.id), q: "during rebuild" })).total).toBe(1);
  });

  it("an unreachable engine gives a clear error to search, and the app's writes still succeed", async () => {
    const port = await freePort(); // nothing listens there
    const engine = new MeilisearchEngine(`http://127.0.0.1:${port}`, "key");
    await expect(engine.search(everything("x"))).rejects.toBeInstanceOf(SearchUnavailableError);
    const search = await createSearch(loadConfig(), db, engine);
    try {
      const teacher = await makeUser("TEACHER");
      const outcome = await searchCatalog(search, teacher, new URL("http://localhost/catalog?q=anything"));
      expect(outcome).toEqual({ ok: false, status: 503, error: "Search is unavailable right now. Try again in a moment." });
      const { id } = await makeChallenge(teacher);
      expect(await db.challenge.count({ where: { id } })).toBe(1);
    } finally {
      await search.close();
    }
  });
});
