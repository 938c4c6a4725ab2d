import { describe, expect, it } from "vitest";
import { makeChallenge, makeUser } from "../../tests/fixtures.ts";
import { db } from "~/utils/db.server.ts";
import { readCatalogFile } from "../../seed/catalog.ts";
import { exportCatalog, importCatalog } from "./catalog.server.ts";

describe("catalog files", () => {
  it("import the starter catalog, all challenges with their tests and outbox rows", async () => {
    const teacher = await makeUser("TEACHER");
    const file = readCatalogFile();
    const result = await importCatalog(teacher, JSON.stringify(file), "public");
    expect(result).toEqual({ ok: true, imported: file.challenges.length, catalog: "Python Foundations" });
    expect(await db.challenge.count({ where: { authorId: teacher.id, visibility: "PUBLIC", catalog: { name: "Python Foundations" } } })).toBe(file.challenges.length);
    expect(await db.searchOutbox.count({ where: { challengeId: { in: (await db.challenge.findMany({ where: { authorId: teacher.id }, select: { id: true } })).map((c) => c.id) } } })).toBe(file.challenges.length);
  });

  it("report every problem with its position and field, and import nothing", async () => {
    const teacher = await makeUser("TEACHER");
    const file = readCatalogFile();
    const broken = JSON.parse(JSON.stringify(file));
    broken.challenges[2].title = "";
    broken.challenges[5].tests[1].expected = "not json";
    broken.challenges[7].tests.push({ kind: "assert", code: "assert True", visible: false, points: 1, timeLimitMs: 1000 });
    delete broken.challenges[9].difficulty;
    const result = await importCatalog(teacher, JSON.stringify(broken), "private");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lastTest = broken.challenges[7].tests.length - 1;
    expect(result.problems.map((p) => p.path)).toEqual([
      "challenges[2].title",
      "challenges[5].tests[1].expected",
      `challenges[7].tests[${lastTest}].visible`,
      "challenges[9].difficulty",
    ]);
    expect(result.problems[1]).toMatchObject({ challenge: `challenge 6 “${file.challenges[5].title}”`, message: expect.stringMatching(/JSON/) });
    expect(await db.challenge.count({ where: { authorId: teacher.id } })).toBe(0);
  });

  it("refuse what is not a catalog file", async () => {
    const teacher = await makeUser("TEACHER");
    expect(await importCatalog(teacher, "{ nope", "private")).toMatchObject({ ok: false, problems: [{ path: "(file)", message: expect.stringMatching(/not valid JSON/) }] });
    expect(await importCatalog(teacher, JSON.stringify({ format: "other", catalog: "x", challenges: [] }), "private")).toMatchObject({
      ok: false,
      problems: [{ path: "format", message: expect.stringMatching(/chalkroom.catalog\/v1/) }, { path: "challenges", message: expect.any(String) }],
    });
  });

  it("export a teacher's catalog in the same format, which imports back unchanged", async () => {
    const teacher = await makeUser("TEACHER");
    await makeChallenge(teacher, { title: "First" });
    await makeChallenge(teacher, { title: "Second", tests: [{ kind: "stdio", stdin: "1\n", expectedStdout: "2\n", visible: false, points: 3, timeLimitMs: 500 }, { kind: "assert", code: "assert True", visible: true, points: 1, timeLimitMs: 500 }] });
    await makeChallenge(teacher, { title: "Elsewhere", catalog: "Other" });
    const exported = await exportCatalog(teacher, "Basics");
    expect(exported.format).toBe("chalkroom.catalog/v1");
    expect(exported.challenges.map((c) => c.title)).toEqual(["First", "Second"]);

    const colleague = await makeUser("TEACHER");
    expect(await importCatalog(colleague, JSON.stringify(exported), "private")).toMatchObject({ ok: true, imported: 2 });
    expect(await exportCatalog(colleague, "Basics")).toEqual(exported);
  });
});
