// Every loader and action × every kind of visitor gives the expected status. A route file without an
// entry here fails the suite, so no route ships without a decision about who may use it.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import * as Y from "yjs";
import { attachCollab, type Collab } from "../server/collab/index.ts";
import { createSearch, type CatalogSearch } from "../server/search/index.ts";
import { roomVisitorAccess } from "~/models/access.server.ts";
import { createShareLink } from "~/models/share-link.server.ts";
import { createLiveHub, type LiveHub } from "../server/live/hub.ts";
import { createVoice, type Voice } from "../server/voice/index.ts";
import { roomExists, roomStarterCode } from "~/models/room.server.ts";
import { visitorFromCookieHeader } from "~/utils/visitor.server.ts";
import { loadConfig } from "~/utils/config.server.ts";
import { db } from "~/utils/db.server.ts";
import type { SessionUser } from "~/utils/session.server.ts";
import { joinAs, makeAssignment, makeChallenge, makeGroup, makeUser, requestAs, sampleChallenge } from "./fixtures.ts";

const PERSONAS = ["anonymous", "outsiderStudent", "memberStudent", "otherTeacher", "groupTeacher"] as const;
type Persona = (typeof PERSONAS)[number];
type Statuses = [anonymous: number, outsiderStudent: number, memberStudent: number, otherTeacher: number, groupTeacher: number];

interface World {
  users: Record<Exclude<Persona, "anonymous">, SessionUser>;
  groupId: string;
  joinCode: string;
  assignmentId: string;
  challengeId: string;
  roomId: string;
  shareToken: string;
  snapshotId: string;
}

interface Cell {
  expect: Statuses;
  /** Form fields for actions; a function when they depend on the world. */
  form?: (w: World) => Record<string, string>;
}

interface Entry {
  path: (w: World) => string;
  params: (w: World) => Record<string, string>;
  loader?: Cell;
  action?: Cell;
}

const local = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);
const challengeForm = () => {
  const c = sampleChallenge();
  return { title: c.title, prompt: c.prompt, starterCode: c.starterCode, tags: "math", difficulty: "easy", catalog: "", visibility: "private", tests: JSON.stringify(c.tests) };
};
const none = () => ({});

