import { describe, expect, it } from "vitest";
import { joinAs, makeAssignment, makeChallenge, makeGroup, makeUser } from "../../tests/fixtures.ts";
import { db } from "~/utils/db.server.ts";
import { addCoTeacher, createGroup, joinGroup, removeStudent, rotateJoinCode, setJoinCodeEnabled } from "./group.server.ts";

describe("groups", () => {
  it("a new group gets a join code and its creator teaches it", async () => {
    const teacher = await makeUser("TEACHER");
    const group = await makeGroup(teacher);
    expect(group.joinCode).toMatch(/^[A-Z0-9]{6,8}$/);
    const membership = await db.membership.findUniqueOrThrow({ where: { groupId_userId: { groupId: group.id, userId: teacher.id } } });
    expect(membership.role).toBe("TEACHER");
  });

  it("a group needs a name", async () => {
    const teacher = await makeUser("TEACHER");
    expect(await createGroup(teacher, { name: " " })).toEqual({ ok: false, errors: { name: expect.stringMatching(/name/) } });
  });

  it("a student joins with the code typed loosely, once", async () => {
    const teacher = await makeUser("TEACHER");
    const student = await makeUser("STUDENT");
    const group = await makeGroup(teacher);
    const typed = `${group.joinCode.slice(0, 3).toLowerCase()}-${group.joinCode.slice(3)}`;
    expect(await joinGroup(student, { code: typed })).toEqual({ ok: true, value: { groupId: group.id, alreadyMember: false } });
    expect(await joinGroup(student, { code: group.joinCode })).toEqual({ ok: true, value: { groupId: group.id, alreadyMember: true } });
  });

  it("wrong, rotated and disabled codes get clear messages", async () => {
    const teacher = await makeUser("TEACHER");
    const student = await makeUser("STUDENT");
    const group = await makeGroup(teacher);
    expect(await joinGroup(student, { code: "" })).toMatchObject({ ok: false, errors: { code: expect.stringMatching(/Enter the join code/) } });
    expect(await joinGroup(student, { code: "0O1IL" })).toMatchObject({ ok: false, errors: { code: expect.stringMatching(/not a valid join code/) } });
    const old = group.joinCode;
    const fresh = await rotateJoinCode(group.id);
    expect(fresh).not.toBe(old);
    expect(await joinGroup(student, { code: old })).toMatchObject({ ok: false, errors: { code: expect.stringMatching(/No group has this code/) } });
    await setJoinCodeEnabled(group.id, false);
    expect(await joinGroup(student, { code: fresh })).toMatchObject({ ok: false, errors: { code: expect.stringMatching(/not accepting new members/) } });
    expect(await db.membership.count({ where: { groupId: group.id, userId: student.id } })).toBe(0);
    await setJoinCodeEnabled(group.id, true);
    expect((await joinGroup(student, { code: fresh })).ok).toBe(true);
  });

  it("teachers cannot join with a code; they are added as co-teachers by email", async () => {
    const teacher = await makeUser("TEACHER");
    const colleague = await makeUser("TEACHER", "Colleague");
    const student = await makeUser("STUDENT");
    const group = await makeGroup(teacher);
    expect(await joinGroup(colleague, { code: group.joinCode })).toMatchObject({ ok: false, errors: { code: expect.stringMatching(/co-teacher/) } });
    expect(await addCoTeacher(group.id, { email: "missing@example.com" })).toMatchObject({ ok: false, errors: { email: expect.stringMatching(/No Chalkroom account/) } });
    expect(await addCoTeacher(group.id, { email: student.email })).toMatchObject({ ok: false, errors: { email: expect.stringMatching(/student account/) } });
    expect(await addCoTeacher(group.id, { email: colleague.email.toUpperCase() })).toEqual({ ok: true, value: { name: "Colleague" } });
    expect(await addCoTeacher(group.id, { email: colleague.email })).toMatchObject({ ok: false, errors: { email: expect.stringMatching(/already teaches/) } });
  });

  it("a student who joins late gets a room in every live assignment; removing them takes them out", async () => {
    const teacher = await makeUser("TEACHER");
    const group = await makeGroup(teacher);
    const challenge = await makeChallenge(teacher);
    const solo = await makeAssignment(teacher, group.id, challenge.id);
    const teams = await makeAssignment(teacher, group.id, challenge.id, { mode: "TEAM", teamSize: 2 });
    const [a, b, c] = [await makeUser("STUDENT", "A"), await makeUser("STUDENT", "B"), await makeUser("STUDENT", "C")];
    for (const s of [a, b, c]) await joinAs(s, group);
    expect(await db.room.count({ where: { assignmentId: solo.id } })).toBe(3);
    const teamRooms = await db.room.findMany({ where: { assignmentId: teams.id }, include: { members: true }, orderBy: { createdAt: "asc" } });
    expect(teamRooms.map((r) => r.members.length)).toEqual([2, 1]);

    expect((await removeStudent(group.id, b.id)).ok).toBe(true);
    expect(await db.roomMember.count({ where: { userId: b.id } })).toBe(0);
    expect(await db.membership.count({ where: { groupId: group.id, userId: b.id } })).toBe(0);
    expect(await removeStudent(group.id, teacher.id)).toMatchObject({ ok: false });
  });
});
