import { readFileSync } from "node:fs";
import { CatalogFile, type CatalogFileData } from "~/models/catalog.server.ts";

export const STARTER_CATALOG_PATH = new URL("./catalog/starter.json", import.meta.url);

export function readCatalogFile(path: URL | string = STARTER_CATALOG_PATH): CatalogFileData {
  return CatalogFile.parse(JSON.parse(readFileSync(path, "utf8")));
}
