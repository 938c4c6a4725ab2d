// The seed catalog through the real sandbox: every reference solution earns full marks, and wrong
// solutions earn less — with the same pass/fail per test (and the same messages) as seed/check_catalog.py.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { z } from "zod";
import { startGrader } from "./sandbox.server.ts";
import type { GradeTest, Grader } from "./types.ts";

const seedDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../seed");

const SeedTest = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("call"), expression: z.string(), expected: z.string(), visible: z.boolean(), points: z.number(), timeLimitMs: z.number() }),
  z.object({ kind: z.literal("stdio"), stdin: z.string(), expectedStdout: z.string(), visible: z.boolean(), points: z.number(), timeLimitMs: z.number() }),
  z.object({ kind: z.literal("assert"), code: z.string(), visible: z.literal(true), points: z.number(), timeLimitMs: z.number() }),
]);
type SeedTest = z.infer<typeof SeedTest>;
const SeedCatalog = z.object({
  challenges: z.array(z.object({ slug: z.string(), referenceSolution: z.string(), tests: z.array(SeedTest) }).passthrough()),
});
const catalog = SeedCatalog.parse(JSON.parse(readFileSync(resolve(seedDir, "catalog/starter.json"), "utf8")));

function gradeTests(tests: SeedTest[]): GradeTest[] {
  return tests.map((test, index) => {
    const common = { id: `t${index}`, points: test.points, timeLimitMs: test.timeLimitMs };
    if (test.kind === "call") return { ...common, kind: "CALL", expression: test.expression, expected: test.expected, visible: test.visible };
    if (test.kind === "stdio") return { ...common, kind: "STDIO", stdin: test.stdin, expectedStdout: test.expectedStdout, visible: test.visible };
    return { ...common, kind: "ASSERT", code: test.code, visible: true };
  });
}

/** check_catalog.run_test for every test: null when it passes, else the checker's failure message. */
function checkerMessages(source: string, tests: SeedTest[]): (string | null)[] {
  const program = [
    "import json, sys",
    `sys.path.insert(0, ${JSON.stringify(seedDir)})`,
    "import check_catalog",
    "payload = json.load(sys.stdin)",
    'print(json.dumps([check_catalog.run_test(payload["source"], test) for test in payload["tests"]]))',
  ].join("\n");
  return JSON.parse(execFileSync("python3", ["-c", program], { input: JSON.stringify({ source, tests }), encoding: "utf8" }));
}

const WRONG_SOLUTIONS: Record<string, string> = {
  // forgets to strip the line
  "framed-word": 'text = input()\nborder = "*" * (len(text) + 4)\nprint(border)\nprint("* " + text + " *")\nprint(border)\n',
  // appends before adding: every total is one step late
  "running-total": "def running_total(numbers):\n    totals = []\n    total = 0\n    for n in numbers:\n        totals.append(total)\n        total += n\n    return totals\n",
  // ignores duplicates
  "second-largest": "def second_largest(numbers):\n    ordered = sorted(numbers)\n    return ordered[-2] if len(ordered) > 1 else None\n",
  // negative numbers sum to 0
  "digit-sum": "n = int(input())\ntotal = 0\nwhile n > 0:\n    total += n % 10\n    n //= 10\nprint(total)\n",
  // raises KeyError instead of returning the default
  "deep-get": "def deep_get(data, path, default=None):\n    for key in path.split('.'):\n        data = data[key]\n    return data\n",
};

let grader: Grader;

beforeAll(async () => {
  grader = await startGrader();
}, 120_000);

afterAll(async () => {
  await grader?.close();
});

describe("the seed catalog in the Pyodide grader", () => {
  test("every challenge's reference solution scores full marks", async () => {
    expect(catalog.challenges).toHaveLength(32);
    const graded = await Promise.all(catalog.challenges.map((challenge) => grader.grade({ code: challenge.referenceSolution, tests: gradeTests(challenge.tests) })));
    const shortfalls = graded.flatMap((result, i) =>
      result.score === result.maxScore && !result.error ? [] : [{ slug: catalog.challenges[i].slug, error: result.error, results: result.results.filter((r) => r.verdict !== "PASSED") }],
    );
    expect(shortfalls).toEqual([]);
  }, 120_000);

  test.each(Object.entries(WRONG_SOLUTIONS))("a wrong solution of %s scores less, failing exactly the tests the checker fails", async (slug, source) => {
    const challenge = catalog.challenges.find((c) => c.slug === slug);
    if (!challenge) throw new Error(`no challenge ${slug} in the seed catalog`);
    const tests = gradeTests(challenge.tests);
    const graded = await grader.grade({ code: source, tests });
    expect(graded.error).toBeUndefined();
    expect(graded.score).toBeLessThan(graded.maxScore);

    const checker = checkerMessages(source, challenge.tests);
    expect(graded.results.map((r) => r.verdict === "PASSED")).toEqual(checker.map((message) => message === null));
    graded.results.forEach((outcome, i) => {
      if (!outcome.visible) {
        // Nothing about a hidden test's expected value or output leaves the launcher.
        expect(Object.keys(outcome).sort()).toEqual(["durationMs", "points", "testId", "verdict", "visible"]);
        return;
      }
      const message = checker[i];
      // The checker words a crashed program by its exit code; everything else must read the same.
      if (message !== null && !message.startsWith("program exited")) expect(outcome.message).toBe(message);
    });
  }, 60_000);
});
