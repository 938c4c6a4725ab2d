// Arrange through the same model functions the app uses.
import { randomBytes } from "node:crypto";
import { createAssignment } from "~/models/assignment.server.ts";
import { createChallenge, type ChallengeInputData } from "~/models/challenge.server.ts";
import { createGroup, joinGroup } from "~/models/group.server.ts";
import { signup } from "~/models/user.server.ts";
import { db } from "~/utils/db.server.ts";
import type { SessionUser } from "~/utils/session.server.ts";
import { startSession } from "~/utils/session.server.ts";

export const PASSWORD = "correct horse battery";

export function unwrap<T>(result: { ok: true; value: T } | { ok: false; errors: Record<string, string> }): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

export async function makeUser(role: "TEACHER" | "STUDENT", name = role === "TEACHER" ? "Teacher" : "Student"): Promise<SessionUser> {
  const email = `${name.toLowerCase().replace(/\W/g, "")}-${randomBytes(4).toString("hex")}@example.com`;
  return unwrap(await signup({ name, email, password: PASSWORD, role }));
}

export async function makeGroup(teacher: SessionUser, name = "Python 101") {
  const { id } = unwrap(await createGroup(teacher, { name }));
  return db.group.findUniqueOrThrow({ where: { id } });
}

export async function joinAs(student: SessionUser, group: { joinCode: string }) {
  return unwrap(await joinGroup(student, { code: group.joinCode }));
}

export const sampleChallenge = (overrides: Partial<ChallengeInputData> = {}): ChallengeInputData => ({
  title: "Add two numbers",
  prompt: "Write `add(a, b)` returning the sum.",
  starterCode: "def add(a, b):\n    pass\n",
  referenceSolution: "def add(a, b):\n    return a + b\n",
  tags: ["math"],
  difficulty: "intro",
  catalog: "Basics",
  visibility: "private",
  tests: [
    { kind: "call", expression: "add(1, 2)", expected: "3", visible: true, points: 1, timeLimitMs: 1000 },
    { kind: "call", expression: "add(-5, 5)", expected: "0", visible: false, points: 2, timeLimitMs: 1000 },
  ],
  ...overrides,
});

export async function makeChallenge(teacher: SessionUser, overrides: Partial<ChallengeInputData> = {}) {
  return unwrap(await createChallenge(teacher, sampleChallenge(overrides)));
}

const local = (d: Date) => d.toISOString().slice(0, 16);

export async function makeAssignment(teacher: SessionUser, groupId: string, challengeId: string, options: { mode?: "INDIVIDUAL" | "TEAM"; teamSize?: number; opensInDays?: number; dueInDays?: number } = {}) {
  const now = Date.now();
  return unwrap(
    await createAssignment(teacher, groupId, {
      challengeId,
      mode: options.mode ?? "INDIVIDUAL",
      teamSize: options.teamSize ? String(options.teamSize) : "",
      opensAt: local(new Date(now + (options.opensInDays ?? -1) * 86_400_000)),
      dueAt: options.dueInDays === undefined ? "" : local(new Date(now + options.dueInDays * 86_400_000)),
      attemptLimit: "",
      tzOffset: "0",
    }),
  );
}

/** A Fetch Request carrying a real session cookie for `user` (or none). */
export async function requestAs(user: SessionUser | null, path: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Request> {
  const headers = new Headers();
  if (user) headers.set("Cookie", (await startSession(user.id)).split(";")[0]);
  const method = init.method ?? (init.form ? "POST" : "GET");
  const body = init.form ? new URLSearchParams(init.form) : undefined;
  if (body) headers.set("Content-Type", "application/x-www-form-urlencoded");
  return new Request(`http://localhost${path}`, { method, headers, body });
}
