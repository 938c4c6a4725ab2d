// Voice in rooms: who gets a LiveKit token and with which grants, who may mute, and webhooks that must carry
// LiveKit's signature. LiveKit itself is not needed here (the end-to-end spec runs a real one): tokens are
// signed locally, and the configured URL is a closed loopback port.
import { createHash } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { AccessToken, TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveHub, type LiveEvent, type LiveHub } from "../server/live/hub.ts";
import { createVoice, voiceRoomName, type Voice } from "../server/voice/index.ts";
import { action as tokenAction } from "~/routes/rooms.$roomId.voice.token.tsx";
import { action as muteAction } from "~/routes/rooms.$roomId.voice.mute.tsx";
import { action as webhookAction } from "~/routes/voice.webhook.tsx";
import { createShareLink } from "~/models/share-link.server.ts";
import { loadConfig } from "~/utils/config.server.ts";
import { db } from "~/utils/db.server.ts";
import type { SessionUser } from "~/utils/session.server.ts";
import { rememberGuest } from "~/utils/visitor.server.ts";
import { joinAs, makeAssignment, makeChallenge, makeGroup, makeUser, requestAs } from "./fixtures.ts";

const KEY = "test-key";
const SECRET = "test-secret-0123456789abcdef0123456789";

let live: LiveHub;
let voice: Voice;
let teacher: SessionUser, coTeacher: SessionUser, ada: SessionUser, alan: SessionUser, barbara: SessionUser, edsger: SessionUser, otherTeacher: SessionUser, outsider: SessionUser;
let roomId: string, assignmentId: string;

const context = (withVoice: Voice | null = voice) => ({ clientIp: "127.0.0.1", live, voice: withVoice }) as unknown as AppLoadContext;

