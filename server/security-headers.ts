import type { RequestHandler } from "express";

// Worker scripts (Monaco's, the Python runner's) may load code and data from this origin only. Student code
// in the runner runs in other people's browsers too (a teammate's, a watching teacher's): it must not be able
// to send anything elsewhere. 'unsafe-eval': Emscripten evaluates generated code while Pyodide loads.
const WORKER_CSP = "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'";

// Baseline headers for every response. Every page is cross-origin isolated (COOP same-origin + COEP
// credentialless): the Python runner needs SharedArrayBuffer for input() and Stop, and Remix navigates
// between pages without reloading the document, so isolation has to hold from whichever page a visit
// starts on (docs/decisions/006). Workers need the same COEP as the page that starts them.
export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Embedder-Policy", "credentialless");
  // A worker's CSP comes with its script; browsers mark those requests (in development too, where Vite
  // serves the worker from its TypeScript source).
  if (req.headers["sec-fetch-dest"] === "worker") {
    res.setHeader("Content-Security-Policy", WORKER_CSP);
    res.vary("Sec-Fetch-Dest");
  }
  next();
};
