import { z } from "zod";
import { db } from "~/utils/db.server.ts";
import { isUniqueViolation } from "~/utils/db-errors.server.ts";
import { fieldErrors } from "~/utils/form.server.ts";
import { fail, ok, type Result } from "~/utils/result.ts";
import type { SessionUser } from "~/utils/session.server.ts";
import { placeStudentInRooms, removeStudentFromRooms } from "./assignment.server.ts";
import { generateJoinCode, isWellFormedJoinCode, normalizeJoinCode } from "./join-code.server.ts";

export const GroupInput = z.object({
  name: z.string().trim().min(2, "Give the group a name of at least 2 characters").max(80, "Keep the name under 80 characters"),
});

export const JoinInput = z.object({
  code: z.string().trim().min(1, "Enter the join code your teacher gave you").max(40, "That is not a join code"),
});

export const CoTeacherInput = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address"),
});

/** Retries on the rare clash with an existing code. */
async function withFreshCode<T>(write: (code: string) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write(generateJoinCode());
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= 5) throw e;
    }
  }
}

export async function createGroup(teacher: SessionUser, raw: unknown): Promise<Result<{ id: string }>> {
  const parsed = GroupInput.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const group = await withFreshCode((joinCode) =>
    db.group.create({
      data: {
        name: parsed.data.name,
        joinCode,
        createdById: teacher.id,
        members: { create: { userId: teacher.id, role: "TEACHER" } },
      },
      select: { id: true },
    }),
  );
  return ok(group);
}

export async function rotateJoinCode(groupId: string): Promise<string> {
  const group = await withFreshCode((joinCode) => db.group.update({ where: { id: groupId }, data: { joinCode }, select: { joinCode: true } }));
  return group.joinCode;
}

export async function setJoinCodeEnabled(groupId: string, enabled: boolean): Promise<void> {
  await db.group.update({ where: { id: groupId }, data: { joinCodeEnabled: enabled } });
}

export async function joinGroup(user: SessionUser, raw: unknown): Promise<Result<{ groupId: string; alreadyMember: boolean }>> {
  const parsed = JoinInput.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const code = normalizeJoinCode(parsed.data.code);
  if (!isWellFormedJoinCode(code)) {
    return fail("code", "That is not a valid join code: codes are 6–8 letters and digits, like KDX7RHP.");
  }
  const group = await db.group.findUnique({ where: { joinCode: code }, select: { id: true, joinCodeEnabled: true } });
  if (!group) return fail("code", "No group has this code. Check it with your teacher: codes can be changed.");
  const existing = await db.membership.findUnique({ where: { groupId_userId: { groupId: group.id, userId: user.id } } });
  if (existing) return ok({ groupId: group.id, alreadyMember: true });
  if (!group.joinCodeEnabled) return fail("code", "This group is not accepting new members right now. Ask your teacher to turn its join code back on.");
  if (user.role !== "STUDENT") {
    return fail("code", "Join codes are for students. To teach this group, ask its teacher to add you as a co-teacher.");
  }
  try {
    await db.$transaction(async (tx) => {
      await tx.membership.create({ data: { groupId: group.id, userId: user.id, role: "STUDENT" } });
      await placeStudentInRooms(tx, group.id, user.id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return ok({ groupId: group.id, alreadyMember: true }); // a double submit joined first
    throw error;
  }
  return ok({ groupId: group.id, alreadyMember: false });
}

export async function removeStudent(groupId: string, studentId: string): Promise<Result<null>> {
  const membership = await db.membership.findUnique({ where: { groupId_userId: { groupId, userId: studentId } } });
  if (!membership || membership.role !== "STUDENT") return fail("studentId", "That student is not in this group.");
  await db.$transaction(async (tx) => {
    await removeStudentFromRooms(tx, groupId, studentId);
    await tx.membership.delete({ where: { groupId_userId: { groupId, userId: studentId } } });
  });
  return ok(null);
}

export async function addCoTeacher(groupId: string, raw: unknown): Promise<Result<{ name: string }>> {
  const parsed = CoTeacherInput.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const teacher = await db.user.findUnique({ where: { email: parsed.data.email }, select: { id: true, name: true, role: true } });
  if (!teacher) return fail("email", "No Chalkroom account uses this email. Ask your colleague to sign up as a teacher first.");
  if (teacher.role !== "TEACHER") return fail("email", "This account is a student account: only teachers can co-teach.");
  const existing = await db.membership.findUnique({ where: { groupId_userId: { groupId, userId: teacher.id } } });
  if (existing?.role === "TEACHER") return fail("email", `${teacher.name} already teaches this group.`);
  try {
    await db.membership.create({ data: { groupId, userId: teacher.id, role: "TEACHER" } });
  } catch (error) {
    if (isUniqueViolation(error)) return fail("email", `${teacher.name} already belongs to this group.`);
    throw error;
  }
  return ok({ name: teacher.name });
}

/** The groups in the left rail and on the dashboard. */
export function listGroupsFor(userId: string) {
  return db.group.findMany({
    where: { members: { some: { userId } } },
    select: { id: true, name: true, members: { where: { userId }, select: { role: true } } },
    orderBy: { createdAt: "asc" },
  });
}

export async function getGroupPage(groupId: string, viewer: { id: string; manages: boolean }) {
  const group = await db.group.findUniqueOrThrow({
    where: { id: groupId },
    select: {
      id: true,
      name: true,
      joinCode: true,
      joinCodeEnabled: true,
      members: {
        select: { role: true, joinedAt: true, user: { select: { id: true, name: true, email: true } } },
        orderBy: [{ role: "asc" }, { user: { name: "asc" } }],
      },
      assignments: {
        where: viewer.manages ? {} : { withdrawnAt: null, opensAt: { lte: new Date() } },
        select: {
          id: true,
          mode: true,
          teamSize: true,
          opensAt: true,
          dueAt: true,
          withdrawnAt: true,
          challenge: { select: { title: true, difficulty: true } },
          _count: { select: { rooms: true } },
        },
        orderBy: { createdAt: "desc" },
      },
    },
  });
  return {
    ...group,
    // Students see their classmates' names only, never their emails, and never the join code controls.
    joinCode: viewer.manages ? group.joinCode : null,
    members: group.members.map((m) => ({ ...m, user: { ...m.user, email: viewer.manages ? m.user.email : null } })),
  };
}