async function post(handler: typeof tokenAction, user: SessionUser | null, path: string, form: Record<string, string> = {}, cookie?: string, withVoice?: Voice | null) {
  const request = await requestAs(user, path, { form });
  if (cookie) request.headers.set("Cookie", cookie);
  try {
    return (await handler({ request, params: { roomId }, context: context(withVoice) })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const askToken = (user: SessionUser | null, form?: Record<string, string>, cookie?: string, withVoice?: Voice | null) => post(tokenAction, user, `/rooms/${roomId}/voice/token`, form, cookie, withVoice);
const askMute = (user: SessionUser | null, identity: string) => post(muteAction, user, `/rooms/${roomId}/voice/mute`, { identity });
const guestCookie = async (name: string) => (await rememberGuest(new Request("http://localhost/"), name, "/")).headers.get("Set-Cookie")!.split(";")[0];

async function grantsOf(response: Response) {
  expect(response.status).toBe(200);
  const body = (await response.json()) as { url: string; token: string; identity: string };
  expect(body.url).toBe("ws://127.0.0.1:9");
  return { body, claims: await new TokenVerifier(KEY, SECRET).verify(body.token) };
}

beforeAll(async () => {
  live = await createLiveHub(undefined);
  voice = createVoice(loadConfig({ ...process.env, LIVEKIT_URL: "ws://127.0.0.1:9", LIVEKIT_API_KEY: KEY, LIVEKIT_API_SECRET: SECRET }))!;
  [teacher, coTeacher, ada, alan, barbara, edsger, otherTeacher, outsider] = await Promise.all([
    makeUser("TEACHER", "Grace"), makeUser("TEACHER", "Co Teacher"), makeUser("STUDENT", "Ada"), makeUser("STUDENT", "Alan"),
    makeUser("STUDENT", "Barbara"), makeUser("STUDENT", "Edsger"), makeUser("TEACHER", "Other Teacher"), makeUser("STUDENT", "Outsider"),
  ]);
  const group = await makeGroup(teacher);
  await db.membership.create({ data: { groupId: group.id, userId: coTeacher.id, role: "TEACHER" } });
  for (const student of [ada, alan, barbara, edsger]) await joinAs(student, group);
  await joinAs(outsider, await makeGroup(otherTeacher, "Another group"));
  const assignment = await makeAssignment(teacher, group.id, (await makeChallenge(teacher)).id, { mode: "TEAM", teamSize: 2 });
  assignmentId = assignment.id;
  const room = await db.room.findFirstOrThrow({ where: { assignmentId, members: { some: { userId: ada.id } } }, include: { members: true } });
  roomId = room.id;
  // Barbara is in the group but not in Ada's room: teams of two put her elsewhere.
  expect(room.members.map((m) => m.userId).sort()).toEqual([ada.id, alan.id].sort());
});

afterAll(async () => {
  await live.close();
});

describe("voice tokens", () => {
  it("a member gets a token for the room's voice: identity = user id, name = display name, microphone only, no room admin", async () => {
    const { body, claims } = await grantsOf(await askToken(ada));
    expect(body.identity).toBe(ada.id);
    expect(claims.sub).toBe(ada.id);
    expect(claims.name).toBe("Ada");
    expect(claims.video).toMatchObject({ room: voiceRoomName(roomId), roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: false, canPublishSources: ["microphone"] });
    expect(claims.video?.roomAdmin).toBeFalsy();
    expect(claims.video?.roomCreate).toBeFalsy();
    expect(claims.video?.roomList).toBeFalsy();
    // Short-lived: it only gets the browser in.
    expect(claims.exp! - claims.nbf!).toBeLessThanOrEqual(600);
  });

  it("the group's teachers (and co-teachers) get room admin on that room only, still publishing their microphone only", async () => {
    for (const who of [teacher, coTeacher]) {
      const { claims } = await grantsOf(await askToken(who));
      expect(claims.sub).toBe(who.id);
      expect(claims.video).toMatchObject({ room: voiceRoomName(roomId), roomJoin: true, roomAdmin: true, canPublish: true, canPublishSources: ["microphone"] });
    }
  });

  it("people outside the room get 404: a student of another group, a student of the group in another room, a teacher of another group", async () => {
    for (const who of [outsider, barbara, otherTeacher]) expect((await askToken(who)).status).toBe(404);
  });

  it("anonymous visitors are sent to log in", async () => {
    const response = await askToken(null);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/login\?/);
  });

  it("share links never include voice: guests and accounts outside the room holding a watch or an edit link get 403", async () => {
    const watch = await createShareLink(roomId, ada.id, { mode: "READ", expiresIn: "1d" });
    const edit = await createShareLink(roomId, ada.id, { mode: "EDIT", expiresIn: "1d" });
    const guest = await guestCookie("A guest");
    for (const link of [watch, edit]) {
      const asGuest = await askToken(null, { shareToken: link.token }, guest);
      expect(asGuest.status).toBe(403);
      expect(await asGuest.text()).toMatch(/share link does not include it/);
      expect((await askToken(outsider, { shareToken: link.token })).status).toBe(403);
    }
    // Without a link that opens this room, a guest does not learn it exists.
    expect((await askToken(null, {}, guest)).status).toBe(404);
    // A member holding a link keeps their own voice.
    expect((await askToken(ada, { shareToken: watch.token })).status).toBe(200);
  });

  it("without LiveKit configured, members are told voice is not configured (503) and others are still refused", async () => {
    const members = await askToken(ada, {}, undefined, null);
    expect(members.status).toBe(503);
    expect(((await members.json()) as { error: string }).error).toMatch(/LIVEKIT_URL/);
    expect((await askToken(outsider, {}, undefined, null)).status).toBe(404);
  });
});

describe("muting", () => {
  it("is refused to the room's students (403), to people outside the room (404) and to anonymous visitors (login)", async () => {
    expect((await askMute(ada, alan.id)).status).toBe(403);
    expect((await askMute(alan, ada.id)).status).toBe(403);
    for (const who of [barbara, outsider, otherTeacher]) expect((await askMute(who, ada.id)).status).toBe(404);
    expect((await askMute(null, ada.id)).status).toBe(302);
  });

  it("a teacher of the group passes the checks and reaches LiveKit (here unreachable: 503 with a message)", async () => {
    const response = await askMute(teacher, ada.id);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toMatch(/voice server did not answer/);
  });
});

describe("webhooks", () => {
  const roomFinished = () => JSON.stringify({ event: "room_finished", id: "EV_test", createdAt: String(Math.floor(Date.now() / 1000)), room: { name: voiceRoomName(roomId), sid: "RM_test" } });

  async function signed(body: string, secret = SECRET, key = KEY) {
    const token = new AccessToken(key, secret);
    token.sha256 = createHash("sha256").update(body).digest("base64");
    return token.toJwt();
  }

  async function deliver(body: string, authorization?: string) {
    const headers = new Headers({ "Content-Type": "application/webhook+json" });
    if (authorization) headers.set("Authorization", authorization);
    return (await webhookAction({ request: new Request("http://localhost/voice/webhook", { method: "POST", headers, body }), params: {}, context: context() })) as Response;
  }

  function following(topic: string) {
    const events: LiveEvent[] = [];
    const unfollow = live.subscribe(topic, (e) => events.push(e));
    return { events, unfollow };
  }

  it("rejects a missing signature, a signature made with another secret or key, and a body changed after signing, announcing nothing", async () => {
    const watch = following(`assignment:${assignmentId}`);
    const body = roomFinished();
    const responses = [
      await deliver(body),
      await deliver(body, "not-a-jwt"),
      await deliver(body, await signed(body, "another-secret-0123456789abcdef0123")),
      await deliver(body, await signed(body, SECRET, "another-key")),
      await deliver(body.replace("room_finished", "participant_left"), await signed(body)),
    ];
    watch.unfollow();
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(watch.events).toEqual([]);
  });

  it("accepts LiveKit's signature and tells the teachers' live view of the assignment who is in the room's voice", async () => {
    const toTeachers = following(`assignment:${assignmentId}`);
    const body = roomFinished();
    const response = await deliver(body, await signed(body));
    toTeachers.unfollow();
    expect(response.status).toBe(200);
    expect(toTeachers.events).toEqual([{ type: "voice", roomId, assignmentId, participants: [] }]);
  });

  it("ignores signed events about rooms that are not ours", async () => {
    const watch = following(`assignment:${assignmentId}`);
    const body = JSON.stringify({ event: "room_finished", id: "EV_other", room: { name: "someone-elses-room" } });
    expect((await deliver(body, await signed(body))).status).toBe(200);
    watch.unfollow();
    expect(watch.events).toEqual([]);
  });
});
