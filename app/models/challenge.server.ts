import { z } from "zod";
import { db } from "~/utils/db.server.ts";
import { isForeignKeyViolation } from "~/utils/db-errors.server.ts";
import { fieldErrors } from "~/utils/form.server.ts";
import { renderMarkdown } from "~/utils/markdown.server.ts";
import { fail, ok, type Result } from "~/utils/result.ts";
import type { SessionUser } from "~/utils/session.server.ts";

export const MAX_CODE_CHARS = 20_000;

const Code = (label: string) => z.string().max(MAX_CODE_CHARS, `${label} is limited to ${MAX_CODE_CHARS.toLocaleString("en")} characters`).transform((s) => s.replace(/\r\n?/g, "\n"));

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const TestCommon = {
  visible: z.boolean(),
  points: z.coerce.number({ invalid_type_error: "Points must be a number" }).int("Points must be a whole number").min(1, "At least 1 point").max(100, "At most 100 points"),
  timeLimitMs: z.coerce.number({ invalid_type_error: "Time limit must be a number" }).int().min(100, "At least 100 ms").max(10_000, "At most 10 000 ms"),
};

export const ChallengeTestInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("call"),
    expression: z.string().trim().min(1, "Write the Python expression to evaluate, e.g. add(2, 3)").max(2000),
    expected: z.string().trim().min(1, "Write the expected value as JSON, e.g. 5 or \"text\" or [1, 2]").max(20_000).refine(isJson, "Expected value must be JSON: 5, \"text\", [1, 2], {\"a\": 1}, true or null"),
    ...TestCommon,
  }),
  z.object({
    kind: z.literal("stdio"),
    stdin: z.string().max(20_000).transform((s) => s.replace(/\r\n?/g, "\n")),
    expectedStdout: z.string().max(20_000).transform((s) => s.replace(/\r\n?/g, "\n")),
    ...TestCommon,
  }),
  z.object({
    kind: z.literal("assert"),
    code: z.string().trim().min(1, "Write the assert statements to run").max(5000),
    ...TestCommon,
  }),
]);

const Tests = z
  .array(ChallengeTestInput)
  .min(1, "Add at least one test")
  .max(50, "Use at most 50 tests")
  .superRefine((tests, ctx) => {
    tests.forEach((t, i) => {
      if (t.kind === "assert" && !t.visible) {
        ctx.addIssue({ code: "custom", path: [i, "visible"], message: "Assert snippets run inside the student's code, so they can only be visible tests. Use a call or stdin/stdout test for hidden checks." });
      }
    });
  });

export const DIFFICULTIES = ["intro", "easy", "medium", "hard"] as const;

