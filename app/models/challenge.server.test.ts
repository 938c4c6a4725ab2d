import { describe, expect, it } from "vitest";
import { makeAssignment, makeChallenge, makeGroup, makeUser, sampleChallenge } from "../../tests/fixtures.ts";
import { db } from "~/utils/db.server.ts";
import { createChallenge, deleteChallenge, getChallengeForStudent, getChallengeForTeacher, updateChallenge } from "./challenge.server.ts";

describe("challenges", () => {
  it("are stored with their tests, catalog and a search-outbox row", async () => {
    const teacher = await makeUser("TEACHER");
    const { id } = await makeChallenge(teacher, { tags: ["Math", "math", "loops"] });
    const stored = await db.challenge.findUniqueOrThrow({ where: { id }, include: { tests: { orderBy: { position: "asc" } }, catalog: true } });
    expect(stored.tags).toEqual(["math", "loops"]);
    expect(stored.catalog?.name).toBe("Basics");
    expect(stored.tests.map((t) => [t.kind, t.visible, t.expected])).toEqual([["CALL", true, "3"], ["CALL", false, "0"]]);
    expect(await db.searchOutbox.count({ where: { challengeId: id, op: "UPSERT" } })).toBe(1);
  });

  it("keep hidden expected values as data, outside any code", async () => {
    const teacher = await makeUser("TEACHER");
    const { id } = await makeChallenge(teacher);
    const hidden = await db.challengeTest.findFirstOrThrow({ where: { challengeId: id, visible: false } });
    expect(hidden).toMatchObject({ kind: "CALL", expression: "add(-5, 5)", expected: "0", code: null });
  });

  it("report each invalid field, tests included, and write nothing", async () => {
    const teacher = await makeUser("TEACHER");
    const result = await createChallenge(teacher, sampleChallenge({
      title: "x",
      difficulty: "impossible" as never,
      tests: [
        { kind: "call", expression: "add(1, 2)", expected: "three", visible: true, points: 1, timeLimitMs: 1000 },
        { kind: "assert", code: "assert add(1, 1) == 2", visible: false, points: 1, timeLimitMs: 1000 },
        { kind: "stdio", stdin: "", expectedStdout: "x", visible: true, points: 0, timeLimitMs: 50 },
      ],
    }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toMatchObject({
      title: expect.any(String),
      difficulty: expect.any(String),
      "tests.0.expected": expect.stringMatching(/JSON/),
      "tests.2.points": expect.any(String),
      "tests.2.timeLimitMs": expect.any(String),
    });
    const again = await createChallenge(teacher, sampleChallenge({ tests: [{ kind: "assert", code: "assert True", visible: false, points: 1, timeLimitMs: 1000 }] }));
    expect(again).toMatchObject({ ok: false, errors: { "tests.0.visible": expect.stringMatching(/only be visible/) } });
    expect(await db.challenge.count({ where: { authorId: teacher.id } })).toBe(0);
  });

  it("the database itself refuses a hidden assert test", async () => {
    const teacher = await makeUser("TEACHER");
    const { id } = await makeChallenge(teacher);
    await expect(db.challengeTest.create({ data: { challengeId: id, position: 9, kind: "ASSERT", visible: false, code: "assert 1" } })).rejects.toThrow();
  });

  it("render the prompt's Markdown without scripts", async () => {
    const teacher = await makeUser("TEACHER");
    const { id } = await makeChallenge(teacher, { prompt: "**Bold** <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))" });
    const { promptHtml } = await getChallengeForTeacher(id);
    expect(promptHtml).toContain("<strong>Bold</strong>");
    expect(promptHtml).not.toMatch(/<script|onerror|javascript:/i);
  });

  it("show students only visible tests", async () => {
    const teacher = await makeUser("TEACHER");
    const { id } = await makeChallenge(teacher);
    const view = await getChallengeForStudent(id);
    expect(view.tests).toHaveLength(1);
    expect(view.hiddenTestCount).toBe(1);
    expect(JSON.stringify(view)).not.toContain("add(-5, 5)");
    expect(view).not.toHaveProperty("referenceSolution");
  });

  it("after grading, keep their tests but still take other edits", async () => {
    const teacher = await makeUser("TEACHER");
    const student = await makeUser("STUDENT");
    const group = await makeGroup(teacher);
    const { id } = await makeChallenge(teacher);
    const assignment = await makeAssignment(teacher, group.id, id);
    const room = await db.room.create({ data: { assignmentId: assignment.id, name: "r" } });
    const test = await db.challengeTest.findFirstOrThrow({ where: { challengeId: id } });
    const submission = await db.submission.create({ data: { assignmentId: assignment.id, roomId: room.id, userId: student.id, code: "x", maxScore: 3, status: "GRADED", score: 1 } });
    await db.testResult.create({ data: { submissionId: submission.id, testId: test.id, verdict: "PASSED", points: 1, durationMs: 3 } });

    expect(await updateChallenge(id, sampleChallenge({ title: "Add two numbers, fixed typo" }))).toEqual({ ok: true, value: { id } });
    expect((await db.challenge.findUniqueOrThrow({ where: { id } })).title).toBe("Add two numbers, fixed typo");
    expect(await db.testResult.count({ where: { submissionId: submission.id } })).toBe(1);
    const changed = sampleChallenge({ tests: [{ kind: "call", expression: "add(2, 2)", expected: "4", visible: true, points: 1, timeLimitMs: 1000 }] });
    expect(await updateChallenge(id, changed)).toMatchObject({ ok: false, errors: { tests: expect.stringMatching(/already been graded/) } });
    expect(await db.testResult.count({ where: { submissionId: submission.id } })).toBe(1);
  });

  it("are updated with their tests replaced, and can be deleted unless assigned", async () => {
    const teacher = await makeUser("TEACHER");
    const { id } = await makeChallenge(teacher);
    const updated = await updateChallenge(id, sampleChallenge({ title: "Add numbers", tests: [{ kind: "stdio", stdin: "1\r\n2\r\n", expectedStdout: "3\n", visible: false, points: 5, timeLimitMs: 2000 }] }));
    expect(updated.ok).toBe(true);
    const stored = await getChallengeForTeacher(id);
    expect(stored.title).toBe("Add numbers");
    expect(stored.tests).toHaveLength(1);
    expect(stored.tests[0].stdin).toBe("1\n2\n");

    const group = await makeGroup(teacher);
    const other = await makeChallenge(teacher);
    await makeAssignment(teacher, group.id, other.id);
    expect(await deleteChallenge(other.id)).toMatchObject({ ok: false, errors: { form: expect.stringMatching(/used by 1 assignment/) } });
    expect(await deleteChallenge(id)).toEqual({ ok: true, value: null });
    expect(await db.challenge.count({ where: { id } })).toBe(0);
    expect(await db.searchOutbox.count({ where: { challengeId: id, op: "DELETE" } })).toBe(1);
  });
});
