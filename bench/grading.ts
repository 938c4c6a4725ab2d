// Grading benchmark: submissions of a 10-test seed challenge go through the real queue (the in-process
// grading queue), the real runner (stored in PostgreSQL, statuses announced) and the sandboxed Pyodide
// grader process (a fresh worker and interpreter per submission).
//   (a) 300 submissions offered at 3 per second: latency from enqueue to stored verdict
//   (b) 300 submissions enqueued at once: sustained throughput
// The same tests with native `python3 -I -S` started as a subprocess per submission, two at a time, are
// the (unsandboxed) anchor. Prints one JSON line: {"submissions","tests_per_submission","median_ms",
// "p95_ms","throughput_per_s","cold_start_ms","native_median_ms","native_throughput_per_s"}.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import PQueue from "p-queue";
import { judge } from "../server/grading/compare.ts";
import { RawOutcome } from "../server/grading/protocol.ts";
import type { GradeTest } from "../server/grading/types.ts";
import { percentile as percentileOf } from "./support/percentile.ts";
import { startBenchDatabase } from "./support/database.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SUBMISSIONS = 300;
const OFFERED_PER_SECOND = 3;
// The seed catalog's challenges have at most 9 tests: the 10th is a copy of the first, as a visible test.
const CHALLENGE = "temperature-log";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (values: number[], p: number) => percentileOf(values, p, 1);

interface SeedTest { kind: "call" | "stdio" | "assert"; visible: boolean; points: number; timeLimitMs: number; expression?: string; expected?: string; stdin?: string; expectedStdout?: string; code?: string }
const catalog = JSON.parse(readFileSync(join(root, "seed/catalog/starter.json"), "utf8")) as { challenges: { slug: string; title: string; prompt: string; referenceSolution: string; tests: SeedTest[] }[] };
const seed = catalog.challenges.find((c) => c.slug === CHALLENGE)!;
const seedTests = [...seed.tests, { ...seed.tests[0], visible: true }].slice(0, 10);