export const ChallengeInput = z.object({
  title: z.string().trim().min(3, "Give the challenge a title of at least 3 characters").max(120, "Keep the title under 120 characters"),
  prompt: z.string().trim().min(10, "Describe the task in at least 10 characters").max(20_000, "The prompt is limited to 20 000 characters"),
  starterCode: Code("Starter code").default(""),
  referenceSolution: Code("The reference solution").optional().transform((s) => (s && s.trim() ? s : undefined)),
  tags: z
    .array(z.string().trim().toLowerCase().min(1).max(30, "Tags are at most 30 characters").regex(/^[a-z0-9][a-z0-9 +#.-]*$/, "Tags use letters, digits, spaces and - + # ."))
    .max(10, "Use at most 10 tags")
    .transform((tags) => [...new Set(tags)]),
  difficulty: z.enum(DIFFICULTIES, { errorMap: () => ({ message: "Choose a difficulty" }) }),
  catalog: z.string().trim().max(80, "Keep the catalog name under 80 characters").optional().transform((s) => s || undefined),
  visibility: z.enum(["private", "public"], { errorMap: () => ({ message: "Choose private or public" }) }),
  tests: Tests,
});

export type ChallengeInputData = z.infer<typeof ChallengeInput>;

/** The form posts tags as one comma-separated field and tests as JSON; everything else is plain fields. */
export function challengeFormToInput(form: Record<string, string>): unknown {
  let tests: unknown = undefined;
  try {
    tests = JSON.parse(form.tests ?? "[]");
  } catch {
    tests = "invalid";
  }
  return {
    ...form,
    tags: (form.tags ?? "").split(",").map((t) => t.trim()).filter(Boolean),
    tests,
  };
}

function testRows(tests: ChallengeInputData["tests"]) {
  return tests.map((t, position) => ({
    position,
    kind: t.kind.toUpperCase() as "CALL" | "STDIO" | "ASSERT",
    visible: t.visible,
    points: t.points,
    timeLimitMs: t.timeLimitMs,
    expression: t.kind === "call" ? t.expression : null,
    expected: t.kind === "call" ? JSON.stringify(JSON.parse(t.expected)) : null,
    stdin: t.kind === "stdio" ? t.stdin : null,
    expectedStdout: t.kind === "stdio" ? t.expectedStdout : null,
    code: t.kind === "assert" ? t.code : null,
  }));
}

function columns(input: ChallengeInputData) {
  return {
    title: input.title,
    prompt: input.prompt,
    starterCode: input.starterCode,
    referenceSolution: input.referenceSolution ?? null,
    tags: input.tags,
    difficulty: input.difficulty.toUpperCase() as "INTRO" | "EASY" | "MEDIUM" | "HARD",
    visibility: input.visibility === "public" ? ("PUBLIC" as const) : ("PRIVATE" as const),
  };
}

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

async function catalogId(tx: Tx, ownerId: string, name: string | undefined) {
  if (!name) return null;
  const catalog = await tx.catalog.upsert({
    where: { ownerId_name: { ownerId, name } },
    create: { ownerId, name },
    update: {},
    select: { id: true },
  });
  return catalog.id;
}

export function parseChallenge(raw: unknown): Result<ChallengeInputData> {
  const parsed = ChallengeInput.safeParse(raw);
  return parsed.success ? ok(parsed.data) : { ok: false, errors: fieldErrors(parsed.error) };
}

/** Writes a validated challenge, its tests, its catalog and its search-outbox row in the caller's transaction. */
export async function insertChallenge(tx: Tx, authorId: string, input: ChallengeInputData): Promise<{ id: string }> {
  const created = await tx.challenge.create({
    data: { ...columns(input), authorId, catalogId: await catalogId(tx, authorId, input.catalog), tests: { create: testRows(input.tests) } },
    select: { id: true },
  });
  await tx.searchOutbox.create({ data: { challengeId: created.id, op: "UPSERT" } });
  return created;
}

/** The challenge, its tests, its catalog and its search-outbox row are written together or not at all. */
export async function createChallenge(author: SessionUser, raw: unknown): Promise<Result<{ id: string }>> {
  const parsed = parseChallenge(raw);
  if (!parsed.ok) return parsed;
  return ok(await db.$transaction((tx) => insertChallenge(tx, author.id, parsed.value)));
}

export async function updateChallenge(challengeId: string, raw: unknown): Promise<Result<{ id: string }>> {
  const parsed = parseChallenge(raw);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const next = testRows(input.tests);
  const refused = await db.$transaction(
    async (tx) => {
      const existing = await tx.challenge.findUniqueOrThrow({
        where: { id: challengeId },
        select: { authorId: true, tests: { select: testColumns, orderBy: { position: "asc" } } },
      });
      const testsChanged = JSON.stringify(existing.tests.map(comparable)) !== JSON.stringify(next.map(comparable));
      if (testsChanged) {
        // Graded results point at these tests: changing them would rewrite past grades.
        if ((await tx.testResult.count({ where: { test: { challengeId } } })) > 0) return true;
        await tx.challengeTest.deleteMany({ where: { challengeId } });
        await tx.challengeTest.createMany({ data: next.map((t) => ({ ...t, challengeId })) });
      }
      await tx.challenge.update({ where: { id: challengeId }, data: { ...columns(input), catalogId: await catalogId(tx, existing.authorId, input.catalog) } });
      await tx.searchOutbox.create({ data: { challengeId, op: "UPSERT" } });
      return false;
    },
    { isolationLevel: "Serializable" },
  );
  if (refused) return fail("tests", "Students have already been graded on these tests, so they cannot change. Everything else can; to change the tests, make a new challenge.");
  return ok({ id: challengeId });
}

const testColumns = { position: true, kind: true, visible: true, points: true, timeLimitMs: true, expression: true, expected: true, stdin: true, expectedStdout: true, code: true } as const;
type TestColumns = { position: number; kind: string; visible: boolean; points: number; timeLimitMs: number; expression: string | null; expected: string | null; stdin: string | null; expectedStdout: string | null; code: string | null };
const comparable = (t: TestColumns) => [t.position, t.kind, t.visible, t.points, t.timeLimitMs, t.expression, t.expected, t.stdin, t.expectedStdout, t.code];

export async function deleteChallenge(challengeId: string): Promise<Result<null>> {
  const assigned = await db.assignment.count({ where: { challengeId } });
  if (assigned > 0) {
    return fail("form", `This challenge is used by ${assigned} assignment${assigned === 1 ? "" : "s"}, which keep students' work and grades. It cannot be deleted.`);
  }
  try {
    await db.$transaction([
      db.challenge.delete({ where: { id: challengeId } }),
      db.searchOutbox.create({ data: { challengeId, op: "DELETE" } }),
    ]);
  } catch (error) {
    // An assignment made between the check and the delete holds the challenge.
    if (isForeignKeyViolation(error)) return fail("form", "This challenge was just assigned, so it cannot be deleted.");
    throw error;
  }
  return ok(null);
}

const testSelect = {
  id: true, position: true, kind: true, visible: true, points: true, timeLimitMs: true,
  expression: true, expected: true, stdin: true, expectedStdout: true, code: true,
} as const;

/** Everything a teacher sees and edits, with the prompt rendered safely. */
export async function getChallengeForTeacher(challengeId: string) {
  const challenge = await db.challenge.findUniqueOrThrow({
    where: { id: challengeId },
    include: {
      author: { select: { id: true, name: true } },
      catalog: { select: { name: true } },
      tests: { select: testSelect, orderBy: { position: "asc" } },
      _count: { select: { assignments: true } },
    },
  });
  return { ...challenge, promptHtml: renderMarkdown(challenge.prompt) };
}

/** A public challenge as any teacher sees it before assigning: no reference solution, no hidden tests. */
export async function getPublicChallengeView(challengeId: string) {
  const challenge = await db.challenge.findUniqueOrThrow({
    where: { id: challengeId },
    select: {
      id: true, title: true, prompt: true, starterCode: true, tags: true, difficulty: true, visibility: true,
      author: { select: { id: true, name: true } },
      catalog: { select: { name: true } },
      tests: { where: { visible: true }, select: testSelect, orderBy: { position: "asc" } },
      _count: { select: { tests: { where: { visible: false } } } },
    },
  });
  return { ...challenge, referenceSolution: null, promptHtml: renderMarkdown(challenge.prompt), hiddenTestCount: challenge._count.tests };
}

/** What a student may see of a challenge: prompt, starter code and visible tests only. */
export async function getChallengeForStudent(challengeId: string) {
  const challenge = await db.challenge.findUniqueOrThrow({
    where: { id: challengeId },
    select: {
      title: true, prompt: true, starterCode: true, difficulty: true,
      tests: { where: { visible: true }, select: testSelect, orderBy: { position: "asc" } },
      _count: { select: { tests: { where: { visible: false } } } },
    },
  });
  return { ...challenge, promptHtml: renderMarkdown(challenge.prompt), hiddenTestCount: challenge._count.tests };
}

/** Challenges a teacher can assign: their own, and public ones by others. */
export function listChallengesFor(teacher: SessionUser) {
  return db.challenge.findMany({
    where: { OR: [{ authorId: teacher.id }, { visibility: "PUBLIC" }] },
    select: {
      id: true, title: true, difficulty: true, tags: true, visibility: true, authorId: true,
      author: { select: { name: true } }, catalog: { select: { name: true } }, _count: { select: { tests: true } },
    },
    orderBy: [{ updatedAt: "desc" }],
  });
}

/** The form's initial values for editing. */
export function challengeToInput(c: Awaited<ReturnType<typeof getChallengeForTeacher>>): ChallengeInputData {
  return {
    title: c.title,
    prompt: c.prompt,
    starterCode: c.starterCode,
    referenceSolution: c.referenceSolution ?? undefined,
    tags: c.tags,
    difficulty: c.difficulty.toLowerCase() as ChallengeInputData["difficulty"],
    catalog: c.catalog?.name,
    visibility: c.visibility === "PUBLIC" ? "public" : "private",
    tests: c.tests.map((t) => {
      const common = { visible: t.visible, points: t.points, timeLimitMs: t.timeLimitMs };
      if (t.kind === "CALL") return { kind: "call" as const, expression: t.expression ?? "", expected: t.expected ?? "", ...common };
      if (t.kind === "STDIO") return { kind: "stdio" as const, stdin: t.stdin ?? "", expectedStdout: t.expectedStdout ?? "", ...common };
      return { kind: "assert" as const, code: t.code ?? "", ...common };
    }),
  };
}
