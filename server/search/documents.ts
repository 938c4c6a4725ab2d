import type { Db } from "~/utils/db.server.ts";
import type { SearchDocument } from "./types.ts";

const select = {
  id: true, title: true, prompt: true, tags: true, difficulty: true, visibility: true, createdAt: true, timesAssigned: true, authorId: true,
  author: { select: { name: true } }, catalog: { select: { name: true } },
} as const;

type Row = { id: string; title: string; prompt: string; tags: string[]; difficulty: string; visibility: string; createdAt: Date; timesAssigned: number; authorId: string; author: { name: string }; catalog: { name: string } | null };

/** The prompt as readers see it: Markdown punctuation gone, so snippets and matches are about words. */
export function promptText(markdown: string): string {
  return markdown
    .replace(/```[\w-]*/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(#{1,6}|>|[-+*]|\d+\.)\s+/gm, "")
    .replace(/[`*_~]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

export function toSearchDocument(row: Row): SearchDocument {
  return {
    id: row.id,
    title: row.title,
    prompt: promptText(row.prompt),
    tags: row.tags,
    catalog: row.catalog?.name ?? null,
    author: row.author.name,
    ownerId: row.authorId,
    difficulty: row.difficulty.toLowerCase() as SearchDocument["difficulty"],
    visibility: row.visibility === "PUBLIC" ? "public" : "private",
    createdAt: row.createdAt.getTime(),
    timesAssigned: row.timesAssigned,
  };
}

/** Current documents for these challenges (all challenges when `ids` is omitted), read from the database. */
export async function loadSearchDocuments(db: Db, ids?: string[]): Promise<SearchDocument[]> {
  const rows = await db.challenge.findMany({ where: ids ? { id: { in: ids } } : {}, select, orderBy: { createdAt: "asc" } });
  return rows.map(toSearchDocument);
}
