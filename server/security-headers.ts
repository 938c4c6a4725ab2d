import type { RequestHandler } from "express";

// Baseline headers for every response. Every page is cross-origin isolated (COOP same-origin + COEP
// credentialless): the Python runner needs SharedArrayBuffer for input() and Stop, and Remix navigates
// between pages without reloading the document, so isolation has to hold from whichever page a visit
// starts on (docs/decisions/006). Workers need the same COEP as the page that starts them.
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Embedder-Policy", "credentialless");
  next();
};
