import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client.ts";
import { db } from "~/utils/db.server.ts";
import { fieldErrors } from "~/utils/form.server.ts";
import { fail, ok, type Result } from "~/utils/result.ts";
import type { SessionUser } from "~/utils/session.server.ts";
import { atLeast, challengeAccess } from "./access.server.ts";

type Tx = Prisma.TransactionClient;

// Browsers send datetime-local without a zone; the form adds the viewer's offset (minutes, as
// Date.getTimezoneOffset reports it) so the stored instant is the one the teacher meant.
const LocalDateTime = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "Pick a date and time")
  .refine((s) => Number.isFinite(Date.parse(`${s}:00Z`)), "Pick a real date and time");

const optionalInt = (min: number, max: number, message: string) =>
  z.preprocess((v) => (v === "" || v === undefined || v === null ? undefined : v), z.coerce.number({ invalid_type_error: message }).int(message).min(min, message).max(max, message).optional());

const Schedule = z.object({
  opensAt: LocalDateTime,
  dueAt: z.preprocess((v) => (v === "" ? undefined : v), LocalDateTime.optional()),
  attemptLimit: optionalInt(1, 100, "Attempts must be a whole number from 1 to 100, or empty for no limit"),
  tzOffset: z.coerce.number().int().min(-900).max(900).default(0),
});

export const AssignmentInput = Schedule.extend({
  challengeId: z.string().min(1, "Choose a challenge"),
  mode: z.enum(["INDIVIDUAL", "TEAM"], { errorMap: () => ({ message: "Choose individual or teams" }) }),
  teamSize: optionalInt(2, 10, "Teams have 2 to 10 students"),
}).superRefine((v, ctx) => {
  if (v.mode === "TEAM" && v.teamSize === undefined) ctx.addIssue({ code: "custom", path: ["teamSize"], message: "Teams have 2 to 10 students" });
});

export const AssignmentEditInput = Schedule;

function toInstant(local: string, tzOffsetMinutes: number): Date {
  return new Date(Date.parse(`${local}:00Z`) + tzOffsetMinutes * 60_000);
}

function schedule(input: z.infer<typeof Schedule>) {
  const opensAt = toInstant(input.opensAt, input.tzOffset);
  const dueAt = input.dueAt ? toInstant(input.dueAt, input.tzOffset) : null;
  return { opensAt, dueAt, attemptLimit: input.attemptLimit ?? null };
}

function checkSchedule(s: { opensAt: Date; dueAt: Date | null }) {
  return s.dueAt && s.dueAt <= s.opensAt ? fail("dueAt", "The due date must be after the opening date") : null;
}

export async function createAssignment(teacher: SessionUser, groupId: string, raw: unknown): Promise<Result<{ id: string }>> {
  const parsed = AssignmentInput.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const input = parsed.data;
  if (!atLeast(await challengeAccess(teacher, input.challengeId), "read")) return fail("challengeId", "Choose one of your challenges or a public one");
  const when = schedule(input);
  const problem = checkSchedule(when);
  if (problem) return problem;
  const teamSize = input.mode === "TEAM" ? input.teamSize! : 1;
  const assignment = await db.$transaction(async (tx) => {
    const created = await tx.assignment.create({
      data: { groupId, challengeId: input.challengeId, createdById: teacher.id, mode: input.mode, teamSize, ...when },
      select: { id: true },
    });
    const students = await tx.membership.findMany({
      where: { groupId, role: "STUDENT" },
      select: { userId: true, user: { select: { name: true } } },
      orderBy: { joinedAt: "asc" },
    });
    for (const [index, team] of formTeams(students, teamSize).entries()) {
      await tx.room.create({
        data: {
          assignmentId: created.id,
          name: teamSize === 1 ? team[0].user.name : `Team ${index + 1}`,
          members: { create: team.map((s) => ({ userId: s.userId })) },
        },
      });
    }
    // timesAssigned is a search sort key: the catalog index hears about it through the outbox.
    await tx.challenge.update({ where: { id: input.challengeId }, data: { timesAssigned: { increment: 1 } } });
    await tx.searchOutbox.create({ data: { challengeId: input.challengeId, op: "UPSERT" } });
    return created;
  });
  return ok(assignment);
}

/** Chunks of `size` in join order; a lone leftover joins the last team rather than working alone. */
export function formTeams<T>(students: T[], size: number): T[][] {
  const teams: T[][] = [];
  for (let i = 0; i < students.length; i += size) teams.push(students.slice(i, i + size));
  if (size > 1 && teams.length > 1 && teams[teams.length - 1].length === 1) teams[teams.length - 2].push(...teams.pop()!);
  return teams;
}

