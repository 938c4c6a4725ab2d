// The whiteboard through the real collaboration endpoint: stock y-websocket providers in Node, each with a
// real tldraw store kept in step by the browser's own sync module, with real sessions and database.
import { createServer } from "node:http";
import { createShapeId, type TLShape, type TLStore } from "tldraw";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { syncPresence, syncWhiteboard } from "~/components/whiteboard-sync.ts";
import { roomVisitorAccess } from "~/models/access.server.ts";
import { roomExists, roomStarterCode } from "~/models/room.server.ts";
import { db } from "~/utils/db.server.ts";
import { WHITEBOARD_RECORDS } from "~/utils/room-document.ts";
import { startSession, type SessionUser } from "~/utils/session.server.ts";
import { visitorFromCookieHeader } from "~/utils/visitor.server.ts";
import { joinAs, makeAssignment, makeChallenge, makeGroup, makeUser } from "../../tests/fixtures.ts";
import { boardStore, mountEditorOn, rectangle, shapesOf, stroke } from "../../tests/whiteboard-fixtures.ts";
import { attachCollab, type Collab } from "./index.ts";
import { connectRoomBus } from "./room-bus.ts";

const MAX_DOCUMENT_BYTES = 160 * 1024;

let instance: Awaited<ReturnType<typeof startInstance>>;
let collab: Collab;
let url: string;
let users: { teacher: SessionUser; ada: SessionUser; alan: SessionUser };
let groupId: string;
let challengeId: string;
const open: WebsocketProvider[] = [];

/** A new team room for Ada and Alan, so each test starts from an empty board. */
async function newRoom(): Promise<string> {
  const assignment = await makeAssignment(users.teacher, groupId, challengeId, { mode: "TEAM", teamSize: 2 });
  return (await db.room.findFirstOrThrow({ where: { assignmentId: assignment.id } })).id;
}

/** An HTTP server with the collaboration endpoint, as an app instance has; `url` is its ws:// address. */
async function startInstance(options: Partial<Parameters<typeof attachCollab>[1]> = {}) {
  const server = createServer();
  const endpoint = attachCollab(server, { db, authenticate: visitorFromCookieHeader, roomExists, access: roomVisitorAccess, initialCode: roomStarterCode, flushWindowMs: 200, limits: { maxDocumentBytes: MAX_DOCUMENT_BYTES }, ...options });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    collab: endpoint,
    url: `ws://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    async close() {
      await endpoint.close();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A stock provider whose socket carries `user`'s session cookie, announcing them in awareness as the app does. */
async function connect(user: SessionUser, roomId: string, params: Record<string, string> = {}, serverUrl = url) {
  const cookie = (await startSession(user.id)).split(";")[0];
  class SessionSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${serverUrl}/collab`, roomId, doc, { WebSocketPolyfill: SessionSocket as never, params, disableBc: true, maxBackoffTime: 200 });
  provider.awareness.setLocalStateField("user", { id: user.id, name: user.name, color: "hsl(200 70% 40%)" });
  open.push(provider);
  await new Promise<void>((resolve) => (provider.synced ? resolve() : provider.once("sync", () => resolve())));
  return { doc, provider, records: doc.getMap<unknown>(WHITEBOARD_RECORDS) };
}

