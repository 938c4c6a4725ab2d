import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readCatalogFile } from "./catalog.ts";

describe("the starter catalog", () => {
  const catalog = readCatalogFile();

  it("has at least 30 challenges, each with visible and hidden tests and a reference solution", () => {
    expect(catalog.challenges.length).toBeGreaterThanOrEqual(30);
    for (const c of catalog.challenges) {
      expect(c.tests.some((t) => t.visible), c.slug).toBe(true);
      expect(c.tests.some((t) => !t.visible), c.slug).toBe(true);
      expect(c.referenceSolution?.trim(), c.slug).toBeTruthy();
    }
  });

  it("covers strings, lists, dicts, loops, recursion and classes, intro to medium", () => {
    const tags = new Set(catalog.challenges.flatMap((c) => c.tags));
    for (const topic of ["strings", "lists", "dicts", "loops", "recursion", "classes"]) expect(tags).toContain(topic);
    expect(new Set(catalog.challenges.map((c) => c.difficulty))).toEqual(new Set(["intro", "easy", "medium"]));
  });

  it("every reference solution passes its own tests in python3", () => {
    const checker = fileURLToPath(new URL("./check_catalog.py", import.meta.url));
    const run = spawnSync("python3", [checker, "--json"], { encoding: "utf8", timeout: 240_000 });
    expect(run.error).toBeUndefined();
    const report = JSON.parse(run.stdout) as { passed: number; failed: number; failures: unknown[] };
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.passed).toBe(catalog.challenges.reduce((n, c) => n + c.tests.length, 0));
    expect(run.status).toBe(0);
  }, 300_000);
});
