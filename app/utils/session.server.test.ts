import { describe, expect, it } from "vitest";
import { safeRedirect } from "./session.server.ts";

describe("redirects after login", () => {
  it("keep paths on this site", () => {
    expect(safeRedirect("/groups/abc?tab=roster#top")).toBe("/groups/abc?tab=roster#top");
    expect(safeRedirect("/join/KDX7RHP")).toBe("/join/KDX7RHP");
  });

  it("refuse anything a browser could read as another site", () => {
    for (const evil of ["//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "https://evil.example", "evil", "/ /x", "\\\\evil"]) {
      expect(safeRedirect(evil), JSON.stringify(evil)).toBe("/dashboard");
    }
    expect(safeRedirect(null)).toBe("/dashboard");
  });
});
