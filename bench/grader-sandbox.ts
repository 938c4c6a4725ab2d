// Grading sandbox benchmark: the real sandboxed grader (namespaces, permission model) and a 10-test
// challenge. Prints one JSON line:
//   cold_start_ms            startGrader() until the first fresh interpreter is ready (bundle already built)
//   fresh_interpreter_ms     median wait for a fresh interpreter when none is spare (one spare, jobs back to back)
//   throughput_per_s         fresh-interpreter submissions per second, 60 offered at once (2 at a time, 2 spares)
//   offered_3_per_s_p50_ms   job offered → verdict at 3 submissions/s for 20 s, median
//   offered_3_per_s_p95_ms   the same, 95th percentile
//   grader_cpu_ms_per_submission  CPU time of the grader process (all threads) per submission in the burst:
//                            unlike the rates above it hardly depends on what else the machine is doing,
//                            and 2 cores / this is the throughput ceiling
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { ensureGraderBundle } from "../server/grading/bundle.server.ts";
import { startGrader } from "../server/grading/sandbox.server.ts";
import type { GradeJob, GradeResult, GradeTest } from "../server/grading/types.ts";
import { percentile as percentileOf } from "./support/percentile.ts";

const SOLUTION = `
from collections import Counter

def top_words(text, n):
    counts = Counter(word.strip(".,!?").lower() for word in text.split())
    return [word for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]]
`;
const CASES: [string, string][] = [
  ['top_words("a b a", 1)', '["a"]'],
  ['top_words("The cat. The dog!", 2)', '["the", "cat"]'],
  ['top_words("", 3)', "[]"],
  ['top_words("x y z", 5)', '["x", "y", "z"]'],
  ['top_words("b a b a c", 2)', '["a", "b"]'],
  ['top_words("Hi hi HI", 1)', '["hi"]'],
  ['top_words("one two two three three three", 3)', '["three", "two", "one"]'],
  ['top_words("q " * 1000 + "r", 2)', '["q", "r"]'],
  ['top_words("end.", 1)', '["end"]'],
  ['top_words("a,b", 1)', '["a,b"]'],
];
const tests: GradeTest[] = CASES.map(([expression, expected], i) => ({ id: `t${i}`, kind: "CALL", expression, expected, visible: i < 5, points: 1, timeLimitMs: 2000 }));
const job: GradeJob = { code: SOLUTION, tests };

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const percentile = (values: number[], p: number) => percentileOf(values, p / 100, 3);
const round = (value: number) => Math.round(value * 10) / 10;

function checked(result: GradeResult): GradeResult {
  if (result.score !== result.maxScore) throw new Error(`the benchmark solution scored ${result.score}/${result.maxScore}: ${JSON.stringify(result)}`);
  return result;
}

/** User + system CPU of a process and its descendants (the `unshare` wrapper's child is the grader), in ms. */
function processTreeCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const own = (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in ticks of 10 ms
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  return own + children.reduce((sum, child) => sum + processTreeCpuMs(Number(child)), 0);
}

async function timed(): Promise<number> {
  const started = performance.now();
  checked(await grader.grade(job));
  return performance.now() - started;
}

await ensureGraderBundle();

// Fresh interpreter: with one spare and one job at a time, each job waits for the interpreter that the
// previous one's departure started loading.
const single = await startGrader({ concurrency: 1, spares: 1 });
let grader = single;
await sleep(1000);
const waits: number[] = [];
for (let i = 0; i < 12; i++) waits.push(await timed());
await single.close();

const coldStarted = performance.now();
grader = await startGrader();
const coldStartMs = performance.now() - coldStarted;
await sleep(2000);

const throughputJobs = 60;
const graderPid = grader.stats().pid ?? 0;
const cpuBefore = processTreeCpuMs(graderPid);
const burstStarted = performance.now();
await Promise.all(Array.from({ length: throughputJobs }, () => grader.grade(job).then(checked)));
const throughput = throughputJobs / ((performance.now() - burstStarted) / 1000);
const cpuPerSubmission = (processTreeCpuMs(graderPid) - cpuBefore) / throughputJobs;
await sleep(2000);

const latencies: number[] = [];
const offered: Promise<void>[] = [];
for (let i = 0; i < 60; i++) {
  offered.push(timed().then((ms) => void latencies.push(ms)));
  await sleep(1000 / 3);
}
await Promise.all(offered);
await grader.close();

console.log(
  JSON.stringify({
    cold_start_ms: Math.round(coldStartMs),
    fresh_interpreter_ms: round(percentile(waits.slice(2), 50)),
    throughput_per_s: round(throughput),
    offered_3_per_s_p50_ms: round(percentile(latencies, 50)),
    offered_3_per_s_p95_ms: round(percentile(latencies, 95)),
    grader_cpu_ms_per_submission: Math.round(cpuPerSubmission),
    tests_per_submission: tests.length,
  }),
);
