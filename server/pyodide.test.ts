import express from "express";
import { readFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PYODIDE_URL_PATH, PYODIDE_VERSION } from "../workers/pyodide-assets.ts";
import { pyodideAssets } from "./pyodide.ts";
import { securityHeaders } from "./security-headers.ts";

const pyodideDir = dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(securityHeaders);
  app.use(pyodideAssets());
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = (file: string, headers: Record<string, string> = {}) => fetch(`${base}${PYODIDE_URL_PATH}${file}`, { headers });

describe("Pyodide served by our server", () => {
  it("names the installed version in the path", () => {
    expect(PYODIDE_URL_PATH).toBe(`/pyodide/${PYODIDE_VERSION}/`);
    expect(PYODIDE_VERSION).toBe(JSON.parse(readFileSync(join(pyodideDir, "package.json"), "utf8")).version);
  });

  it.each([
    ["pyodide.mjs", "text/javascript"],
    ["pyodide.asm.mjs", "text/javascript"],
    ["pyodide.asm.wasm", "application/wasm"],
    ["python_stdlib.zip", "application/zip"],
    ["pyodide-lock.json", "application/json"],
  ])("serves %s as %s, immutable, same-origin only, in a cross-origin isolated response", async (file, type) => {
    const response = await get(file);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain(type);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(response.headers.get("cross-origin-embedder-policy")).toBe("credentialless");
    expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    // fetch undoes any Content-Encoding: the bytes are the package's own.
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(join(pyodideDir, file)))).toBe(true);
  });

  it("sends the wasm gzipped to browsers that accept it, and whole to those that do not", async () => {
    const raw = (encoding: string) =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        request(`${base}${PYODIDE_URL_PATH}pyodide.asm.wasm`, { headers: { "accept-encoding": encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on("error", reject).end();
      });
    const original = readFileSync(join(pyodideDir, "pyodide.asm.wasm"));
    const zipped = await raw("gzip, deflate, br");
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toContain("Accept-Encoding");
    expect(zipped.body.length).toBeLessThan(original.length / 2);
    expect(gunzipSync(zipped.body).equals(original)).toBe(true);
    const plain = await raw("identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it("gives worker scripts a CSP that keeps them to this origin, and nothing else a CSP", async () => {
    const worker = await get("pyodide.mjs", { "sec-fetch-dest": "worker" });
    expect(worker.headers.get("content-security-policy")).toBe("default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'");
    expect(worker.headers.get("vary")).toContain("Sec-Fetch-Dest");
    expect((await get("pyodide.mjs", { "sec-fetch-dest": "script" })).headers.get("content-security-policy")).toBeNull();
  });

  it("serves nothing else from the package", async () => {
    for (const path of ["package.json", "console.html", "pyodide.js", "..%2fpackage.json", "pyodide.mjs.map"]) {
      expect((await get(path)).status, path).toBe(404);
    }
    expect((await fetch(`${base}/pyodide/0.0.1/pyodide.mjs`)).status).toBe(404);
  });
});
