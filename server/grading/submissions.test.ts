// Submitting and grading end to end below the browser: the rules (who, when, how often, how many), the
// real sandboxed grader, stored verdicts with hidden tests' details withheld, live status events, the
// snapshot at submit time, the gradebook, and the BullMQ path on a real Redis with a separate worker.
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { getGradebook, gradebookCsv } from "~/models/gradebook.server.ts";
import { roomVisitorAccess } from "~/models/access.server.ts";
import { roomExists, roomStarterCode } from "~/models/room.server.ts";
import { listRoomSubmissions, submitRoom, SUBMISSIONS_PER_MINUTE, type SubmitDeps } from "~/models/submission.server.ts";
import { db } from "~/utils/db.server.ts";
import type { SessionUser } from "~/utils/session.server.ts";
import { visitorFromCookieHeader } from "~/utils/visitor.server.ts";
import { joinAs, makeAssignment, makeChallenge, makeGroup, makeUser } from "../../tests/fixtures.ts";
import { attachCollab, type Collab } from "../collab/index.ts";
import { createLiveHub, type LiveEvent, type LiveHub } from "../live/hub.ts";
import { createLocalGradingQueue, createRedisGradingQueue, startRedisGradingWorker } from "./queue.ts";
import { announceSubmission, runSubmission } from "./run-submission.ts";
import { startGrader } from "./sandbox.server.ts";
import type { Grader } from "./types.ts";

let grader: Grader;
let live: LiveHub;
let collab: Collab;
let teacher: SessionUser;
let ada: SessionUser;
let alan: SessionUser;
let groupId: string;

const CHALLENGE = {
  starterCode: "def add(a, b):\n    pass\n",
  tests: [
    { kind: "call" as const, expression: "add(1, 2)", expected: "3", visible: true, points: 1, timeLimitMs: 1000 },
    { kind: "call" as const, expression: "add(-5, 5)", expected: "0", visible: false, points: 2, timeLimitMs: 1000 },
    { kind: "call" as const, expression: "add(40, 2)", expected: "42", visible: false, points: 2, timeLimitMs: 1000 },
  ],
};

async function setCode(roomId: string, code: string) {
  const room = await collab.documents.acquire(roomId);
  const text = room.doc.getText("code");
  room.doc.transact(() => {
    text.delete(0, text.length);
    text.insert(0, code);
  });
  await collab.documents.release(room, []);
}

function depsWith(enqueue: (id: string) => Promise<void>): SubmitDeps {
  return {
    currentCode: (id) => collab.currentCode(id),
    snapshot: (id, reason, by) => collab.snapshot(id, reason, by),
    enqueue,
    announce: (s) => announceSubmission(live, s),
  };
}

async function roomOf(assignmentId: string, user: SessionUser) {
  return (await db.room.findFirstOrThrow({ where: { assignmentId, members: { some: { userId: user.id } } } })).id;
}

beforeAll(async () => {
  grader = await startGrader({ concurrency: 2, spares: 2 });
  live = await createLiveHub(undefined);
  collab = attachCollab(createServer(), { db, authenticate: visitorFromCookieHeader, roomExists, access: roomVisitorAccess, initialCode: roomStarterCode });
  teacher = await makeUser("TEACHER");
  ada = await makeUser("STUDENT", "Ada");
  alan = await makeUser("STUDENT", "Alan");
  const group = await makeGroup(teacher);
  groupId = group.id;
  await joinAs(ada, group);
  await joinAs(alan, group);
}, 120_000);

afterAll(async () => {
  await collab.close();
  await live.close();
  await grader.close();
});