const postgres = await startBenchDatabase();
try {
  const { db } = await import("~/utils/db.server.ts");
  const { startGrader } = await import("../server/grading/sandbox.server.ts");
  const { createLocalGradingQueue } = await import("../server/grading/queue.ts");
  const { runSubmission } = await import("../server/grading/run-submission.ts");
  const { createLiveHub } = await import("../server/live/hub.ts");

  const teacher = await db.user.create({ data: { email: "teacher@bench.test", name: "Teacher", role: "TEACHER", passwordHash: "-" } });
  const student = await db.user.create({ data: { email: "student@bench.test", name: "Student", role: "STUDENT", passwordHash: "-" } });
  const group = await db.group.create({ data: { name: "Bench", joinCode: "BENCHGR", createdById: teacher.id, members: { create: [{ userId: teacher.id, role: "TEACHER" }, { userId: student.id, role: "STUDENT" }] } } });
  const challenge = await db.challenge.create({
    data: {
      authorId: teacher.id, title: seed.title, prompt: seed.prompt, difficulty: "MEDIUM",
      tests: { create: seedTests.map((t, position) => ({ position, kind: t.kind.toUpperCase() as "CALL" | "STDIO" | "ASSERT", visible: t.visible, points: t.points, timeLimitMs: t.timeLimitMs, expression: t.expression, expected: t.expected, stdin: t.stdin, expectedStdout: t.expectedStdout, code: t.code })) },
    },
    select: { id: true, tests: { orderBy: { position: "asc" }, select: { id: true, kind: true, visible: true, points: true, timeLimitMs: true, expression: true, expected: true, stdin: true, expectedStdout: true, code: true } } },
  });
  const assignment = await db.assignment.create({ data: { groupId: group.id, challengeId: challenge.id, createdById: teacher.id, mode: "INDIVIDUAL", opensAt: new Date() } });
  const room = await db.room.create({ data: { assignmentId: assignment.id, name: "Bench", members: { create: [{ userId: student.id }] } } });
  const maxScore = seedTests.reduce((sum, t) => sum + t.points, 0);

  const coldStart = performance.now();
  const grader = await startGrader();
  const coldStartMs = performance.now() - coldStart;
  const live = await createLiveHub(undefined);
  const queue = createLocalGradingQueue((id) => runSubmission({ db, grader, live }, id), 4);

  // Stored verdicts are announced after their transaction commits: the announcement is the finish line.
  const finished = new Map<string, () => void>();
  live.subscribe(`room:${room.id}`, (event) => {
    if (event.type === "submission" && (event.status === "GRADED" || event.status === "ERROR")) finished.get(event.submissionId)?.();
  });
  /** A stored submission, as a student's Submit makes it, ready to be enqueued. */
  async function stored(): Promise<{ id: string; done: Promise<number> }> {
    const { id } = await db.submission.create({ data: { assignmentId: assignment.id, roomId: room.id, userId: student.id, code: seed.referenceSolution, maxScore }, select: { id: true } });
    return { id, done: new Promise<number>((ok) => finished.set(id, () => ok(performance.now()))) };
  }
  async function submit(): Promise<{ enqueuedAt: number; done: Promise<number> }> {
    const { id, done } = await stored();
    const enqueuedAt = performance.now();
    await queue.enqueue(id);
    return { enqueuedAt, done };
  }

  // Warm-up, not measured.
  for (let i = 0; i < 5; i++) await (await submit()).done;

  const latencies: number[] = [];
  const offered: Promise<void>[] = [];
  for (let i = 0; i < SUBMISSIONS; i++) {
    offered.push(submit().then(async ({ enqueuedAt, done }) => void latencies.push((await done) - enqueuedAt)));
    await sleep(1000 / OFFERED_PER_SECOND);
  }
  await Promise.all(offered);

  const burst = await Promise.all(Array.from({ length: SUBMISSIONS }, () => stored()));
  const burstStart = performance.now();
  for (const { id } of burst) await queue.enqueue(id);
  await Promise.all(burst.map((b) => b.done));
  const throughput = SUBMISSIONS / ((performance.now() - burstStart) / 1000);

  const graded = await db.submission.groupBy({ by: ["status", "score"], _count: true });
  const wrong = graded.filter((g) => g.status !== "GRADED" || g.score !== maxScore);
  if (wrong.length) throw new Error(`some submissions were not graded full marks: ${JSON.stringify(wrong)}`);
  await queue.close();
  await grader.close();
  await live.close();

  // The anchor: the same tests, native CPython, a subprocess per submission, two at a time.
  const tests: GradeTest[] = challenge.tests.map((t) =>
    t.kind === "CALL" ? { id: t.id, kind: "CALL", visible: t.visible, points: t.points, timeLimitMs: t.timeLimitMs, expression: t.expression!, expected: t.expected! }
    : t.kind === "STDIO" ? { id: t.id, kind: "STDIO", visible: t.visible, points: t.points, timeLimitMs: t.timeLimitMs, stdin: t.stdin!, expectedStdout: t.expectedStdout! }
    : { id: t.id, kind: "ASSERT", visible: true, points: t.points, timeLimitMs: t.timeLimitMs, code: t.code! });
  const nativeJob = JSON.stringify({ code: seed.referenceSolution, tests: tests.map((t) => ({ kind: t.kind, expression: "expression" in t ? t.expression : undefined, stdin: "stdin" in t ? t.stdin : undefined, code: "code" in t ? t.code : undefined })) });
  const runNative = () =>
    new Promise<void>((ok, fail) => {
      const child = spawn("/usr/bin/python3", ["-I", "-S", join(root, "bench/support/native_harness.py")], { stdio: ["pipe", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (chunk) => (out += chunk));
      // "close", not "exit": stdout may still hold data when the process has exited.
      child.on("close", () => {
        const outcomes = RawOutcome.array().parse(JSON.parse(out));
        const score = tests.reduce((sum, t, i) => {
          const judged = judge(t, outcomes[i], 0, { memoryLimitMb: 256 });
          return sum + ("outcome" in judged ? judged.outcome.points : 0);
        }, 0);
        if (score === maxScore) ok();
        else fail(new Error(`native anchor scored ${score}/${maxScore}`));
      });
      child.stdin.end(nativeJob);
    });
  const native = new PQueue({ concurrency: 2 });
  const nativeLatencies: number[] = [];
  const nativeOffered: Promise<void>[] = [];
  for (let i = 0; i < SUBMISSIONS; i++) {
    const enqueuedAt = performance.now();
    nativeOffered.push(native.add(runNative).then(() => void nativeLatencies.push(performance.now() - enqueuedAt)));
    await sleep(1000 / OFFERED_PER_SECOND);
  }
  await Promise.all(nativeOffered);
  const nativeStart = performance.now();
  await Promise.all(Array.from({ length: SUBMISSIONS }, () => native.add(runNative)));
  const nativeThroughput = SUBMISSIONS / ((performance.now() - nativeStart) / 1000);

  console.log(JSON.stringify({
    submissions: SUBMISSIONS,
    tests_per_submission: seedTests.length,
    median_ms: percentile(latencies, 0.5),
    p95_ms: percentile(latencies, 0.95),
    throughput_per_s: Number(throughput.toFixed(2)),
    cold_start_ms: Math.round(coldStartMs),
    native_median_ms: percentile(nativeLatencies, 0.5),
    native_throughput_per_s: Number(nativeThroughput.toFixed(2)),
  }));
  await db.$disconnect();
} finally {
  await postgres.stop();
}
