// Stock y-websocket providers against the collaboration endpoint, with real sessions and a real database.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { roomVisitorAccess } from "~/models/access.server.ts";
import { roomExists, roomStarterCode } from "~/models/room.server.ts";
import { db } from "~/utils/db.server.ts";
import { startSession, type SessionUser } from "~/utils/session.server.ts";
import { rememberGuest, visitorFromCookieHeader } from "~/utils/visitor.server.ts";
import { createShareLink, revokeShareLink } from "~/models/share-link.server.ts";
import { joinAs, makeAssignment, makeChallenge, makeGroup, makeUser } from "../../tests/fixtures.ts";
import { attachCollab, CLOSE, type Collab } from "./index.ts";
import { loadRoomState } from "./persistence.ts";
import { registry } from "../metrics.ts";

let http: Server;
let collab: Collab;
let url: string;
let teamRoomId: string;
let users: { teacher: SessionUser; ada: SessionUser; alan: SessionUser; outsider: SessionUser };

const cookieFor = async (user: SessionUser) => (await startSession(user.id)).split(";")[0];
/** The cookie a guest gets after choosing a display name on a share link's page. */
const guestCookie = async (name: string) => (await rememberGuest(new Request("http://localhost/"), name, "/")).headers.get("Set-Cookie")!.split(";")[0];

/** A y-websocket client whose socket carries `who`'s session cookie (or a guest's cookie). */
async function connect(who: SessionUser | { cookie: string } | null, roomId: string, params: Record<string, string> = {}) {
  const cookie = who === null ? undefined : "cookie" in who ? who.cookie : await cookieFor(who);
  class SessionSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: cookie ? { cookie } : {} });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url}/collab`, roomId, doc, { WebSocketPolyfill: SessionSocket as never, params, disableBc: true, maxBackoffTime: 200 });
  return { doc, provider, text: doc.getText("code") };
}

const synced = (provider: WebsocketProvider) => new Promise<void>((resolve) => (provider.synced ? resolve() : provider.once("sync", () => resolve())));
const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

/** The close code (and reason) a raw socket gets, for upgrades that must be refused. */
async function refusal(who: SessionUser | { cookie: string } | null, roomId: string, query = ""): Promise<{ code: number; reason: string }> {
  const cookie = who === null ? undefined : "cookie" in who ? who.cookie : await cookieFor(who);
  const ws = new WebSocket(`${url}/collab/${roomId}${query}`, { headers: cookie ? { cookie } : {} });
  return new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
}
const closeCode = async (who: SessionUser | null, roomId: string) => (await refusal(who, roomId)).code;

beforeAll(async () => {
  const teacher = await makeUser("TEACHER");
  const [ada, alan, outsider] = [await makeUser("STUDENT", "Ada"), await makeUser("STUDENT", "Alan"), await makeUser("STUDENT", "Outsider")];
  const group = await makeGroup(teacher);
  await joinAs(ada, group);
  await joinAs(alan, group);
  const otherGroup = await makeGroup(await makeUser("TEACHER"));
  await joinAs(outsider, otherGroup);
  const challenge = await makeChallenge(teacher, { starterCode: "def add(a, b):\n    pass\n" });
  const assignment = await makeAssignment(teacher, group.id, challenge.id, { mode: "TEAM", teamSize: 2 });
  teamRoomId = (await db.room.findFirstOrThrow({ where: { assignmentId: assignment.id } })).id;
  users = { teacher, ada, alan, outsider };
  http = createServer();
  collab = attachCollab(http, { db, authenticate: visitorFromCookieHeader, roomExists, access: roomVisitorAccess, initialCode: roomStarterCode, flushWindowMs: 300, snapshotEveryMs: 600, limits: { maxMessageBytes: 64 * 1024, maxDocumentBytes: 160 * 1024 } });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const address = http.address();
  url = `ws://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  await collab.close();
  await new Promise((r) => http.close(r));
});

