// Serves the installed Pyodide package to the browser runner at /pyodide/<version>/<file>.
import express, { type Request, type Response, type Router } from "express";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { PYODIDE_FILES, PYODIDE_URL_PATH } from "../workers/pyodide-assets.ts";

const pyodideDir = dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
const gzipAsync = promisify(gzip);

const CONTENT_TYPES: Record<string, string> = {
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".zip": "application/zip",
  ".json": "application/json; charset=utf-8",
};
// The wasm (9.6 MB, 3.6 MB gzipped) and its glue code are compressed once and kept: gzipping the wasm costs
// ~250 ms of CPU, which every student of a class would otherwise cost the server at the start of a lesson.
const PRECOMPRESSED = new Set(["pyodide.asm.wasm", "pyodide.asm.mjs"]);

/** The listed files under PYODIDE_URL_PATH, cached as immutable (the path names the version); nothing else. */
export function pyodideAssets(): Router {
  const router = express.Router();
  const gzipped = new Map<string, Promise<Buffer>>();
  const compressed = (file: string) => {
    let buffer = gzipped.get(file);
    if (!buffer) {
      buffer = readFile(join(pyodideDir, file)).then((bytes) => gzipAsync(bytes));
      buffer.catch(() => gzipped.delete(file));
      gzipped.set(file, buffer);
    }
    return buffer;
  };

  for (const file of PYODIDE_FILES) {
    router.get(`${PYODIDE_URL_PATH}${file}`, async (req: Request, res: Response, next) => {
      res.setHeader("Content-Type", CONTENT_TYPES[extname(file)]);
      res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
      // Cross-origin isolated pages load these; other sites may not embed them.
      res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
      if (PRECOMPRESSED.has(file)) {
        res.setHeader("Vary", "Accept-Encoding");
        if (req.acceptsEncodings("gzip")) {
          try {
            const body = await compressed(file);
            res.setHeader("Content-Encoding", "gzip");
            res.setHeader("Content-Length", body.length);
            return void res.end(body);
          } catch (error) {
            return next(error);
          }
        }
      }
      res.sendFile(join(pyodideDir, file), (error) => {
        if (error && !res.headersSent) next(error);
      });
    });
  }
  return router;
}