export async function updateAssignment(assignmentId: string, raw: unknown): Promise<Result<null>> {
  const parsed = AssignmentEditInput.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const when = schedule(parsed.data);
  const problem = checkSchedule(when);
  if (problem) return problem;
  await db.assignment.update({ where: { id: assignmentId }, data: when });
  return ok(null);
}

/** Withdrawn assignments vanish for students but keep their rooms and submissions for the gradebook. */
export async function setWithdrawn(assignmentId: string, withdrawn: boolean): Promise<void> {
  await db.assignment.update({ where: { id: assignmentId }, data: { withdrawnAt: withdrawn ? new Date() : null } });
}

/** A student who joins after assignments were made gets a room in each: their own, or a team with space. */
export async function placeStudentInRooms(tx: Tx, groupId: string, userId: string): Promise<void> {
  const [assignments, student] = await Promise.all([
    tx.assignment.findMany({
      // Withdrawn ones too: their rooms stay hidden until the assignment is restored.
      where: { groupId },
      select: { id: true, teamSize: true, rooms: { select: { id: true, _count: { select: { members: true } } }, orderBy: { createdAt: "asc" } } },
    }),
    tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true } }),
  ]);
  for (const assignment of assignments) {
    const withSpace = assignment.teamSize > 1
      ? [...assignment.rooms].sort((a, b) => a._count.members - b._count.members).find((r) => r._count.members < assignment.teamSize)
      : undefined;
    if (withSpace) {
      await tx.roomMember.create({ data: { roomId: withSpace.id, userId } });
    } else {
      await tx.room.create({
        data: {
          assignmentId: assignment.id,
          name: assignment.teamSize === 1 ? student.name : `Team ${assignment.rooms.length + 1}`,
          members: { create: { userId } },
        },
      });
    }
  }
}

export async function removeStudentFromRooms(tx: Tx, groupId: string, userId: string): Promise<void> {
  await tx.roomMember.deleteMany({ where: { userId, room: { assignment: { groupId } } } });
}

export type AssignmentStatus = "not started" | "in progress" | "submitted" | "graded" | "overdue";

export function assignmentStatus(a: {
  dueAt: Date | null;
  hasDocument: boolean;
  submissions: { status: string }[];
}, now = new Date()): AssignmentStatus {
  if (a.submissions.some((s) => s.status === "GRADED")) return "graded";
  if (a.submissions.length > 0) return "submitted";
  if (a.dueAt && a.dueAt < now) return "overdue";
  return a.hasDocument ? "in progress" : "not started";
}

/** A student's open assignments across their groups, with their room and status. */
export async function listStudentAssignments(userId: string) {
  const now = new Date();
  const assignments = await db.assignment.findMany({
    where: { withdrawnAt: null, opensAt: { lte: now }, group: { members: { some: { userId, role: "STUDENT" } } } },
    select: {
      id: true,
      opensAt: true,
      dueAt: true,
      group: { select: { id: true, name: true } },
      challenge: { select: { title: true, difficulty: true } },
      rooms: {
        where: { members: { some: { userId } } },
        select: { id: true, name: true, document: { select: { roomId: true } } },
      },
      submissions: { where: { room: { members: { some: { userId } } } }, select: { status: true } },
    },
    orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { opensAt: "desc" }],
  });
  return assignments.map((a) => {
    const room = a.rooms[0] ?? null;
    return {
      id: a.id,
      title: a.challenge.title,
      difficulty: a.challenge.difficulty,
      group: a.group,
      dueAt: a.dueAt,
      room: room && { id: room.id, name: room.name },
      status: assignmentStatus({ dueAt: a.dueAt, hasDocument: Boolean(room?.document), submissions: a.submissions }, now),
    };
  });
}

export async function getAssignmentPage(assignmentId: string, viewer: SessionUser, manages: boolean) {
  const assignment = await db.assignment.findUniqueOrThrow({
    where: { id: assignmentId },
    select: {
      id: true,
      mode: true,
      teamSize: true,
      opensAt: true,
      dueAt: true,
      attemptLimit: true,
      withdrawnAt: true,
      group: { select: { id: true, name: true } },
      challenge: { select: { id: true, title: true, difficulty: true } },
      rooms: {
        where: manages ? {} : { members: { some: { userId: viewer.id } } },
        select: {
          id: true, name: true, members: { select: { user: { select: { id: true, name: true } } } },
          submissions: { orderBy: { createdAt: "desc" }, take: 1, select: { status: true, score: true, maxScore: true, createdAt: true } },
        },
        orderBy: { name: "asc" },
      },
    },
  });
  return assignment;
}
