// The supervisor against a real grader process that dies (killed from outside, as the kernel's OOM killer
// would): only the submission running at the time can fail, and only if it is running again the second time.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startGrader } from "./sandbox.server.ts";
import type { GradeJob, Grader } from "./types.ts";

let grader: Grader;

beforeAll(async () => {
  grader = await startGrader({ concurrency: 2 });
}, 120_000);

afterAll(async () => {
  await grader?.close();
});

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

function killGraderProcess(): void {
  const { pid } = grader.stats();
  if (pid === null) throw new Error("no grader process is running");
  process.kill(pid, "SIGKILL");
}

const slowJob = (value: number): GradeJob => ({
  code: `import time\ndef answer():\n    time.sleep(1)\n    return ${value}\n`,
  tests: [
    { id: "slow", kind: "CALL", expression: "answer()", expected: String(value), visible: true, points: 2, timeLimitMs: 5000 },
    { id: "hidden", kind: "CALL", expression: "answer() + 1", expected: String(value + 1), visible: false, points: 3, timeLimitMs: 5000 },
  ],
});

describe("the grader supervisor", () => {
  test("a grader process killed mid-submission is restarted and the submissions in flight are graded normally", async () => {
    const before = grader.stats();
    const first = grader.grade(slowJob(1));
    const second = grader.grade(slowJob(2));
    await until(() => grader.stats().inFlight === 2, "both submissions are in flight");
    await new Promise((done) => setTimeout(done, 300));
    killGraderProcess();
    await until(() => grader.stats().crashes === before.crashes + 1, "the crash is noticed");
    // Retried one at a time, so that a second crash could only be blamed on the submission running.
    let mostInFlightAfterCrash = 0;
    const sampler = setInterval(() => (mostInFlightAfterCrash = Math.max(mostInFlightAfterCrash, grader.stats().inFlight)), 10);

    const results = await Promise.all([first, second]);
    clearInterval(sampler);
    expect(mostInFlightAfterCrash).toBe(1);
    for (const result of results) {
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ score: 5, maxScore: 5 });
    }
    expect(grader.stats()).toMatchObject({ crashes: before.crashes + 1, restarts: before.restarts + 1, ready: true });
  }, 60_000);

  test("a submission running each time the grader dies twice gets the crash verdict, and the next is graded normally", async () => {
    const before = grader.stats();
    const doomed = grader.grade(slowJob(3));
    await until(() => grader.stats().inFlight === 1, "the submission is in flight");
    killGraderProcess();
    await until(() => grader.stats().restarts === before.restarts + 1 && grader.stats().inFlight === 1, "the submission is retried on a restarted grader");
    killGraderProcess();

    const result = await doomed;
    expect(result.error).toBe("grader crashed");
    expect(result.score).toBe(0);
    expect(result.results).toEqual([
      { testId: "slow", verdict: "ERROR", points: 0, durationMs: 0, visible: true, message: "the grader crashed while running this submission" },
      { testId: "hidden", verdict: "ERROR", points: 0, durationMs: 0, visible: false },
    ]);

    const next = await grader.grade({ code: "def twice(x):\n    return 2 * x\n", tests: [{ id: "t", kind: "CALL", expression: "twice(21)", expected: "42", visible: true, points: 1, timeLimitMs: 2000 }] });
    expect(next).toMatchObject({ score: 1, maxScore: 1 });
    expect(grader.stats().crashes).toBe(before.crashes + 2);
  }, 60_000);

  test("code over the size limit gets ERROR verdicts without reaching the sandbox", async () => {
    const result = await grader.grade({ code: "#".repeat(100_001), tests: slowJob(6).tests });
    expect(result).toMatchObject({ score: 0, maxScore: 5, error: "the code is longer than 100000 characters" });
    expect(result.results.map((r) => r.verdict)).toEqual(["ERROR", "ERROR"]);
    expect(result.results[1]).toEqual({ testId: "hidden", verdict: "ERROR", points: 0, durationMs: 0, visible: false });
  });

  test("a malformed job is the caller's bug and is rejected", async () => {
    const duplicateIds = { ...slowJob(7), tests: [slowJob(7).tests[0], slowJob(7).tests[0]] };
    await expect(grader.grade(duplicateIds)).rejects.toThrow("test ids must be unique");
    const notJson: GradeJob = { code: "", tests: [{ id: "x", kind: "CALL", expression: "1", expected: "{'a': 1}", visible: true, points: 1, timeLimitMs: 1000 }] };
    await expect(grader.grade(notJson)).rejects.toThrow("expected must be JSON text");
  });

  test("the grader's resident-memory watchdog stops a test that its WebAssembly cap lets through", async () => {
    // A generous WebAssembly cap and a small process limit: only the watchdog can catch 300 MB.
    const watched = await startGrader({ concurrency: 1, spares: 1, memoryLimitMb: 1024, processMemoryLimitMb: 500 });
    try {
      const hog = "def hog():\n    block = bytearray(300 * 2**20)\n    for i in range(0, len(block), 4096):\n        block[i] = 1\n    import time\n    time.sleep(2)\n    return 1\n";
      const result = await watched.grade({ code: hog, tests: [{ id: "hog", kind: "CALL", expression: "hog()", expected: "1", visible: true, points: 1, timeLimitMs: 5000 }] });
      expect(result.results[0]).toMatchObject({ verdict: "MEMORY" });
      expect(result.error).toBeUndefined();
      const next = await watched.grade({ code: "def one():\n    return 1\n", tests: [{ id: "one", kind: "CALL", expression: "one()", expected: "1", visible: true, points: 1, timeLimitMs: 2000 }] });
      expect(next).toMatchObject({ score: 1 });
      expect(watched.stats().crashes).toBe(0);
    } finally {
      await watched.close();
    }
  }, 30_000);

  test("close waits for the submission in flight, then stops the grader process", async () => {
    const pending = grader.grade(slowJob(4));
    await until(() => grader.stats().inFlight === 1, "the submission is in flight");
    const { pid } = grader.stats();
    await grader.close();
    expect(await pending).toMatchObject({ score: 5 });
    expect(() => process.kill(pid ?? -1, 0)).toThrow();
    await expect(grader.grade(slowJob(5))).rejects.toThrow("the grader is closed");
  }, 30_000);
});