// 302 = redirect (to log in, or away from a page that makes no sense for the visitor), 403 = sees it but may
// not do this, 404 = may not know it exists, 400/401 = the form was refused.
const MATRIX: Record<string, Entry> = {
  root: { path: () => "/", params: none, loader: { expect: [200, 200, 200, 200, 200] } },
  "_index": { path: () => "/", params: none, loader: { expect: [200, 302, 302, 302, 302] } },
  signup: {
    path: () => "/signup", params: none,
    loader: { expect: [200, 302, 302, 302, 302] },
    action: { expect: [400, 400, 400, 400, 400], form: () => ({ name: "", email: "bad", password: "x", role: "STUDENT" }) },
  },
  login: {
    path: () => "/login", params: none,
    loader: { expect: [200, 302, 302, 302, 302] },
    action: { expect: [401, 401, 401, 401, 401], form: () => ({ email: "nobody@example.com", password: "wrong" }) },
  },
  logout: { path: () => "/logout", params: none, loader: { expect: [302, 302, 302, 302, 302] }, action: { expect: [302, 302, 302, 302, 302], form: none } },
  dashboard: { path: () => "/dashboard", params: none, loader: { expect: [302, 200, 200, 200, 200] } },
  "groups.new": {
    path: () => "/groups/new", params: none,
    loader: { expect: [302, 403, 403, 200, 200] },
    action: { expect: [302, 403, 403, 302, 302], form: () => ({ name: "Another group" }) },
  },
  "groups.$groupId._index": {
    path: (w) => `/groups/${w.groupId}`, params: (w) => ({ groupId: w.groupId }),
    loader: { expect: [302, 404, 200, 404, 200] },
    action: { expect: [302, 404, 403, 404, 200], form: () => ({ intent: "enable-code" }) },
  },
  "groups.$groupId.assignments.new": {
    path: (w) => `/groups/${w.groupId}/assignments/new`, params: (w) => ({ groupId: w.groupId }),
    loader: { expect: [302, 404, 403, 404, 200] },
    action: { expect: [302, 404, 403, 404, 302], form: (w) => ({ challengeId: w.challengeId, mode: "INDIVIDUAL", opensAt: local(-1), dueAt: "", attemptLimit: "", tzOffset: "0" }) },
  },
  "assignments.$assignmentId._index": {
    path: (w) => `/assignments/${w.assignmentId}`, params: (w) => ({ assignmentId: w.assignmentId }),
    loader: { expect: [302, 404, 200, 404, 200] },
    action: { expect: [302, 404, 403, 404, 200], form: () => ({ intent: "restore" }) },
  },
  "assignments.$assignmentId.edit": {
    path: (w) => `/assignments/${w.assignmentId}/edit`, params: (w) => ({ assignmentId: w.assignmentId }),
    loader: { expect: [302, 404, 403, 404, 200] },
    action: { expect: [302, 404, 403, 404, 302], form: () => ({ opensAt: local(-1), dueAt: local(5), attemptLimit: "5", tzOffset: "0" }) },
  },
  "assignments.$assignmentId.live": {
    path: (w) => `/assignments/${w.assignmentId}/live`, params: (w) => ({ assignmentId: w.assignmentId }),
    loader: { expect: [302, 404, 403, 404, 200] },
  },
  "challenges._index": { path: () => "/challenges", params: none, loader: { expect: [302, 403, 403, 200, 200] } },
  "challenges.new": {
    path: () => "/challenges/new", params: none,
    loader: { expect: [302, 403, 403, 200, 200] },
    action: { expect: [302, 403, 403, 302, 302], form: challengeForm },
  },
  "challenges.$challengeId._index": {
    path: (w) => `/challenges/${w.challengeId}`, params: (w) => ({ challengeId: w.challengeId }),
    loader: { expect: [302, 404, 404, 404, 200] },
    // The challenge is assigned, so even its author is refused deletion (409) and nothing changes.
    action: { expect: [302, 404, 404, 404, 409], form: () => ({ intent: "delete" }) },
  },
  "challenges.$challengeId.edit": {
    path: (w) => `/challenges/${w.challengeId}/edit`, params: (w) => ({ challengeId: w.challengeId }),
    loader: { expect: [302, 404, 404, 404, 200] },
    action: { expect: [302, 404, 404, 404, 302], form: challengeForm },
  },
  "join._index": {
    path: () => "/join", params: none,
    loader: { expect: [302, 200, 200, 200, 200] },
    action: { expect: [302, 400, 400, 400, 400], form: () => ({ code: "AAAAAAA" }) },
  },
  "join.$code": {
    path: () => "/join/AAAAAAA", params: () => ({ code: "AAAAAAA" }),
    loader: { expect: [302, 200, 200, 200, 200] },
    action: { expect: [302, 400, 400, 400, 400], form: none },
  },
  "api.search": { path: () => "/api/search?q=add", params: none, loader: { expect: [302, 403, 403, 200, 200] } },
  "catalog._index": { path: () => "/catalog?q=add&difficulty=intro", params: none, loader: { expect: [302, 403, 403, 200, 200] } },
  "catalog.export": { path: () => "/catalog/export?catalog=Basics", params: none, loader: { expect: [302, 403, 403, 200, 200] } },
  "catalog.import": {
    path: () => "/catalog/import", params: none,
    loader: { expect: [302, 403, 403, 200, 200] },
    action: { expect: [302, 403, 403, 400, 400], form: () => ({ visibility: "private" }) },
  },
  "rooms.$roomId": {
    path: (w) => `/rooms/${w.roomId}`, params: (w) => ({ roomId: w.roomId }),
    loader: { expect: [302, 404, 200, 404, 200] },
    action: { expect: [302, 404, 200, 404, 200], form: () => ({ intent: "save-version" }) },
  },
  // Chat in the group's channel: members read and post; people outside the group learn nothing (404).
  "api.chat": {
    path: (w) => `/api/chat?channel=group:${w.groupId}`, params: none,
    loader: { expect: [401, 404, 200, 404, 200] },
    action: { expect: [401, 404, 200, 404, 200], form: (w) => ({ intent: "post", channel: `group:${w.groupId}`, body: "Hello, class" }) },
  },
  "groups.$groupId.gradebook": {
    path: (w) => `/groups/${w.groupId}/gradebook`, params: (w) => ({ groupId: w.groupId }),
    loader: { expect: [302, 404, 403, 404, 200] },
  },
  "groups.$groupId.gradebook.export": {
    path: (w) => `/groups/${w.groupId}/gradebook/export`, params: (w) => ({ groupId: w.groupId }),
    loader: { expect: [302, 404, 403, 404, 200] },
  },
  // The member student's own results: they and the group's teachers see them.
  "groups.$groupId.students.$studentId": {
    path: (w) => `/groups/${w.groupId}/students/${w.users.memberStudent.id}`, params: (w) => ({ groupId: w.groupId, studentId: w.users.memberStudent.id }),
    loader: { expect: [302, 404, 200, 404, 200] },
  },
  // A read-only share link: anyone may open it (after choosing a name); members are sent to their own seat.
  "share.$token": {
    path: (w) => `/share/${w.shareToken}`, params: (w) => ({ token: w.shareToken }),
    loader: { expect: [200, 200, 302, 200, 302] },
    action: { expect: [302, 302, 302, 302, 302], form: () => ({ name: "A guest" }) },
  },
  // No loader or action: the playground's code lives in the browser, so there is nothing to guard.
  playground: { path: () => "/playground", params: none },
  // Voice: members and the group's teachers get a token; only the group's teachers mute. The matrix runs no
  // LiveKit (its URL is a closed loopback port), so a mute that passes the checks answers 503.
  "rooms.$roomId.voice.token": {
    path: (w) => `/rooms/${w.roomId}/voice/token`, params: (w) => ({ roomId: w.roomId }),
    action: { expect: [302, 404, 200, 404, 200], form: none },
  },
  "rooms.$roomId.voice.mute": {
    path: (w) => `/rooms/${w.roomId}/voice/mute`, params: (w) => ({ roomId: w.roomId }),
    action: { expect: [302, 404, 403, 404, 503], form: (w) => ({ identity: w.users.memberStudent.id }) },
  },
  // LiveKit's webhooks carry no session: only a valid signature is accepted, whoever sends it.
  "voice.webhook": { path: () => "/voice/webhook", params: none, action: { expect: [401, 401, 401, 401, 401], form: none } },
  "rooms.$roomId.history.$snapshotId": {
    path: (w) => `/rooms/${w.roomId}/history/${w.snapshotId}`, params: (w) => ({ roomId: w.roomId, snapshotId: w.snapshotId }),
    loader: { expect: [302, 404, 200, 404, 200] },
  },
};

