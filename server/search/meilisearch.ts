// Meilisearch through the official client: used when MEILI_HOST and MEILI_API_KEY are set.
import { Meilisearch, type Filter } from "meilisearch";
import { splitMarked } from "./highlight.ts";
import { emptyFacets, FACETS, SearchUnavailableError, SHORT_QUERY_ATTRIBUTES, SHORT_QUERY_LENGTH, type SearchDocument, type SearchEngine, type SearchQuery, type SearchResult } from "./types.ts";

const PRE = "\u0002";
const POST = "\u0003";

const SETTINGS = {
  searchableAttributes: ["title", "tags", "catalog", "prompt", "author"],
  filterableAttributes: ["tags", "difficulty", "catalog", "author", "visibility", "ownerId"],
  sortableAttributes: ["createdAt", "timesAssigned"],
  typoTolerance: { enabled: true },
  faceting: { maxValuesPerFacet: 200 },
  pagination: { maxTotalHits: 100_000 },
};

const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

export class MeilisearchEngine implements SearchEngine {
  readonly name = "meilisearch" as const;
  private client: Meilisearch;

  constructor(host: string, apiKey: string | undefined, private readonly uid = "challenges") {
    this.client = new Meilisearch({ host, apiKey, timeout: 5_000 });
  }

  private get index() {
    return this.client.index<SearchDocument>(this.uid);
  }

  private initialized: Promise<void> | undefined;

  /** Any failure (unreachable, index missing, bad settings) means search is unavailable for now. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      await this.init();
      return await work();
    } catch (error) {
      throw error instanceof SearchUnavailableError ? error : new SearchUnavailableError(error);
    }
  }

  /** Creates the index and applies its settings once; retried on the next call if Meilisearch was down. */
  init(): Promise<void> {
    this.initialized ??= (async () => {
      await this.client.createIndex(this.uid, { primaryKey: "id" }).waitTask();
      const task = await this.index.updateSettings(SETTINGS).waitTask();
      if (task.status !== "succeeded") throw new Error(`Meilisearch refused the index settings: ${task.error?.message ?? task.status}`);
    })().catch((error) => {
      this.initialized = undefined;
      throw new SearchUnavailableError(error);
    });
    return this.initialized;
  }

  async upsert(documents: SearchDocument[]) {
    if (documents.length) await this.guard(() => this.index.addDocuments(documents, { primaryKey: "id" }).waitTask());
  }

  async remove(ids: string[]) {
    if (ids.length) await this.guard(() => this.index.deleteDocuments(ids).waitTask());
  }

  async replaceAll(documents: SearchDocument[]) {
    // Build a fresh index beside the live one, then swap: searches never see a half-built index.
    const next = `${this.uid}_rebuild_${Date.now()}`;
    await this.guard(async () => {
      await this.client.createIndex(next, { primaryKey: "id" }).waitTask();
      await this.client.index(next).updateSettings(SETTINGS).waitTask();
      for (let i = 0; i < documents.length; i += 5_000) await this.client.index(next).addDocuments(documents.slice(i, i + 5_000)).waitTask();
      await this.client.swapIndexes([{ indexes: [this.uid, next], rename: false }]).waitTask();
      await this.client.deleteIndex(next).waitTask();
    });
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const filter: Filter = [[`visibility = "public"`, `ownerId = ${quote(query.viewerId)}`]];
    for (const facet of FACETS) {
      const values = query.filters[facet];
      if (values?.length) filter.push(values.map((v) => `${facet} = ${quote(v)}`));
    }
    const sort = query.sort === "newest" || (!query.q.trim() && query.sort === "relevance") ? ["createdAt:desc"] : query.sort === "most-assigned" ? ["timesAssigned:desc"] : undefined;
    const response = await this.guard(() =>
      this.index.search(query.q, {
        attributesToSearchOn: query.q.trim().length < SHORT_QUERY_LENGTH ? [...SHORT_QUERY_ATTRIBUTES] : undefined,
        filter,
        sort,
        facets: [...FACETS],
        page: query.page,
        hitsPerPage: query.perPage,
        attributesToHighlight: ["title", "prompt"],
        attributesToCrop: ["prompt"],
        cropLength: 30,
        highlightPreTag: PRE,
        highlightPostTag: POST,
      }),
    );
    const facets = emptyFacets();
    for (const facet of FACETS) Object.assign(facets[facet], response.facetDistribution?.[facet] ?? {});
    return {
      total: response.totalHits ?? 0,
      page: query.page,
      perPage: query.perPage,
      facets,
      hits: response.hits.map((h) => ({
        id: h.id, title: h.title, difficulty: h.difficulty, tags: h.tags, catalog: h.catalog, author: h.author,
        ownerId: h.ownerId, visibility: h.visibility, timesAssigned: h.timesAssigned, createdAt: h.createdAt,
        highlight: {
          title: splitMarked(String(h._formatted?.title ?? h.title), PRE, POST),
          prompt: splitMarked(String(h._formatted?.prompt ?? h.prompt), PRE, POST),
        },
      })),
    };
  }

  /** Removes this engine's index (contract tests use a throwaway index). */
  async drop() {
    await this.client.deleteIndex(this.uid).waitTask();
  }

  async close() {}
}
