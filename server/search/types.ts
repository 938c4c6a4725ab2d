// The one search interface every engine implements, and the shapes it speaks.
export const FACETS = ["difficulty", "tags", "catalog", "author"] as const;
export type Facet = (typeof FACETS)[number];
export const SORTS = ["relevance", "newest", "most-assigned"] as const;
export type Sort = (typeof SORTS)[number];

/** A challenge as the index holds it. */
export interface SearchDocument {
  id: string;
  title: string;
  prompt: string;
  tags: string[];
  catalog: string | null;
  author: string;
  ownerId: string;
  difficulty: "intro" | "easy" | "medium" | "hard";
  visibility: "private" | "public";
  createdAt: number; // epoch ms: sortable in every engine
  timesAssigned: number;
}

export interface SearchQuery {
  q: string;
  /** Visibility is part of every query: public challenges and the viewer's own, nothing else. */
  viewerId: string;
  filters: Partial<Record<Facet, string[]>>;
  sort: Sort;
  page: number; // from 1
  perPage: number;
}

/** Text cut into plain and matched runs, so the UI highlights without rendering engine HTML. */
export type Highlighted = { text: string; match: boolean }[];

export interface SearchHit {
  id: string;
  title: string;
  difficulty: SearchDocument["difficulty"];
  tags: string[];
  catalog: string | null;
  author: string;
  ownerId: string;
  visibility: SearchDocument["visibility"];
  timesAssigned: number;
  createdAt: number;
  highlight: { title: Highlighted; prompt: Highlighted };
}

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  page: number;
  perPage: number;
  facets: Record<Facet, Record<string, number>>;
}

export interface SearchEngine {
  readonly name: "embedded" | "meilisearch";
  /** Creates the index and applies its settings; safe to call on every start. */
  init(): Promise<void>;
  upsert(documents: SearchDocument[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /** Replaces the whole index (reindex). */
  replaceAll(documents: SearchDocument[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  close(): Promise<void>;
}

/** The engine cannot be reached or failed: search shows an error, the rest of the app goes on. */
export class SearchUnavailableError extends Error {
  constructor(cause: unknown) {
    super("Search is unavailable right now. Try again in a moment.", { cause });
    this.name = "SearchUnavailableError";
  }
}

/**
 * One- and two-letter prefixes match nearly every prompt, which helps nobody and costs the most: until a
 * query has three characters, every engine searches only these attributes.
 */
export const SHORT_QUERY_LENGTH = 3;
export const SHORT_QUERY_ATTRIBUTES = ["title", "tags", "catalog", "author"] as const;

export const emptyFacets = (): Record<Facet, Record<string, number>> => ({ difficulty: {}, tags: {}, catalog: {}, author: {} });