describe("submissions", () => {
  it("grades the room's code as the server holds it: verdicts stored, hidden tests without details, events queued → running → graded, a snapshot kept", async () => {
    const challenge = await makeChallenge(teacher, CHALLENGE);
    const assignment = await makeAssignment(teacher, groupId, challenge.id, { mode: "TEAM", teamSize: 2 });
    const roomId = await roomOf(assignment.id, ada);
    await setCode(roomId, "def add(a, b):\n    return a + b if a > 0 else 7\n");
    const events: Extract<LiveEvent, { type: "submission" }>[] = [];
    const unfollow = live.subscribe(`room:${roomId}`, (e) => e.type === "submission" && events.push(e));
    const queue = createLocalGradingQueue((id) => runSubmission({ db, grader, live }, id), 2);

    const outcome = await submitRoom(roomId, ada, depsWith((id) => queue.enqueue(id)));
    expect(outcome.ok).toBe(true);
    await queue.close();
    unfollow();
    expect(events.map((e) => (e.type === "submission" ? e.status : e.type))).toEqual(["QUEUED", "RUNNING", "GRADED"]);

    const [stored] = await listRoomSubmissions(roomId);
    expect(stored).toMatchObject({ status: "GRADED", score: 3, maxScore: 5, user: { name: "Ada" } });
    expect(stored.code).toContain("else 7");
    expect(stored.results.map((r) => r.verdict)).toEqual(["PASSED", "FAILED", "PASSED"]);
    // A failed hidden test says only that it failed: no expected value, no output.
    const hidden = stored.results[1];
    expect(Object.keys(hidden).sort()).toEqual(["durationMs", "maxPoints", "points", "position", "verdict", "visible"]);
    const rows = await db.testResult.findMany({ where: { submissionId: stored.id, test: { visible: false } } });
    expect(rows.every((r) => r.actual === null && r.message === null)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain("add(-5, 5)");

    expect(await db.snapshot.count({ where: { roomId, reason: "SUBMISSION", takenById: ada.id } })).toBe(1);

    // The team's submission counts for both students in the gradebook; the CSV says the same.
    const book = await getGradebook(groupId);
    const column = book.columns.findIndex((c) => c.id === assignment.id);
    for (const student of [ada, alan]) {
      expect(book.rows.find((r) => r.student.id === student.id)!.cells[column]).toEqual({ best: 3, maxScore: 5, submissions: 1 });
    }
    const csv = gradebookCsv(book);
    expect(csv.split("\n")[0]).toContain("Add two numbers (best of 5)");
    expect(csv).toMatch(/Ada,[^,]+,.*3,1/);
  }, 60_000);

  it("refuses with clear reasons: a teacher (not a student of the room), past the due date, out of attempts, too many per minute", async () => {
    const challenge = await makeChallenge(teacher, CHALLENGE);
    const noop = depsWith(async () => {});
    const open = await makeAssignment(teacher, groupId, challenge.id);
    const roomId = await roomOf(open.id, ada);
    expect(await submitRoom(roomId, teacher, noop)).toMatchObject({ ok: false, status: 403 });

    const late = await makeAssignment(teacher, groupId, challenge.id, { opensInDays: -3, dueInDays: -1 });
    expect(await submitRoom(await roomOf(late.id, ada), ada, noop)).toMatchObject({ ok: false, status: 409, message: expect.stringContaining("past its due date") });

    await db.assignment.update({ where: { id: open.id }, data: { attemptLimit: 2 } });
    const alanRoom = await roomOf(open.id, alan);
    expect(await submitRoom(alanRoom, alan, noop)).toMatchObject({ ok: true });
    expect(await submitRoom(alanRoom, alan, noop)).toMatchObject({ ok: true });
    expect(await submitRoom(alanRoom, alan, noop)).toMatchObject({ ok: false, status: 409, message: "This room has used all 2 attempts for this assignment." });

    await db.assignment.update({ where: { id: open.id }, data: { attemptLimit: null } });
    const results = [];
    for (let i = 0; i < SUBMISSIONS_PER_MINUTE + 1; i++) results.push(await submitRoom(roomId, ada, noop));
    expect(results.slice(0, -1).filter((r) => r.ok).length).toBeGreaterThan(0);
    expect(results.at(-1)).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/times a minute: try again in \d+ s/) });
  });

  it("on Redis: a submission enqueued by one process is graded by a separate worker, and its status reaches a page following the room through another hub", async () => {
    const redisUrl = process.env.TEST_REDIS_URL;
    if (!redisUrl) throw new Error("TEST_REDIS_URL is not set: run with `npm test`, which starts Redis");
    const challenge = await makeChallenge(teacher, CHALLENGE);
    const assignment = await makeAssignment(teacher, groupId, challenge.id);
    const roomId = await roomOf(assignment.id, alan);
    await setCode(roomId, "def add(a, b):\n    return a + b\n");
    const pageHub = await createLiveHub(redisUrl);
    const workerHub = await createLiveHub(redisUrl);
    const queue = createRedisGradingQueue(redisUrl);
    const worker = startRedisGradingWorker(redisUrl, (id) => runSubmission({ db, grader, live: workerHub }, id), 2);
    const statuses: string[] = [];
    const graded = new Promise<void>((resolve) => pageHub.subscribe(`room:${roomId}`, (e) => e.type === "submission" && (statuses.push(e.status), e.status === "GRADED" && resolve())));
    try {
      const outcome = await submitRoom(roomId, alan, { ...depsWith((id) => queue.enqueue(id)), announce: (s) => announceSubmission(pageHub, s) });
      expect(outcome.ok).toBe(true);
      await graded;
      expect(statuses).toEqual(["QUEUED", "RUNNING", "GRADED"]);
      expect((await listRoomSubmissions(roomId))[0]).toMatchObject({ status: "GRADED", score: 5, maxScore: 5 });
    } finally {
      await worker.close();
      await queue.close();
      await pageHub.close();
      await workerHub.close();
    }
  }, 60_000);
});

describe("snapshots", () => {
  it("the version kept at submit time holds the submitted code", async () => {
    const grace = await makeUser("STUDENT", "Grace"); // her own submission allowance
    await joinAs(grace, await db.group.findUniqueOrThrow({ where: { id: groupId } }));
    const challenge = await makeChallenge(teacher, CHALLENGE);
    const assignment = await makeAssignment(teacher, groupId, challenge.id);
    const roomId = await roomOf(assignment.id, grace);
    await setCode(roomId, "def add(a, b):\n    return b + a\n");
    expect((await submitRoom(roomId, grace, depsWith(async () => {}))).ok).toBe(true);
    const snapshot = await db.snapshot.findFirstOrThrow({ where: { roomId, reason: "SUBMISSION" } });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(snapshot.state));
    expect(doc.getText("code").toString()).toBe("def add(a, b):\n    return b + a\n");
  });
});
