import { createAssignment } from "~/models/assignment.server.ts";
import { createChallenge } from "~/models/challenge.server.ts";
import { createGroup, joinGroup } from "~/models/group.server.ts";
import { hashPassword } from "~/models/user.server.ts";
import type { Db } from "~/utils/db.server.ts";
import type { SessionUser } from "~/utils/session.server.ts";
import { readCatalogFile } from "./catalog.ts";

export const DEMO_PASSWORD = "chalkroom-demo";
export const DEMO_TEACHER = { name: "Grace Teacher", email: "teacher@example.com" };
export const DEMO_STUDENTS = [
  { name: "Ada Student", email: "ada@example.com" },
  { name: "Alan Student", email: "alan@example.com" },
  { name: "Barbara Student", email: "barbara@example.com" },
  { name: "Edsger Student", email: "edsger@example.com" },
  { name: "Katherine Student", email: "katherine@example.com" },
  { name: "Linus Student", email: "linus@example.com" },
];

/** Demo accounts, two groups, the starter catalog and three assignments. Does nothing if already seeded. */
export async function seedDemo(db: Db): Promise<{ seeded: boolean }> {
  if (await db.user.findUnique({ where: { email: DEMO_TEACHER.email } })) return { seeded: false };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const select = { id: true, email: true, name: true, role: true } as const;
  const teacher: SessionUser = await db.user.create({ data: { ...DEMO_TEACHER, role: "TEACHER", passwordHash }, select });
  const students: SessionUser[] = [];
  for (const s of DEMO_STUDENTS) students.push(await db.user.create({ data: { ...s, role: "STUDENT", passwordHash }, select }));

  const catalog = readCatalogFile();
  const challengeIds: string[] = [];
  for (const { slug, ...challenge } of catalog.challenges) {
    const result = await createChallenge(teacher, { ...challenge, catalog: catalog.catalog, visibility: "public" });
    if (!result.ok) throw new Error(`seed challenge ${slug}: ${JSON.stringify(result.errors)}`);
    challengeIds.push(result.value.id);
  }

  const groups = [];
  for (const name of ["Python 101 · Monday", "Python 101 · Thursday"]) {
    const result = await createGroup(teacher, { name });
    if (!result.ok) throw new Error(`seed group ${name}: ${JSON.stringify(result.errors)}`);
    groups.push(await db.group.findUniqueOrThrow({ where: { id: result.value.id } }));
  }
  for (const [i, student] of students.entries()) {
    const result = await joinGroup(student, { code: groups[i < 4 ? 0 : 1].joinCode });
    if (!result.ok) throw new Error(`seed join: ${JSON.stringify(result.errors)}`);
  }

  const now = new Date();
  const local = (d: Date) => d.toISOString().slice(0, 16);
  const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);
  const plans = [
    { group: groups[0], challenge: 0, mode: "INDIVIDUAL", dueAt: inDays(7) },
    { group: groups[0], challenge: 1, mode: "TEAM", teamSize: "2", dueAt: inDays(14) },
    { group: groups[1], challenge: 2, mode: "INDIVIDUAL", dueAt: inDays(10) },
  ];
  for (const plan of plans) {
    const result = await createAssignment(teacher, plan.group.id, {
      challengeId: challengeIds[plan.challenge],
      mode: plan.mode,
      teamSize: plan.teamSize ?? "",
      opensAt: local(inDays(-1)),
      dueAt: local(plan.dueAt),
      attemptLimit: "",
      tzOffset: "0",
    });
    if (!result.ok) throw new Error(`seed assignment: ${JSON.stringify(result.errors)}`);
  }
  return { seeded: true };
}
