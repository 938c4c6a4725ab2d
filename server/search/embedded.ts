// The zero-setup engine for `npm start` and tests: MiniSearch in process, with the behaviours the
// Meilisearch adapter has (prefix as you type, typo tolerance, filters, facet counts, the same result shape).
import MiniSearch, { type SearchResult as MiniResult } from "minisearch";
import { highlightWords } from "./highlight.ts";
import { emptyFacets, FACETS, type SearchDocument, type SearchEngine, type SearchHit, type SearchQuery, type SearchResult } from "./types.ts";

// Ranked like Meilisearch's searchable attributes: title, tags, catalog, prompt, author.
const BOOST = { title: 8, tags: 4, catalog: 2, prompt: 1, author: 1 };

// Meilisearch's default typo budget: none under 5 characters, one from 5, two from 9.
const typoBudget = (term: string) => (term.length >= 9 ? 2 : term.length >= 5 ? 1 : false);

const facetValues = (doc: SearchDocument, facet: (typeof FACETS)[number]): string[] => {
  const value = doc[facet];
  return Array.isArray(value) ? value : value === null ? [] : [String(value)];
};

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
    const visible = (doc: SearchDocument) => doc.visibility === "public" || doc.ownerId === query.viewerId;
    const filtered = (doc: SearchDocument) =>
      FACETS.every((facet) => {
        const wanted = query.filters[facet];
        return !wanted?.length || facetValues(doc, facet).some((v) => wanted.includes(v));
      });
    const q = query.q.trim();
    const raw: MiniResult[] = this.index.search(q ? q : MiniSearch.wildcard, {
      filter: (r) => {
        const doc = this.docs.get(r.id as string);
        return Boolean(doc && visible(doc) && filtered(doc));
      },
    });
    const matches = raw.map((r) => ({ doc: this.docs.get(r.id as string)!, score: r.score, terms: r.terms }));
    if (query.sort === "newest" || (!q && query.sort === "relevance")) matches.sort((a, b) => b.doc.createdAt - a.doc.createdAt);
    else if (query.sort === "most-assigned") matches.sort((a, b) => b.doc.timesAssigned - a.doc.timesAssigned || b.score - a.score);

    const facets = emptyFacets();
    for (const { doc } of matches) {
      for (const facet of FACETS) for (const v of facetValues(doc, facet)) facets[facet][v] = (facets[facet][v] ?? 0) + 1;
    }
    const from = (query.page - 1) * query.perPage;
    const hits: SearchHit[] = matches.slice(from, from + query.perPage).map(({ doc, terms }) => {
      const matched = new Set(terms);
      const isMatch = (word: string) => matched.has(word);
      return {
        id: doc.id, title: doc.title, difficulty: doc.difficulty, tags: doc.tags, catalog: doc.catalog, author: doc.author,
        ownerId: doc.ownerId, visibility: doc.visibility, timesAssigned: doc.timesAssigned, createdAt: doc.createdAt,
        highlight: { title: highlightWords(doc.title, isMatch), prompt: highlightWords(doc.prompt, isMatch, 30) },
      };
    });
    return { hits, total: matches.length, page: query.page, perPage: query.perPage, facets };
  }

  async close() {}
}
