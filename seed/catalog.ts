import { readFileSync } from "node:fs";
import { z } from "zod";
import { ChallengeInput } from "~/models/challenge.server.ts";

// The catalog file format (chalkroom.catalog/v1), also what catalog import and export will use.
export const CatalogFile = z.object({
  format: z.literal("chalkroom.catalog/v1"),
  catalog: z.string().min(1).max(80),
  challenges: z.array(ChallengeInput.omit({ catalog: true, visibility: true }).extend({ slug: z.string().regex(/^[a-z0-9-]+$/) })).min(1),
});

export type CatalogFileData = z.infer<typeof CatalogFile>;

export const STARTER_CATALOG_PATH = new URL("./catalog/starter.json", import.meta.url);

export function readCatalogFile(path: URL | string = STARTER_CATALOG_PATH): CatalogFileData {
  return CatalogFile.parse(JSON.parse(readFileSync(path, "utf8")));
}
