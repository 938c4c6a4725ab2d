// Grades one stored submission: marks it running, sends its code and the challenge's tests (hidden ones
// included: they stay on the server side of the sandbox) to the grader, stores the verdicts and the score
// in one transaction, and announces each status change to the room and the assignment's teachers.
import type { Db } from "~/utils/db.server.ts";
import { assignmentTopic, roomTopic, type LiveHub } from "../live/hub.ts";
import type { GradeTest, Grader } from "./types.ts";

export interface RunDeps {
  db: Db;
  grader: Grader;
  live: LiveHub;
}

type Status = "QUEUED" | "RUNNING" | "GRADED" | "ERROR";
export type SubmissionAnnouncement = { id: string; roomId: string; assignmentId: string; status: Status };

export function announceSubmission(live: LiveHub, submission: SubmissionAnnouncement) {
  live.publish([roomTopic(submission.roomId), assignmentTopic(submission.assignmentId)], {
    type: "submission",
    submissionId: submission.id,
    roomId: submission.roomId,
    assignmentId: submission.assignmentId,
    status: submission.status,
  });
}

/** Marks a waiting submission as not graded, with the reason (it does not count as an attempt). */
export async function failSubmission({ db, live }: Omit<RunDeps, "grader">, submissionId: string, reason: string): Promise<void> {
  const failed = await db.submission.updateMany({ where: { id: submissionId, status: { in: ["QUEUED", "RUNNING"] } }, data: { status: "ERROR", error: reason, gradedAt: new Date() } });
  if (!failed.count) return;
  const submission = await db.submission.findUniqueOrThrow({ where: { id: submissionId }, select: { id: true, roomId: true, assignmentId: true } });
  announceSubmission(live, { ...submission, status: "ERROR" });
}

/** Grades the submission if it is still waiting; a submission already taken (a retried job) is left alone. */
export async function runSubmission({ db, grader, live }: RunDeps, submissionId: string): Promise<void> {
  // Claimed and read in one statement. A graded submission (a job delivered twice) matches nothing; a RUNNING
  // one is taken again, since its grader died (a stalled BullMQ job, or the app restarted mid-grading).
  const submission = await db.submission
    .update({
      where: { id: submissionId, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "RUNNING", startedAt: new Date() },
      select: {
        id: true, roomId: true, assignmentId: true, code: true,
        assignment: { select: { challenge: { select: { tests: { orderBy: { position: "asc" }, select: { id: true, kind: true, visible: true, points: true, timeLimitMs: true, expression: true, expected: true, stdin: true, expectedStdout: true, code: true } } } } } },
      },
    })
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === "P2025") return null;
      throw error;
    });
  if (!submission) return;
  announceSubmission(live, { ...submission, status: "RUNNING" });

  const tests: GradeTest[] = submission.assignment.challenge.tests.map((t) => {
    const common = { id: t.id, points: t.points, timeLimitMs: t.timeLimitMs };
    if (t.kind === "CALL") return { ...common, kind: "CALL", visible: t.visible, expression: t.expression ?? "", expected: t.expected ?? "null" };
    if (t.kind === "STDIO") return { ...common, kind: "STDIO", visible: t.visible, stdin: t.stdin ?? "", expectedStdout: t.expectedStdout ?? "" };
    return { ...common, kind: "ASSERT", visible: true, code: t.code ?? "" };
  });
  if (!tests.length) {
    await db.submission.update({ where: { id: submissionId }, data: { status: "GRADED", score: 0, gradedAt: new Date() } });
    return announceSubmission(live, { ...submission, status: "GRADED" });
  }

  try {
    const result = await grader.grade({ code: submission.code, tests });
    await db.$transaction([
      db.testResult.createMany({
        data: result.results.map((r) => ({
          submissionId,
          testId: r.testId,
          verdict: r.verdict,
          points: r.points,
          durationMs: Math.round(r.durationMs),
          actual: r.visible ? (r.actual ?? null) : null,
          message: r.visible ? (r.message ?? null) : null,
        })),
      }),
      db.submission.update({ where: { id: submissionId }, data: { status: "GRADED", score: result.score, maxScore: result.maxScore, error: result.error ?? null, gradedAt: new Date() } }),
    ]);
  } catch (error) {
    console.error(`grading: submission ${submissionId} could not be graded`, error);
    return failSubmission({ db, live }, submissionId, "The grader could not grade this submission; it does not count as an attempt.");
  }
  announceSubmission(live, { ...submission, status: "GRADED" });
}
