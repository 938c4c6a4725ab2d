// The behaviours every search engine must have. Run against each engine by search.contract.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SearchDocument, SearchEngine, SearchQuery } from "./types.ts";

const ME = "teacher-me";
const OTHER = "teacher-other";
let clock = Date.UTC(2026, 0, 1);
const doc = (d: Partial<SearchDocument> & Pick<SearchDocument, "id" | "title">): SearchDocument => ({
  prompt: "A short exercise.",
  tags: [],
  catalog: "Foundations",
  author: "Grace Hopper",
  ownerId: OTHER,
  difficulty: "easy",
  visibility: "public",
  createdAt: (clock += 60_000),
  timesAssigned: 0,
  ...d,
});

export const CONTRACT_DOCUMENTS: SearchDocument[] = [
  doc({ id: "rec-basics", title: "Recursion basics", prompt: "Write a function that calls itself.", tags: ["recursion"], difficulty: "intro", timesAssigned: 5 }),
  doc({ id: "sum-list", title: "Sum a list", prompt: "Add up the numbers of a list, using recursion instead of a loop.", tags: ["lists"], difficulty: "easy", timesAssigned: 9 }),
  doc({ id: "dict-count", title: "Dictionary counting", prompt: "Count words with a dict.", tags: ["dicts", "strings"], difficulty: "medium", catalog: "Data Wrangling", author: "Alan Turing" }),
  doc({ id: "fizz", title: "Fizz buzz", prompt: "The classic loop.", tags: ["loops"], difficulty: "intro", catalog: null, author: "Alan Turing" }),
  doc({ id: "palindrome", title: "Palindrome check", prompt: "Strings that read the same backwards.", tags: ["strings"], difficulty: "easy" }),
  doc({ id: "bank", title: "Bank account class", prompt: "Deposit and withdraw with a class.", tags: ["classes"], difficulty: "medium", catalog: "Data Wrangling" }),
  doc({ id: "their-secret", title: "Secret loop trick", prompt: "Only its author may find this.", tags: ["loops"], visibility: "private", ownerId: OTHER }),
  doc({ id: "my-secret", title: "My recursion drill", prompt: "Private practice.", tags: ["recursion"], visibility: "private", ownerId: ME, author: "Me Myself" }),
];

const query = (q: string, extra: Partial<SearchQuery> = {}): SearchQuery => ({ q, viewerId: ME, filters: {}, sort: "relevance", page: 1, perPage: 20, ...extra });
const ids = async (engine: SearchEngine, q: string, extra: Partial<SearchQuery> = {}) => (await engine.search(query(q, extra))).hits.map((h) => h.id);

