// Submissions: the room's code at the moment a student submits, graded against every test of the
// challenge (hidden ones included) by the sandboxed grader. The rules for who may submit, how often and
// how many times live here; what anyone sees of the results is shaped here too (hidden tests: verdict only).
import { RateLimiterMemory } from "rate-limiter-flexible";
import { db } from "~/utils/db.server.ts";
import type { SessionUser } from "~/utils/session.server.ts";

export const MAX_SUBMISSION_BYTES = 64 * 1024;
export const SUBMISSIONS_PER_MINUTE = 4;

export type SubmitRefusal = { status: 403 | 409 | 413 | 429; message: string };

/** What submitting needs from the rest of the server: the room's live code, a snapshot, the queue. */
export interface SubmitDeps {
  currentCode(roomId: string): Promise<string>;
  snapshot(roomId: string, reason: "SUBMISSION", takenById: string): Promise<unknown>;
  enqueue(submissionId: string): Promise<void>;
  announce(submission: { id: string; roomId: string; assignmentId: string; status: "QUEUED" | "ERROR" }): void;
}

let limiter: RateLimiterMemory | undefined;
const rateLimiter = () => (limiter ??= new RateLimiterMemory({ keyPrefix: "submit", points: SUBMISSIONS_PER_MINUTE, duration: 60 }));

/**
 * Submits the room's current code for grading, as `user` (a student of the room). Refusals say why: not a
 * student of the room, past the due date, out of attempts, too fast, code too long.
 */
export async function submitRoom(roomId: string, user: SessionUser, deps: SubmitDeps): Promise<{ ok: true; submissionId: string } | ({ ok: false } & SubmitRefusal)> {
  const room = await db.room.findUniqueOrThrow({
    where: { id: roomId },
    select: {
      members: { where: { userId: user.id }, select: { userId: true } },
      assignment: { select: { id: true, dueAt: true, attemptLimit: true, challenge: { select: { tests: { select: { points: true } } } } } },
    },
  });
  if (!room.members.length) return { ok: false, status: 403, message: "Only the students working in this room can submit its code." };
  const { assignment } = room;
  if (assignment.dueAt && assignment.dueAt < new Date()) return { ok: false, status: 409, message: "This assignment is past its due date: submissions are closed." };
  const outOfAttempts = { ok: false as const, status: 409 as const, message: `This room has used all ${assignment.attemptLimit} attempt${assignment.attemptLimit === 1 ? "" : "s"} for this assignment.` };
  // Checked here to refuse before any work, and again under a lock when the submission is stored.
  if ((await attemptsLeft(roomId)) === 0) return outOfAttempts;
  const code = await deps.currentCode(roomId);
  if (Buffer.byteLength(code) > MAX_SUBMISSION_BYTES) return { ok: false, status: 413, message: `The code is too long to grade (over ${MAX_SUBMISSION_BYTES / 1024} KB).` };
  try {
    await rateLimiter().consume(user.id);
  } catch (rejection) {
    const wait = Math.ceil(((rejection as { msBeforeNext?: number }).msBeforeNext ?? 60_000) / 1000);
    return { ok: false, status: 429, message: `You can submit ${SUBMISSIONS_PER_MINUTE} times a minute: try again in ${wait} s.` };
  }

  const maxScore = assignment.challenge.tests.reduce((sum, t) => sum + t.points, 0);
  // The room row is locked while counting and inserting, so teammates submitting at the same moment cannot
  // both take the last attempt.
  const submission = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Room" WHERE id = ${roomId} FOR UPDATE`;
    if (assignment.attemptLimit !== null && (await tx.submission.count({ where: { roomId, status: { not: "ERROR" } } })) >= assignment.attemptLimit) return null;
    return tx.submission.create({ data: { assignmentId: assignment.id, roomId, userId: user.id, code, maxScore }, select: { id: true } });
  });
  if (!submission) return outOfAttempts;
  // The version kept with a submission is a convenience: failing to keep it must not leave the submission unqueued.
  await deps.snapshot(roomId, "SUBMISSION", user.id).catch((error) => console.error("grading: could not keep the submitted version", error));
  try {
    await deps.enqueue(submission.id);
  } catch (error) {
    await db.submission.update({ where: { id: submission.id }, data: { status: "ERROR", error: "The grading queue is unavailable; try again shortly." } });
    deps.announce({ id: submission.id, roomId, assignmentId: assignment.id, status: "ERROR" });
    console.error("grading: could not enqueue", error);
    return { ok: false, status: 409, message: "The grading queue is unavailable; try again shortly." };
  }
  deps.announce({ id: submission.id, roomId, assignmentId: assignment.id, status: "QUEUED" });
  return { ok: true, submissionId: submission.id };
}

/** Attempts the room has left, or null when the assignment has no limit. Ungraded (error) ones do not count. */
export async function attemptsLeft(roomId: string): Promise<number | null> {
  const room = await db.room.findUniqueOrThrow({ where: { id: roomId }, select: { assignment: { select: { attemptLimit: true } } } });
  if (room.assignment.attemptLimit === null) return null;
  const used = await db.submission.count({ where: { roomId, status: { not: "ERROR" } } });
  return Math.max(0, room.assignment.attemptLimit - used);
}

/** Per-test results as people may see them: hidden tests give only their verdict and points. */
function shapeResults(results: { verdict: string; points: number; actual: string | null; message: string | null; durationMs: number; test: { position: number; visible: boolean; points: number; kind: string; expression: string | null; expected: string | null; stdin: string | null; expectedStdout: string | null } }[]) {
  return results
    .sort((a, b) => a.test.position - b.test.position)
    .map((r) =>
      r.test.visible
        ? {
            visible: true as const,
            position: r.test.position,
            verdict: r.verdict,
            points: r.points,
            maxPoints: r.test.points,
            durationMs: r.durationMs,
            what: r.test.kind === "CALL" ? r.test.expression : r.test.kind === "STDIO" ? `input ${JSON.stringify(r.test.stdin)}` : "assert",
            expected: r.test.kind === "CALL" ? r.test.expected : r.test.kind === "STDIO" ? r.test.expectedStdout : null,
            actual: r.actual,
            message: r.message,
          }
        : { visible: false as const, position: r.test.position, verdict: r.verdict, points: r.points, maxPoints: r.test.points, durationMs: r.durationMs },
    );
}

const resultSelect = {
  verdict: true, points: true, actual: true, message: true, durationMs: true,
  test: { select: { position: true, visible: true, points: true, kind: true, expression: true, expected: true, stdin: true, expectedStdout: true } },
} as const;

/** A room's submissions, newest first, with results shaped for students (hidden tests: verdicts only). */
export async function listRoomSubmissions(roomId: string, take = 20) {
  const submissions = await db.submission.findMany({
    where: { roomId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, status: true, score: true, maxScore: true, error: true, createdAt: true, gradedAt: true, code: true, user: { select: { name: true } }, results: { select: resultSelect } },
  });
  return submissions.map((s) => ({ ...s, results: shapeResults(s.results) }));
}

/** One student's submissions in a group's assignments (their rooms', teams included), newest first. */
export async function listStudentSubmissions(groupId: string, studentId: string) {
  const submissions = await db.submission.findMany({
    where: { assignment: { groupId }, room: { members: { some: { userId: studentId } } } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true, status: true, score: true, maxScore: true, error: true, createdAt: true, code: true,
      user: { select: { name: true } },
      assignment: { select: { id: true, challenge: { select: { title: true } } } },
      results: { select: resultSelect },
    },
  });
  return submissions.map((s) => ({ ...s, results: shapeResults(s.results) }));
}
