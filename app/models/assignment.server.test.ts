import { describe, expect, it } from "vitest";
import { joinAs, makeAssignment, makeChallenge, makeGroup, makeUser, unwrap } from "../../tests/fixtures.ts";
import { db } from "~/utils/db.server.ts";
import { assignmentAccess, roomAccess } from "./access.server.ts";
import { assignmentStatus, createAssignment, formTeams, listStudentAssignments, setWithdrawn, updateAssignment } from "./assignment.server.ts";

describe("assignments", () => {
  it("make a room per student, or per team with no one left alone", async () => {
    expect(formTeams([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4, 5]]);
    expect(formTeams([1, 2, 3, 4, 5, 6], 3)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(formTeams([1], 3)).toEqual([[1]]);
    const teacher = await makeUser("TEACHER");
    const group = await makeGroup(teacher);
    for (let i = 0; i < 5; i++) await joinAs(await makeUser("STUDENT", `S${i}`), group);
    const challenge = await makeChallenge(teacher);
    const solo = await makeAssignment(teacher, group.id, challenge.id);
    const teams = await makeAssignment(teacher, group.id, challenge.id, { mode: "TEAM", teamSize: 2 });
    const soloRooms = await db.room.findMany({ where: { assignmentId: solo.id }, include: { members: true } });
    expect(soloRooms.map((r) => r.members.length)).toEqual([1, 1, 1, 1, 1]);
    const teamRooms = await db.room.findMany({ where: { assignmentId: teams.id }, include: { members: true }, orderBy: { name: "asc" } });
    expect(teamRooms.map((r) => [r.name, r.members.length])).toEqual([["Team 1", 2], ["Team 2", 3]]);
    expect((await db.challenge.findUniqueOrThrow({ where: { id: challenge.id } })).timesAssigned).toBe(2);
  });

  it("validate the schedule, team size and challenge", async () => {
    const teacher = await makeUser("TEACHER");
    const stranger = await makeUser("TEACHER");
    const group = await makeGroup(teacher);
    const mine = await makeChallenge(teacher);
    const theirs = await makeChallenge(stranger);
    const base = { challengeId: mine.id, mode: "INDIVIDUAL", opensAt: "2026-01-01T09:00", dueAt: "", attemptLimit: "", tzOffset: "0" };
    expect(await createAssignment(teacher, group.id, { ...base, dueAt: "2025-12-31T09:00" })).toMatchObject({ ok: false, errors: { dueAt: expect.stringMatching(/after the opening/) } });
    expect(await createAssignment(teacher, group.id, { ...base, mode: "TEAM", teamSize: "1" })).toMatchObject({ ok: false, errors: { teamSize: expect.any(String) } });
    expect(await createAssignment(teacher, group.id, { ...base, attemptLimit: "0" })).toMatchObject({ ok: false, errors: { attemptLimit: expect.any(String) } });
    expect(await createAssignment(teacher, group.id, { ...base, opensAt: "tomorrow" })).toMatchObject({ ok: false, errors: { opensAt: expect.any(String) } });
    expect(await createAssignment(teacher, group.id, { ...base, challengeId: theirs.id })).toMatchObject({ ok: false, errors: { challengeId: expect.any(String) } });
    expect(await db.assignment.count({ where: { groupId: group.id } })).toBe(0);
  });

  it("refuse impossible dates with a message", async () => {
    const teacher = await makeUser("TEACHER");
    const group = await makeGroup(teacher);
    const challenge = await makeChallenge(teacher);
    expect(await createAssignment(teacher, group.id, { challengeId: challenge.id, mode: "INDIVIDUAL", opensAt: "2026-13-01T25:00", dueAt: "", attemptLimit: "", tzOffset: "0" })).toMatchObject({ ok: false, errors: { opensAt: "Pick a real date and time" } });
  });

  it("a student who joins while an assignment is withdrawn has a room when it is restored", async () => {
    const teacher = await makeUser("TEACHER");
    const group = await makeGroup(teacher);
    const challenge = await makeChallenge(teacher);
    const assignment = await makeAssignment(teacher, group.id, challenge.id);
    await setWithdrawn(assignment.id, true);
    const student = await makeUser("STUDENT");
    await joinAs(student, group);
    expect(await listStudentAssignments(student.id)).toEqual([]);
    await setWithdrawn(assignment.id, false);
    const [restored] = await listStudentAssignments(student.id);
    expect(restored.room).not.toBeNull();
  });

  it("store the instant the teacher meant in their time zone", async () => {
    const teacher = await makeUser("TEACHER");
    const group = await makeGroup(teacher);
    const challenge = await makeChallenge(teacher);
    // UTC+2 reports getTimezoneOffset() = -120: 09:00 there is 07:00 UTC.
    const { id } = unwrap(await createAssignment(teacher, group.id, { challengeId: challenge.id, mode: "INDIVIDUAL", opensAt: "2026-03-02T09:00", dueAt: "", attemptLimit: "3", tzOffset: "-120" }));
    const stored = await db.assignment.findUniqueOrThrow({ where: { id } });
    expect(stored.opensAt.toISOString()).toBe("2026-03-02T07:00:00.000Z");
    expect(stored.attemptLimit).toBe(3);
    expect(await updateAssignment(id, { opensAt: "2026-03-02T09:00", dueAt: "2026-03-09T17:30", attemptLimit: "", tzOffset: "0" })).toEqual({ ok: true, value: null });
    const edited = await db.assignment.findUniqueOrThrow({ where: { id } });
    expect(edited.dueAt?.toISOString()).toBe("2026-03-09T17:30:00.000Z");
    expect(edited.attemptLimit).toBeNull();
  });

  it("students see an assignment from its opening until it is withdrawn", async () => {
    const teacher = await makeUser("TEACHER");
    const student = await makeUser("STUDENT");
    const group = await makeGroup(teacher);
    await joinAs(student, group);
    const challenge = await makeChallenge(teacher);
    const later = await makeAssignment(teacher, group.id, challenge.id, { opensInDays: 2 });
    const now = await makeAssignment(teacher, group.id, challenge.id, { dueInDays: 3 });
    expect((await listStudentAssignments(student.id)).map((a) => a.id)).toEqual([now.id]);
    expect(await assignmentAccess(student, later.id)).toBe("none");
    const room = await db.room.findFirstOrThrow({ where: { assignmentId: now.id } });
    expect(await roomAccess(student, room.id)).toBe("write");
    await setWithdrawn(now.id, true);
    expect(await listStudentAssignments(student.id)).toEqual([]);
    expect(await roomAccess(student, room.id)).toBe("none");
    expect(await roomAccess(teacher, room.id)).toBe("manage");
  });

  it("report status: not started, in progress, submitted, graded, overdue", async () => {
    const past = new Date(Date.now() - 1000);
    expect(assignmentStatus({ dueAt: null, hasDocument: false, submissions: [] })).toBe("not started");
    expect(assignmentStatus({ dueAt: null, hasDocument: true, submissions: [] })).toBe("in progress");
    expect(assignmentStatus({ dueAt: past, hasDocument: true, submissions: [] })).toBe("overdue");
    expect(assignmentStatus({ dueAt: past, hasDocument: true, submissions: [{ status: "QUEUED" }] })).toBe("submitted");
    expect(assignmentStatus({ dueAt: null, hasDocument: true, submissions: [{ status: "QUEUED" }, { status: "GRADED" }] })).toBe("graded");

    const teacher = await makeUser("TEACHER");
    const student = await makeUser("STUDENT");
    const group = await makeGroup(teacher);
    await joinAs(student, group);
    const challenge = await makeChallenge(teacher);
    const assignment = await makeAssignment(teacher, group.id, challenge.id, { dueInDays: 1 });
    const room = await db.room.findFirstOrThrow({ where: { assignmentId: assignment.id } });
    const statusNow = async () => (await listStudentAssignments(student.id))[0].status;
    expect(await statusNow()).toBe("not started");
    await db.yDocument.create({ data: { roomId: room.id, state: Buffer.from([0, 0]), sizeBytes: 2 } });
    expect(await statusNow()).toBe("in progress");
    await db.submission.create({ data: { assignmentId: assignment.id, roomId: room.id, userId: student.id, code: "x", maxScore: 3 } });
    expect(await statusNow()).toBe("submitted");
  });
});