/** A visitor with the whiteboard open: a connection, a tldraw store in step with it, what it refused. */
async function openBoard(user: SessionUser, roomId: string, options: { readonly?: boolean; publishChanges?: boolean; serverUrl?: string } = {}) {
  const connection = await connect(user, roomId, options.readonly ? { readonly: "1" } : {}, options.serverUrl);
  const store = boardStore(user);
  const rejected: string[] = [];
  syncWhiteboard({ store, records: connection.records, publishChanges: options.publishChanges ?? true, onReject: (id) => rejected.push(id) });
  mountEditorOn(store);
  return { ...connection, store, rejected };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const shape = (store: TLStore, name: string) => store.get(createShapeId(name)) as TLShape | undefined;

beforeAll(async () => {
  users = { teacher: await makeUser("TEACHER"), ada: await makeUser("STUDENT", "Ada"), alan: await makeUser("STUDENT", "Alan") };
  const group = await makeGroup(users.teacher);
  await joinAs(users.ada, group);
  await joinAs(users.alan, group);
  groupId = group.id;
  challengeId = (await makeChallenge(users.teacher)).id;
  instance = await startInstance();
  collab = instance.collab;
  url = instance.url;
});

afterAll(async () => {
  for (const provider of open) provider.destroy();
  await instance.close();
});

describe("whiteboard over the collaboration endpoint", () => {
  it("two clients' boards converge both ways, concurrent drawings included; a late visitor and a reload from the database see the same board", async () => {
    const roomId = await newRoom();
    const ada = await openBoard(users.ada, roomId);
    const alan = await openBoard(users.alan, roomId);
    ada.store.put([rectangle("ada's box", { x: 0, y: 0 })]);
    await expect.poll(() => shape(alan.store, "ada's box")?.x).toBe(0);
    alan.store.update(createShapeId("ada's box"), (s) => ({ ...s, x: 250 }));
    await expect.poll(() => shape(ada.store, "ada's box")?.x).toBe(250);

    // Both draw before hearing of each other; then both change the same shape at once.
    ada.store.put([stroke("ada's line", [{ x: 0, y: 0 }, { x: 40, y: 30 }, { x: 80, y: 10 }], true)]);
    alan.store.put([rectangle("alan's box", { x: 0, y: 300 })]);
    ada.store.update(createShapeId("ada's box"), (s) => ({ ...s, y: 111 }));
    alan.store.update(createShapeId("ada's box"), (s) => ({ ...s, y: 222 }));
    await expect.poll(() => Object.keys(shapesOf(ada.store)).length).toBe(3);
    await expect.poll(() => shapesOf(alan.store)).toEqual(shapesOf(ada.store));

    alan.store.remove([createShapeId("alan's box")]);
    await expect.poll(() => shape(ada.store, "alan's box")).toBeUndefined();
    const board = shapesOf(ada.store);
    expect(Object.keys(board).length).toBe(2);

    const late = await openBoard(users.teacher, roomId);
    expect(shapesOf(late.store)).toEqual(board);

    for (const c of [ada, alan, late]) c.provider.destroy();
    await expect.poll(() => collab.connectionCount()).toBe(0);
    await collab.documents.close(); // unload everything: the next visitor is served from the database
    const afterReload = await openBoard(users.ada, roomId);
    expect(shapesOf(afterReload.store)).toEqual(board);
    expect([...ada.rejected, ...alan.rejected, ...late.rejected, ...afterReload.rejected]).toEqual([]);
    afterReload.provider.destroy();
  });

  it("a read-only visitor sees the board live, and what their board sends reaches nobody", async () => {
    const roomId = await newRoom();
    const ada = await openBoard(users.ada, roomId);
    // A tampered client that sends its changes anyway: the server drops them.
    const watcher = await openBoard(users.teacher, roomId, { readonly: true, publishChanges: true });
    ada.store.put([rectangle("for everyone")]);
    await expect.poll(() => shape(watcher.store, "for everyone")).toBeDefined();
    watcher.store.put([rectangle("teacher's scribble")]);
    watcher.store.remove([createShapeId("for everyone")]);
    await settle(400);
    expect(shape(ada.store, "for everyone")).toBeDefined();
    expect(shape(ada.store, "teacher's scribble")).toBeUndefined();
    const late = await openBoard(users.alan, roomId);
    expect(Object.keys(shapesOf(late.store))).toEqual([createShapeId("for everyone")]);
    for (const c of [ada, watcher, late]) c.provider.destroy();
  });

  it("a peer with edit rights who writes junk into the map gets it refused by the others' boards, which keep working", async () => {
    const roomId = await newRoom();
    const ada = await openBoard(users.ada, roomId);
    const mallory = await connect(users.alan, roomId); // a stock client with edit rights and no tldraw at all
    mallory.doc.transact(() => {
      mallory.records.set(createShapeId("broken"), { ...rectangle("broken"), props: { geo: "rectangle" } });
      mallory.records.set("instance:instance", { id: "instance:instance", typeName: "instance", isReadonly: false });
      mallory.records.set(createShapeId("tracker"), { ...rectangle("tracker"), type: "image", props: { url: "https://tracker.example/pixel.png" } });
      mallory.records.set(createShapeId("loop"), { ...rectangle("loop"), parentId: createShapeId("loop") });
    });
    await expect.poll(() => ada.rejected.sort()).toEqual([createShapeId("broken"), createShapeId("loop"), createShapeId("tracker"), "instance:instance"].sort());
    expect(Object.keys(shapesOf(ada.store))).toEqual([]);
    mallory.records.set(createShapeId("fine"), rectangle("fine"));
    await expect.poll(() => shape(ada.store, "fine")).toBeDefined();
    ada.store.put([rectangle("ada still draws")]);
    await expect.poll(() => mallory.records.has(createShapeId("ada still draws"))).toBe(true);
    for (const c of [ada, mallory]) c.provider.destroy();
  });

  it("shows each visitor's pointer to the others with their name, through the server, until they leave", async () => {
    const roomId = await newRoom();
    const ada = await openBoard(users.ada, roomId);
    const alan = await openBoard(users.alan, roomId);
    syncPresence({ store: ada.store, awareness: ada.provider.awareness, onReject: () => {} });
    syncPresence({ store: alan.store, awareness: alan.provider.awareness, onReject: () => {} });
    alan.store.update("pointer:pointer" as TLShape["id"], (pointer) => ({ ...pointer, x: 640, y: 360, lastActivityTimestamp: Date.now() }) as never);
    const alanSeenByAda = () => ada.store.query.records("instance_presence").get().find((p) => p.userName === "Alan");
    await expect.poll(() => alanSeenByAda()?.cursor).toMatchObject({ x: 640, y: 360 });
    alan.provider.destroy();
    await expect.poll(() => alanSeenByAda()).toBeUndefined();
    ada.provider.destroy();
  });

  it("boards of visitors on two server instances sharing Redis converge, pointers included", async () => {
    const redisUrl = process.env.TEST_REDIS_URL;
    if (!redisUrl) throw new Error("TEST_REDIS_URL is not set: run with `npm test`, which starts Redis");
    const buses = await Promise.all([connectRoomBus(redisUrl, () => {}), connectRoomBus(redisUrl, () => {})]);
    const [first, second] = await Promise.all(buses.map((bus) => startInstance({ bus })));
    const roomId = await newRoom();
    const ada = await openBoard(users.ada, roomId, { serverUrl: first.url });
    const alan = await openBoard(users.alan, roomId, { serverUrl: second.url });
    syncPresence({ store: ada.store, awareness: ada.provider.awareness, onReject: () => {} });
    ada.store.put([rectangle("across instances")]);
    alan.store.put([stroke("from the other side", [{ x: 0, y: 0 }, { x: 50, y: 50 }], true)]);
    await expect.poll(() => Object.keys(shapesOf(alan.store)).length).toBe(2);
    await expect.poll(() => shapesOf(ada.store)).toEqual(shapesOf(alan.store));
    syncPresence({ store: alan.store, awareness: alan.provider.awareness, onReject: () => {} });
    alan.store.update("pointer:pointer" as TLShape["id"], (pointer) => ({ ...pointer, x: 12, y: 34, lastActivityTimestamp: Date.now() }) as never);
    await expect.poll(() => ada.store.query.records("instance_presence").get().find((p) => p.userName === "Alan")?.cursor).toMatchObject({ x: 12, y: 34 });
    for (const c of [ada, alan]) c.provider.destroy();
    await Promise.all([first.close(), second.close()]);
    await Promise.all(buses.map((bus) => bus.close()));
  });

  it("a long drawing session, each stroke rewritten as it grows, stays within the document limit it really uses", async () => {
    const roomId = await newRoom();
    const ada = await openBoard(users.ada, roomId);
    const alan = await openBoard(users.alan, roomId);
    let closedFor: number | undefined;
    ada.provider.on("connection-close", (event: { code: number } | null) => void (event && event.code >= 4000 && (closedFor = event.code)));
    let sentBytes = 0;
    ada.doc.on("update", (update: Uint8Array, origin: unknown) => void (origin !== ada.provider && (sentBytes += update.length)));
    const strokes = 10;
    for (let n = 0; n < strokes; n++) {
      const points: { x: number; y: number }[] = [];
      for (let i = 0; i < 240; i++) {
        points.push({ x: i * 2, y: n * 30 + Math.sin(i / 10) * 12 });
        ada.store.put([stroke(`stroke ${n}`, points, i === 239)]);
        if (i % 12 === 11) await settle(55); // the pointer keeps moving while the strokes are sent
      }
    }
    await expect.poll(() => Object.keys(shapesOf(alan.store)).length, { timeout: 10_000 }).toBe(strokes);
    await expect.poll(() => shapesOf(alan.store)).toEqual(shapesOf(ada.store));
    const documentBytes = Y.encodeStateAsUpdate(ada.doc).length;
    console.info(JSON.stringify({ strokes, pointsPerStroke: 240, sentUpdateBytes: sentBytes, documentBytes }));
    expect(sentBytes).toBeGreaterThan(MAX_DOCUMENT_BYTES); // what a sum of updates would have counted
    expect(documentBytes).toBeLessThan(MAX_DOCUMENT_BYTES / 2);
    expect(closedFor).toBeUndefined();
    for (const c of [ada, alan]) c.provider.destroy();
  }, 90_000);
});
