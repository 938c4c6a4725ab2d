// A group's gradebook: each student × each assignment, with the best graded score and the number of
// submissions from the student's room (a team's submissions count for every member of the team).
import { stringify } from "csv-stringify/sync";
import { db } from "~/utils/db.server.ts";

export interface GradebookCell {
  best: number | null;
  maxScore: number;
  submissions: number;
}

export async function getGradebook(groupId: string) {
  const [students, assignments, submissions] = await Promise.all([
    db.membership.findMany({ where: { groupId, role: "STUDENT" }, orderBy: { user: { name: "asc" } }, select: { user: { select: { id: true, name: true, email: true } } } }),
    db.assignment.findMany({
      where: { groupId },
      orderBy: [{ opensAt: "asc" }, { createdAt: "asc" }],
      select: { id: true, withdrawnAt: true, challenge: { select: { title: true, tests: { select: { points: true } } } } },
    }),
    db.submission.findMany({
      where: { assignment: { groupId } },
      select: { assignmentId: true, status: true, score: true, room: { select: { members: { select: { userId: true } } } } },
    }),
  ]);
  const columns = assignments.map((a) => ({ id: a.id, title: a.challenge.title, withdrawn: a.withdrawnAt !== null, maxScore: a.challenge.tests.reduce((sum, t) => sum + t.points, 0) }));
  const cells = new Map<string, GradebookCell>();
  const key = (studentId: string, assignmentId: string) => `${studentId}:${assignmentId}`;
  for (const s of submissions) {
    for (const { userId } of s.room.members) {
      const column = columns.find((c) => c.id === s.assignmentId)!;
      const cell = cells.get(key(userId, s.assignmentId)) ?? { best: null, maxScore: column.maxScore, submissions: 0 };
      cell.submissions++;
      if (s.status === "GRADED" && s.score !== null) cell.best = Math.max(cell.best ?? 0, s.score);
      cells.set(key(userId, s.assignmentId), cell);
    }
  }
  const rows = students.map(({ user }) => ({
    student: user,
    cells: columns.map((c) => cells.get(key(user.id, c.id)) ?? { best: null, maxScore: c.maxScore, submissions: 0 }),
  }));
  return { columns, rows };
}

/** Spreadsheets run cells that start like a formula: names are typed by students, so they are defused. */
const defuse = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** The gradebook as CSV: a row per student; per assignment its best score and submission count. */
export function gradebookCsv(gradebook: Awaited<ReturnType<typeof getGradebook>>): string {
  const header = ["Student", "Email", ...gradebook.columns.flatMap((c) => [`${c.title} (best of ${c.maxScore})`, `${c.title} (submissions)`])].map(defuse);
  const rows = gradebook.rows.map((r) => [defuse(r.student.name), defuse(r.student.email), ...r.cells.flatMap((cell) => [cell.best ?? "", cell.submissions])]);
  return stringify([header, ...rows]);
}