export function searchContract(label: string, create: () => Promise<SearchEngine & { drop?(): Promise<void> }>) {
  describe(`search contract: ${label}`, () => {
    let engine: SearchEngine & { drop?(): Promise<void> };

    beforeAll(async () => {
      engine = await create();
      await engine.init();
      await engine.replaceAll(CONTRACT_DOCUMENTS);
    });

    afterAll(async () => {
      await engine.drop?.();
      await engine.close();
    });

    it("ranks a title match above a prompt match", async () => {
      const found = await ids(engine, "recursion");
      expect(found).toContain("sum-list");
      expect(found.indexOf("rec-basics")).toBeLessThan(found.indexOf("sum-list"));
    });

    it("forgives typos: “recursoin” finds “recursion”, “dictionery” finds “Dictionary”", async () => {
      expect(await ids(engine, "recursoin")).toContain("rec-basics");
      expect((await ids(engine, "dictionery"))[0]).toBe("dict-count");
    });

    it("matches prefixes as you type", async () => {
      expect((await ids(engine, "palin"))[0]).toBe("palindrome");
      expect(await ids(engine, "recur")).toEqual(expect.arrayContaining(["rec-basics", "my-secret"]));
      expect(await ids(engine, "bank acc")).toEqual(["bank"]);
    });

    it("matches one- and two-letter prefixes in titles, tags, catalogs and authors only", async () => {
      expect((await ids(engine, "wr")).sort()).toEqual(["bank", "dict-count"]); // "Data Wrangling", not "Write …" in a prompt
      expect(await ids(engine, "wri")).toContain("rec-basics");
    });

    it("searches tags, catalog and author too", async () => {
      expect(await ids(engine, "classes")).toContain("bank");
      expect(await ids(engine, "wrangling")).toEqual(expect.arrayContaining(["dict-count", "bank"]));
      expect(await ids(engine, "turing")).toEqual(expect.arrayContaining(["dict-count", "fizz"]));
    });

    it("filters by difficulty, tags, catalog and author, combined", async () => {
      expect((await ids(engine, "", { filters: { difficulty: ["medium"] } })).sort()).toEqual(["bank", "dict-count"]);
      expect((await ids(engine, "", { filters: { tags: ["strings"] } })).sort()).toEqual(["dict-count", "palindrome"]);
      expect((await ids(engine, "", { filters: { catalog: ["Data Wrangling"], tags: ["classes"] } }))).toEqual(["bank"]);
      expect((await ids(engine, "", { filters: { author: ["Alan Turing"], difficulty: ["intro", "medium"] } })).sort()).toEqual(["dict-count", "fizz"]);
    });

    it("counts facets over the matching challenges", async () => {
      const all = await engine.search(query(""));
      expect(all.total).toBe(7); // everything but another teacher's private challenge
      expect(all.facets.difficulty).toEqual({ intro: 2, easy: 3, medium: 2 });
      expect(all.facets.tags).toMatchObject({ recursion: 2, strings: 2, loops: 1, lists: 1, dicts: 1, classes: 1 });
      expect(all.facets.catalog).toEqual({ Foundations: 4, "Data Wrangling": 2 });
      const filtered = await engine.search(query("", { filters: { difficulty: ["medium"] } }));
      expect(filtered.facets.difficulty).toEqual({ medium: 2 });
      expect(filtered.facets.author).toEqual({ "Alan Turing": 1, "Grace Hopper": 1 });
    });

    it("finds public challenges and the viewer's own private ones, never another teacher's private ones", async () => {
      expect(await ids(engine, "secret loop trick")).toEqual([]);
      expect(await ids(engine, "", { filters: { tags: ["loops"] } })).toEqual(["fizz"]);
      expect(await ids(engine, "drill")).toEqual(["my-secret"]);
      expect(await ids(engine, "secret loop trick", { viewerId: OTHER })).toEqual(["their-secret"]);
      expect(await ids(engine, "drill", { viewerId: OTHER })).toEqual([]);
    });

    it("sorts by newest and most assigned, and paginates", async () => {
      expect((await ids(engine, "", { sort: "newest" }))[0]).toBe("my-secret");
      expect((await ids(engine, "", { sort: "most-assigned" })).slice(0, 2)).toEqual(["sum-list", "rec-basics"]);
      const page1 = await engine.search(query("", { sort: "newest", perPage: 3 }));
      const page3 = await engine.search(query("", { sort: "newest", perPage: 3, page: 3 }));
      expect(page1.total).toBe(7);
      expect(page1.hits).toHaveLength(3);
      expect(page3.hits).toHaveLength(1);
      expect(page3.page).toBe(3);
    });

    it("returns highlighted runs for the title and the prompt", async () => {
      const [hit] = (await engine.search(query("palindrome"))).hits;
      expect(hit.highlight.title).toEqual([{ text: "Palindrome", match: true }, { text: " check", match: false }]);
      const [sum] = (await engine.search(query("recursion", { filters: { tags: ["lists"] } }))).hits;
      expect(sum.highlight.prompt.filter((r) => r.match).map((r) => r.text.toLowerCase())).toContain("recursion");
    });

    it("applies updates and removals", async () => {
      await engine.upsert([{ ...CONTRACT_DOCUMENTS[4], id: "palindrome", title: "Mirror words" }]);
      expect(await ids(engine, "mirror")).toEqual(["palindrome"]);
      expect(await ids(engine, "palindrome check")).toEqual([]);
      await engine.remove(["palindrome"]);
      expect(await ids(engine, "mirror")).toEqual([]);
      await engine.upsert([CONTRACT_DOCUMENTS[4]]);
      expect(await ids(engine, "palindrome")).toEqual(["palindrome"]);
    });
  });
}
