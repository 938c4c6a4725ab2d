// Catalog files (format chalkroom.catalog/v1): export a teacher's catalog, import one all-or-nothing.
import { z } from "zod";
import { db } from "~/utils/db.server.ts";
import { ChallengeInput, challengeToInput, getChallengeForTeacher, insertChallenge } from "./challenge.server.ts";
import type { SessionUser } from "~/utils/session.server.ts";

export const CATALOG_FORMAT = "chalkroom.catalog/v1";
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_CHALLENGES = 500;

export const CatalogChallenge = ChallengeInput.omit({ catalog: true, visibility: true }).extend({
  slug: z.string().regex(/^[a-z0-9-]+$/, "Slugs use lower-case letters, digits and dashes").max(80).optional(),
});

export const CatalogFile = z.object({
  format: z.literal(CATALOG_FORMAT, { errorMap: () => ({ message: `The file must say "format": "${CATALOG_FORMAT}"` }) }),
  catalog: z.string().trim().min(1, "Name the catalog").max(80),
  challenges: z.array(CatalogChallenge).min(1, "The catalog has no challenges").max(MAX_IMPORT_CHALLENGES, `At most ${MAX_IMPORT_CHALLENGES} challenges per file`),
});

export type CatalogFileData = z.infer<typeof CatalogFile>;

export interface ImportProblem {
  /** Where in the file: "challenges[3].tests[1].expected". */
  path: string;
  /** The challenge at that position, when there is one: its number (from 1) and title. */
  challenge?: string;
  message: string;
}

function describe(path: (string | number)[]): ImportProblem["path"] {
  return path.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${part}` : part), "") || "(file)";
}

function problemsOf(error: z.ZodError, raw: unknown): ImportProblem[] {
  const challenges = (raw as { challenges?: { title?: unknown }[] } | null)?.challenges;
  return error.issues.map((issue) => {
    const index = issue.path[0] === "challenges" && typeof issue.path[1] === "number" ? issue.path[1] : undefined;
    const title = index !== undefined && typeof challenges?.[index]?.title === "string" ? `“${challenges[index].title}”` : "";
    return {
      path: describe(issue.path),
      challenge: index !== undefined ? `challenge ${index + 1}${title ? ` ${title}` : ""}` : undefined,
      message: issue.message,
    };
  });
}

/** Validates every challenge and reports each problem with its position and field; nothing is written unless all are valid. */
export async function importCatalog(teacher: SessionUser, text: string, visibility: "private" | "public"): Promise<{ ok: true; imported: number; catalog: string } | { ok: false; problems: ImportProblem[] }> {
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) return { ok: false, problems: [{ path: "(file)", message: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB` }] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: "(file)", message: `The file is not valid JSON: ${(error as Error).message}` }] };
  }
  const parsed = CatalogFile.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error, raw) };
  const file = parsed.data;
  await db.$transaction(
    async (tx) => {
      for (const { slug: _slug, ...challenge } of file.challenges) await insertChallenge(tx, teacher.id, { ...challenge, catalog: file.catalog, visibility });
    },
    { timeout: 60_000 },
  );
  return { ok: true, imported: file.challenges.length, catalog: file.catalog };
}

/** The teacher's own challenges in one catalog (or those in no catalog), as a catalog file. */
export async function exportCatalog(teacher: SessionUser, catalogName: string | null): Promise<CatalogFileData> {
  const rows = await db.challenge.findMany({
    where: { authorId: teacher.id, catalog: catalogName ? { name: catalogName } : null },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  const challenges = [];
  for (const { id } of rows) {
    const { catalog: _catalog, visibility: _visibility, ...rest } = challengeToInput(await getChallengeForTeacher(id));
    challenges.push(rest);
  }
  return { format: CATALOG_FORMAT, catalog: catalogName ?? "Uncatalogued", challenges };
}

export function listOwnCatalogs(teacher: SessionUser) {
  return db.catalog.findMany({ where: { ownerId: teacher.id }, select: { name: true, _count: { select: { challenges: true } } }, orderBy: { name: "asc" } });
}