type Handler = (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => Promise<unknown>;
type RouteModule = { loader?: Handler; action?: Handler };

const routesDir = fileURLToPath(new URL("../app/routes", import.meta.url));
const routeFiles = readdirSync(routesDir).filter((f) => /\.tsx?$/.test(f) && !/\.test\./.test(f));
const routeId = (file: string) => file.replace(/\.tsx?$/, "");
const modules: Record<string, () => Promise<RouteModule>> = {
  root: () => import("~/root.tsx") as unknown as Promise<RouteModule>,
  ...Object.fromEntries(routeFiles.map((f) => [routeId(f), () => import(`../app/routes/${f}`) as Promise<RouteModule>])),
};

/** The HTTP status a Remix handler's outcome becomes: thrown Responses, data() with init, or plain data. */
async function statusOf(run: () => Promise<unknown>): Promise<number> {
  try {
    const value = await run();
    if (value instanceof Response) return value.status;
    if (value && typeof value === "object" && "type" in value && (value as { type: string }).type === "DataWithResponseInit") {
      return (value as { init?: { status?: number } }).init?.status ?? 200;
    }
    return 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

let world: World;
let search: CatalogSearch;
let collab: Collab;
let live: LiveHub;
let voice: Voice | null;
// The matrix checks who may reach each handler; nothing it submits is graded.
const grading = { enqueue: () => Promise.reject(new Error("the authorization matrix does not grade")), announce: () => undefined };

beforeAll(async () => {
  search = await createSearch(loadConfig(), db);
  live = await createLiveHub(undefined);
  voice = createVoice(loadConfig({ ...process.env, LIVEKIT_URL: "ws://127.0.0.1:9", LIVEKIT_API_KEY: "matrix-key", LIVEKIT_API_SECRET: "matrix-secret-0123456789abcdef" }));
  collab = attachCollab(createServer(), { db, authenticate: visitorFromCookieHeader, roomExists, access: roomVisitorAccess, initialCode: roomStarterCode });
  const groupTeacher = await makeUser("TEACHER", "Group Teacher");
  const otherTeacher = await makeUser("TEACHER", "Other Teacher");
  const memberStudent = await makeUser("STUDENT", "Member");
  const outsiderStudent = await makeUser("STUDENT", "Outsider");
  const group = await makeGroup(groupTeacher, "Group A");
  const otherGroup = await makeGroup(otherTeacher, "Group B");
  await joinAs(memberStudent, group);
  await joinAs(outsiderStudent, otherGroup);
  const challenge = await makeChallenge(groupTeacher);
  const assignment = await makeAssignment(groupTeacher, group.id, challenge.id);
  const otherChallenge = await makeChallenge(otherTeacher, { visibility: "public" });
  await makeAssignment(otherTeacher, otherGroup.id, otherChallenge.id);
  const room = await db.room.findFirstOrThrow({ where: { assignmentId: assignment.id, members: { some: { userId: memberStudent.id } } } });
  const version = new Y.Doc();
  version.getText("code").insert(0, "print('an earlier version')\n");
  const snapshot = await db.snapshot.create({ data: { roomId: room.id, state: Buffer.from(Y.encodeStateAsUpdate(version)), reason: "MANUAL", activeUserIds: [] } });
  world = {
    users: { groupTeacher, otherTeacher, memberStudent, outsiderStudent },
    groupId: group.id,
    joinCode: group.joinCode,
    assignmentId: assignment.id,
    challengeId: challenge.id,
    roomId: room.id,
    snapshotId: snapshot.id,
    shareToken: (await createShareLink(room.id, memberStudent.id, { mode: "READ", expiresIn: "1d" })).token,
  };
});

afterAll(async () => {
  await collab.close();
  await search.close();
  await live.close();
});

describe("authorization matrix", () => {
  it("has an entry for every route, and cells for exactly the handlers each route exports", async () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(modules).sort());
    for (const [id, load] of Object.entries(modules)) {
      const mod = await load();
      expect(Boolean(MATRIX[id].loader), `${id}: loader cell`).toBe(typeof mod.loader === "function");
      expect(Boolean(MATRIX[id].action), `${id}: action cell`).toBe(typeof mod.action === "function");
    }
  });

  for (const [id, entry] of Object.entries(MATRIX)) {
    for (const kind of ["loader", "action"] as const) {
      const cell = entry[kind];
      if (!cell) continue;
      PERSONAS.forEach((persona, i) => {
        it(`${id} ${kind} as ${persona} → ${cell.expect[i]}`, async () => {
          const mod = await modules[id]();
          const user = persona === "anonymous" ? null : world.users[persona];
          const request = await requestAs(user, entry.path(world), kind === "action" ? { form: cell.form?.(world) ?? {} } : {});
          const status = await statusOf(() => mod[kind]!({ request, params: entry.params(world), context: { clientIp: `192.0.2.${i}`, search, collab, grading, live, voice } }));
          expect(status).toBe(cell.expect[i]);
        });
      });
    }
  }
});
