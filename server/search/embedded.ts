// The zero-setup engine for `npm start` and tests: MiniSearch in process, with the behaviours the
// Meilisearch adapter has (prefix as you type, typo tolerance, filters, facet counts, the same result shape).
import MiniSearch, { type SearchResult as MiniResult } from "minisearch";
import { highlightWords } from "./highlight.ts";
import { emptyFacets, FACETS, SHORT_QUERY_ATTRIBUTES, SHORT_QUERY_LENGTH, type SearchDocument, type SearchEngine, type SearchHit, type SearchQuery, type SearchResult } from "./types.ts";

// Ranked like Meilisearch's searchable attributes: title, tags, catalog, prompt, author.
const BOOST = { title: 8, tags: 4, catalog: 2, prompt: 1, author: 1 };

// Meilisearch's default typo budget: none under 5 characters, one from 5, two from 9.
const typoBudget = (term: string) => (term.length >= 9 ? 2 : term.length >= 5 ? 1 : false);

function hasFacetValue(doc: SearchDocument, facet: (typeof FACETS)[number], wanted: Set<string>): boolean {
  if (facet === "tags") return doc.tags.some((t) => wanted.has(t));
  const value = doc[facet];
  return value !== null && wanted.has(value);
}

function newIndex() {
  return new MiniSearch<SearchDocument>({
    fields: ["title", "tags", "catalog", "prompt", "author"],
    extractField: (doc, field) => {
      const value = doc[field as keyof SearchDocument];
      return Array.isArray(value) ? value.join(" ") : (value as string | null) ?? "";
    },
    searchOptions: { boost: BOOST, prefix: true, fuzzy: typoBudget, combineWith: "AND" },
  });
}

export class EmbeddedSearchEngine implements SearchEngine {
  readonly name = "embedded" as const;
  private index = newIndex();
  private docs = new Map<string, SearchDocument>();

  async init() {}

  async upsert(documents: SearchDocument[]) {
    for (const doc of documents) {
      if (this.docs.has(doc.id)) this.index.discard(doc.id);
      this.docs.set(doc.id, doc);
      this.index.add(doc);
    }
  }

  async remove(ids: string[]) {
    for (const id of ids) {
      if (!this.docs.has(id)) continue;
      this.index.discard(id);
      this.docs.delete(id);
    }
  }

  async replaceAll(documents: SearchDocument[]) {
    const index = newIndex();
    index.addAll(documents);
    this.index = index;
    this.docs = new Map(documents.map((d) => [d.id, d]));
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    // Runs over every match (thousands for broad queries): no allocation per document here.
    const active = FACETS.flatMap((facet) => (query.filters[facet]?.length ? [[facet, new Set(query.filters[facet])] as const] : []));
    const keep = (doc: SearchDocument) => {
      if (doc.visibility !== "public" && doc.ownerId !== query.viewerId) return false;
      for (const [facet, wanted] of active) if (!hasFacetValue(doc, facet, wanted)) return false;
      return true;
    };
    const q = query.q.trim();
    const raw: MiniResult[] = this.index.search(q ? q : MiniSearch.wildcard, {
      fields: q.length < SHORT_QUERY_LENGTH ? [...SHORT_QUERY_ATTRIBUTES] : undefined,
      filter: (r) => {
        const doc = this.docs.get(r.id as string);
        return doc !== undefined && keep(doc);
      },
    });
    if (query.sort === "newest" || (!q && query.sort === "relevance")) raw.sort((a, b) => this.docs.get(b.id)!.createdAt - this.docs.get(a.id)!.createdAt);
    else if (query.sort === "most-assigned") raw.sort((a, b) => this.docs.get(b.id)!.timesAssigned - this.docs.get(a.id)!.timesAssigned || b.score - a.score);

    const facets = emptyFacets();
    const count = (counts: Record<string, number>, value: string) => (counts[value] = (counts[value] ?? 0) + 1);
    for (const r of raw) {
      const doc = this.docs.get(r.id)!;
      count(facets.difficulty, doc.difficulty);
      for (const tag of doc.tags) count(facets.tags, tag);
      if (doc.catalog !== null) count(facets.catalog, doc.catalog);
      count(facets.author, doc.author);
    }
    const from = (query.page - 1) * query.perPage;
    const hits: SearchHit[] = raw.slice(from, from + query.perPage).map((r) => {
      const doc = this.docs.get(r.id)!;
      const matched = new Set(r.terms);
      const isMatch = (word: string) => matched.has(word);
      return {
        id: doc.id, title: doc.title, difficulty: doc.difficulty, tags: doc.tags, catalog: doc.catalog, author: doc.author,
        ownerId: doc.ownerId, visibility: doc.visibility, timesAssigned: doc.timesAssigned, createdAt: doc.createdAt,
        highlight: { title: highlightWords(doc.title, isMatch), prompt: highlightWords(doc.prompt, isMatch, 30) },
      };
    });
    return { hits, total: raw.length, page: query.page, perPage: query.perPage, facets };
  }

  async close() {}
}