describe("collaboration endpoint", () => {
  it("refuses unauthenticated, wrong-group and unknown-room upgrades with 4401, 4403, 4404", async () => {
    expect(await closeCode(null, teamRoomId)).toBe(CLOSE.unauthenticated);
    expect(await closeCode(users.outsider, teamRoomId)).toBe(CLOSE.forbidden);
    expect(await closeCode(users.ada, "no-such-room")).toBe(CLOSE.noSuchRoom);
  });

  it("starts a room from the challenge's starter code, and two stock clients converge on concurrent edits at the same position", async () => {
    const a = await connect(users.ada, teamRoomId);
    const b = await connect(users.alan, teamRoomId);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    expect(a.text.toString()).toBe("def add(a, b):\n    pass\n");
    // Both type at the very same position before either hears of the other.
    a.text.insert(0, "# Ada\n");
    b.text.insert(0, "# Alan\n");
    await expect.poll(() => a.text.toString() === b.text.toString() && a.text.toString().includes("# Ada") && a.text.toString().includes("# Alan")).toBe(true);
    a.provider.destroy();
    b.provider.destroy();
  });

  it("drops every edit from a read-only client, which still receives the document live", async () => {
    const writer = await connect(users.ada, teamRoomId);
    const watcher = await connect(users.teacher, teamRoomId, { readonly: "1" });
    await Promise.all([synced(writer.provider), synced(watcher.provider)]);
    watcher.text.insert(0, "VANDALISM ");
    writer.text.insert(writer.text.length, "# still typing\n");
    await expect.poll(() => watcher.text.toString().includes("# still typing")).toBe(true);
    await settle(300);
    expect(writer.text.toString()).not.toContain("VANDALISM");
    const late = await connect(users.alan, teamRoomId);
    await synced(late.provider);
    expect(late.text.toString()).not.toContain("VANDALISM");
    for (const c of [writer, watcher, late]) c.provider.destroy();
  });

  it("closes only the socket that sends a malformed or oversize frame; others keep working", async () => {
    const a = await connect(users.ada, teamRoomId);
    const b = await connect(users.alan, teamRoomId);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const cookie = await cookieFor(users.ada);
    for (const [frame, expected] of [[Buffer.from([0, 2, 200, 1, 2, 3]), CLOSE.malformed], [Buffer.from([9, 9, 9]), CLOSE.malformed], [Buffer.alloc(70 * 1024, 1), 1009]] as const) {
      const raw = new WebSocket(`${url}/collab/${teamRoomId}`, { headers: { cookie } });
      await new Promise((r) => raw.once("open", r));
      const closed = new Promise<number>((resolve) => raw.once("close", (code) => resolve(code)));
      raw.send(frame);
      expect(await closed).toBe(expected);
    }
    a.text.insert(0, "# after the bad frames\n");
    await expect.poll(() => b.text.toString().includes("# after the bad frames")).toBe(true);
    a.provider.destroy();
    b.provider.destroy();
  });

  it("writes behind: many edits become few database writes, flushed when the last client leaves, and reload from the database", async () => {
    const a = await connect(users.ada, teamRoomId);
    await synced(a.provider);
    await settle(400);
    const before = await db.yUpdate.count({ where: { roomId: teamRoomId } });
    const typingStarted = Date.now();
    for (let i = 0; i < 40; i++) {
      a.text.insert(a.text.length, `x${i} `);
      await settle(10);
    }
    const finalText = a.text.toString();
    const typingMs = Date.now() - typingStarted;
    a.provider.destroy();
    await expect.poll(async () => {
      const stored = await loadRoomState(db, teamRoomId);
      const doc = new Y.Doc();
      if (stored) Y.applyUpdate(doc, stored);
      return doc.getText("code").toString();
    }).toBe(finalText);
    const writes = (await db.yUpdate.count({ where: { roomId: teamRoomId } })) - before;
    expect(writes).toBeGreaterThan(0);
    // At most one write per 0.3 s window while typing (40 edits, ~0.5 s when the machine is idle), plus the final flush.
    expect(writes).toBeLessThanOrEqual(Math.ceil(typingMs / 300) + 1);
    expect(writes).toBeLessThan(10);

    await collab.documents.close(); // unload everything: the next client is served from the database
    const fresh = await connect(users.alan, teamRoomId);
    await synced(fresh.provider);
    expect(fresh.text.toString()).toBe(finalText);
    fresh.provider.destroy();
  });

  it("closes a client that would grow the document past its limit, and keeps the room usable", async () => {
    const a = await connect(users.ada, teamRoomId);
    await synced(a.provider);
    const cookie = await cookieFor(users.alan);
    const raw = new WebSocket(`${url}/collab/${teamRoomId}`, { headers: { cookie } });
    await new Promise((r) => raw.once("open", r));
    const closed = new Promise<number>((resolve) => raw.once("close", (code) => resolve(code)));
    const flood = new Y.Doc();
    let code: number | undefined;
    raw.once("close", (c) => (code = c));
    for (let i = 0; i < 5 && code === undefined; i++) {
      const before = Y.encodeStateVector(flood);
      flood.getText("code").insert(0, "x".repeat(50 * 1024));
      const update = Y.encodeStateAsUpdate(flood, before); // 50 KiB each: under the frame limit
      raw.send(Buffer.concat([Buffer.from([0, 2]), encodeVarBytes(update)]));
      await settle(100);
    }
    expect(await closed).toBe(CLOSE.documentTooLarge);
    a.text.insert(0, "# still fine\n");
    await expect.poll(() => a.text.toString().startsWith("# still fine")).toBe(true);
    a.provider.destroy();
  });

  it("restores an earlier version as a new change that every client receives, keeping history", async () => {
    const a = await connect(users.ada, teamRoomId);
    const b = await connect(users.alan, teamRoomId);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    a.text.delete(0, a.text.length);
    a.text.insert(0, "version one\n");
    await expect.poll(() => b.text.toString()).toBe("version one\n");
    const saved = await collab.snapshot(teamRoomId, "MANUAL", users.ada.id);
    b.text.insert(b.text.length, "a mistake\n");
    await expect.poll(() => a.text.toString()).toBe("version one\na mistake\n");

    expect(await collab.restore(teamRoomId, "not-a-version", users.alan.id)).toBe("no such version");
    expect(a.text.toString()).toBe("version one\na mistake\n");
    expect(await collab.restore(teamRoomId, saved.id, users.alan.id)).toBe("restored");
    await expect.poll(() => a.text.toString()).toBe("version one\n");
    await expect.poll(() => b.text.toString()).toBe("version one\n");
    const kinds = (await db.snapshot.findMany({ where: { roomId: teamRoomId }, orderBy: { createdAt: "asc" }, select: { reason: true, activeUserIds: true } }));
    expect(kinds.map((k) => k.reason)).toEqual(expect.arrayContaining(["MANUAL", "RESTORE"]));
    expect(kinds.find((k) => k.reason === "MANUAL")?.activeUserIds.sort()).toEqual([]); // providers here announce no user
    a.provider.destroy();
    b.provider.destroy();
  });

  it("keeps a version automatically after a stretch of editing", async () => {
    const a = await connect(users.ada, teamRoomId);
    await synced(a.provider);
    a.provider.awareness.setLocalStateField("user", { id: users.ada.id, name: "Ada" });
    const before = await db.snapshot.count({ where: { roomId: teamRoomId, reason: "INTERVAL" } });
    for (let i = 0; i < 8; i++) {
      a.text.insert(a.text.length, `line ${i}\n`);
      await settle(200);
    }
    await expect.poll(() => db.snapshot.count({ where: { roomId: teamRoomId, reason: "INTERVAL" } })).toBeGreaterThan(before);
    const latest = await db.snapshot.findFirstOrThrow({ where: { roomId: teamRoomId, reason: "INTERVAL" }, orderBy: { createdAt: "desc" } });
    expect(latest.activeUserIds).toEqual([users.ada.id]);
    a.provider.destroy();
  });

  it("lets guests in through share links: an edit link edits, a read link only watches; bad, revoked and expired links are refused", async () => {
    const editLink = await createShareLink(teamRoomId, users.ada.id, { mode: "EDIT", expiresIn: "1d" });
    const readLink = await createShareLink(teamRoomId, users.ada.id, { mode: "READ", expiresIn: "never" });
    const grace = { cookie: await guestCookie("Grace") };
    const ada = await connect(users.ada, teamRoomId);
    const editor = await connect(grace, teamRoomId, { share: editLink.token });
    const watcher = await connect({ cookie: await guestCookie("Watcher") }, teamRoomId, { share: readLink.token });
    await Promise.all([synced(ada.provider), synced(editor.provider), synced(watcher.provider)]);
    editor.text.insert(0, "# from a guest\n");
    watcher.text.insert(0, "# from a watcher\n");
    await expect.poll(() => ada.text.toString().startsWith("# from a guest\n")).toBe(true);
    await expect.poll(() => watcher.text.toString().includes("# from a guest")).toBe(true);
    await settle(300);
    expect(ada.text.toString()).not.toContain("# from a watcher");

    // No guest name yet, someone else's room, a made-up token, an outsider without a link.
    expect(await refusal(null, teamRoomId, `?share=${editLink.token}`)).toEqual({ code: CLOSE.unauthenticated, reason: "Choose a display name to join this room" });
    expect((await refusal(grace, teamRoomId, `?share=${"x".repeat(32)}`)).reason).toBe("This share link is not valid");
    expect((await refusal(users.outsider, teamRoomId)).code).toBe(CLOSE.forbidden);
    const { assignment } = await db.room.findUniqueOrThrow({ where: { id: teamRoomId }, select: { assignment: { select: { groupId: true, challengeId: true } } } });
    const solo = await makeAssignment(users.teacher, assignment.groupId, assignment.challengeId, { mode: "INDIVIDUAL" });
    const otherRoom = await db.room.findFirstOrThrow({ where: { assignmentId: solo.id } });
    expect((await refusal(grace, otherRoom.id, `?share=${editLink.token}`)).code).toBe(CLOSE.forbidden);

    // Revoking closes what the link opened, and nobody gets in with it again.
    const closed = new Promise<number>((resolve) => editor.provider.once("connection-close", (event: { code: number } | null) => resolve(event?.code ?? 0)));
    const revoked = await revokeShareLink(teamRoomId, (await db.shareLink.findUniqueOrThrow({ where: { token: editLink.token } })).id);
    expect(revoked).not.toBeNull();
    collab.closeShareLink(revoked!);
    expect(await closed).toBe(CLOSE.forbidden);
    editor.provider.destroy();
    expect(await refusal(grace, teamRoomId, `?share=${editLink.token}`)).toEqual({ code: CLOSE.forbidden, reason: "This share link was revoked" });
    await db.shareLink.update({ where: { token: readLink.token }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await refusal(grace, teamRoomId, `?share=${readLink.token}`)).toEqual({ code: CLOSE.forbidden, reason: "This share link has expired" });
    for (const c of [ada, watcher]) c.provider.destroy();
  });

  it("counts connections, applied and dropped updates, and closes by reason in /metrics", async () => {
    const text = await registry.metrics();
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? NaN);
    expect(value("chalkroom_collab_updates_applied_total")).toBeGreaterThan(40);
    expect(value("chalkroom_collab_updates_dropped_total")).toBeGreaterThan(0);
    expect(text).toMatch(/chalkroom_collab_closed_total\{reason="malformed"\} 2/);
    expect(text).toMatch(/chalkroom_collab_closed_total\{reason="document-size"\} 1/);
    expect(text).toContain("chalkroom_collab_flush_seconds_count");
  });
});

/** lib0's var-length byte array: the length as a varUint, then the bytes. */
function encodeVarBytes(bytes: Uint8Array): Buffer {
  const length: number[] = [];
  let n = bytes.length;
  while (n > 0x7f) {
    length.push(0x80 | (n & 0x7f));
    n >>>= 7;
  }
  length.push(n);
  return Buffer.concat([Buffer.from(length), Buffer.from(bytes)]);
}
