// The whiteboard's sync with real tldraw stores in Node, over two Yjs documents joined directly (the
// collaboration server's part is in server/collab/whiteboard.test.ts).
import { createBindingId, createShapeId, type TLRecord, type TLShape, type TLStore } from "tldraw";
import { afterEach, describe, expect, it } from "vitest";
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as Y from "yjs";
import { WHITEBOARD_RECORDS } from "~/utils/room-document.ts";
import { arrowBetween, boardStore, mountEditorOn, rectangle, shapesOf, stroke } from "../../tests/whiteboard-fixtures.ts";
import { checkRemoteRecord, PRESENCE_FIELD, syncPresence, syncWhiteboard } from "./whiteboard-sync.ts";

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

/** Two visitors' documents, each update passed straight to the other (as the server would). */
function twoDocuments() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on("update", (update: Uint8Array, origin: unknown) => origin !== "peer" && Y.applyUpdate(b, update, "peer"));
  b.on("update", (update: Uint8Array, origin: unknown) => origin !== "peer" && Y.applyUpdate(a, update, "peer"));
  return [a, b] as const;
}

function board(doc: Y.Doc, name: string, publishChanges = true) {
  const store = boardStore({ id: name.toLowerCase(), name });
  const rejected: { id: string; reason: string }[] = [];
  stops.push(syncWhiteboard({ store, records: doc.getMap(WHITEBOARD_RECORDS), publishChanges, onReject: (id, reason) => rejected.push({ id, reason }) }));
  mountEditorOn(store);
  return { store, rejected };
}

const shapeIds = (store: TLStore) => Object.keys(shapesOf(store)).sort();

describe("whiteboard sync", () => {
  it("a shape drawn on one board appears on the other, and moves and disappears with it; concurrent drawings converge", async () => {
    const [docA, docB] = twoDocuments();
    const ada = board(docA, "Ada");
    const alan = board(docB, "Alan");
    ada.store.put([rectangle("box", { x: 10, y: 20 })]);
    await expect.poll(() => alan.store.get(createShapeId("box"))).toMatchObject({ x: 10, y: 20, props: { geo: "rectangle" } });

    alan.store.update(createShapeId("box"), (shape) => ({ ...shape, x: 300 }));
    await expect.poll(() => (ada.store.get(createShapeId("box")) as TLShape | undefined)?.x).toBe(300);

    // Both draw before hearing of the other's drawing.
    ada.store.put([rectangle("ada's")]);
    alan.store.put([rectangle("alan's")]);
    await expect.poll(() => shapeIds(ada.store)).toEqual([createShapeId("ada's"), createShapeId("alan's"), createShapeId("box")].sort());
    await expect.poll(() => shapesOf(alan.store)).toEqual(shapesOf(ada.store));

    ada.store.remove([createShapeId("box")]);
    await expect.poll(() => alan.store.has(createShapeId("box"))).toBe(false);
    expect(ada.rejected.concat(alan.rejected)).toEqual([]);
  });

  it("a late visitor's board loads everything already drawn", async () => {
    const [docA, docB] = twoDocuments();
    const ada = board(docA, "Ada");
    ada.store.put([rectangle("one"), rectangle("two", { x: 200, y: 0 })]);
    await expect.poll(() => docB.getMap(WHITEBOARD_RECORDS).size).toBeGreaterThanOrEqual(4); // document, page, two shapes
    const alan = board(docB, "Alan");
    expect(shapesOf(alan.store)).toEqual(shapesOf(ada.store));
  });

  it("sends a burst of changes (a stroke being drawn) as one Yjs transaction", async () => {
    const [docA, docB] = twoDocuments();
    const ada = board(docA, "Ada");
    const alan = board(docB, "Alan");
    await expect.poll(() => docB.getMap(WHITEBOARD_RECORDS).has("page:page")).toBe(true);
    let transactions = 0;
    docA.on("update", (_update: Uint8Array, origin: unknown) => void (origin !== "peer" && transactions++));
    const points: { x: number; y: number }[] = [];
    for (let i = 0; i < 30; i++) {
      points.push({ x: i * 3, y: Math.sin(i / 4) * 40 });
      ada.store.put([stroke("line", points, i === 29)]);
    }
    await expect.poll(() => (alan.store.get(createShapeId("line")) as TLShape | undefined)?.props).toMatchObject({ isComplete: true });
    expect(transactions).toBe(1);
  });

  it("a read-only visitor's board receives everything and sends nothing", async () => {
    const [docA, docB] = twoDocuments();
    const ada = board(docA, "Ada");
    const watcher = board(docB, "Teacher", false);
    ada.store.put([rectangle("shared")]);
    await expect.poll(() => watcher.store.has(createShapeId("shared"))).toBe(true);
    watcher.store.put([rectangle("scribble")]);
    await new Promise((r) => setTimeout(r, 150));
    expect(docB.getMap(WHITEBOARD_RECORDS).has(createShapeId("scribble"))).toBe(false);
    expect(ada.store.has(createShapeId("scribble"))).toBe(false);
  });

  it("rejects and reports what a peer with edit rights may not put on the board, and applies the rest of the batch", async () => {
    const [docA, docB] = twoDocuments();
    const ada = board(docA, "Ada");
    const readOnlyBefore = ada.store.get("instance:instance" as TLRecord["id"]);
    const map = docB.getMap<unknown>(WHITEBOARD_RECORDS);
    const box = rectangle("fine");
    const bad: Record<string, unknown> = {
      [createShapeId("no-props")]: { ...rectangle("no-props"), props: {} },
      [createShapeId("elsewhere")]: rectangle("somewhere-else"),
      [createShapeId("script-link")]: { ...rectangle("script-link"), props: { ...rectangle("x").props, url: "javascript:alert(1)" } },
      [createShapeId("not-a-shape")]: "<svg onload=alert(1)>",
      [createShapeId("a-number")]: 42,
      [createShapeId("huge-number")]: { ...rectangle("huge-number"), x: 10n },
      [createShapeId("image")]: { ...rectangle("image"), type: "image", props: { w: 10, h: 10, assetId: null, playing: true, url: "https://tracker.example/pixel.png", crop: null, flipX: false, flipY: false, altText: "" } },
      [createShapeId("embed")]: { ...rectangle("embed"), type: "embed", props: { w: 10, h: 10, url: "https://tracker.example/" } },
      "asset:bookmark": { id: "asset:bookmark", typeName: "asset", type: "bookmark", props: { src: "https://tracker.example/", title: "", description: "", image: "https://tracker.example/i.png", favicon: "" }, meta: {} },
      "instance:instance": { ...readOnlyBefore, isReadonly: false, isFocusMode: true },
      "user:ada": { id: "user:ada", typeName: "user", name: "Not Ada", color: "red", imageUrl: "", meta: {} },
      "instance_presence:1": { id: "instance_presence:1", typeName: "instance_presence" },
      [createShapeId("orphan")]: { ...rectangle("orphan"), parentId: createShapeId("nowhere") },
      [createShapeId("loop-1")]: { ...rectangle("loop-1"), parentId: createShapeId("loop-2") },
      [createShapeId("loop-2")]: { ...rectangle("loop-2"), parentId: createShapeId("loop-1") },
      [createShapeId("own-parent")]: { ...rectangle("own-parent"), parentId: createShapeId("own-parent") },
      [createBindingId("dangling")]: { id: createBindingId("dangling"), typeName: "binding", type: "arrow", fromId: createShapeId("fine"), toId: createShapeId("nowhere"), props: { terminal: "end", normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: "none" }, meta: {} },
    };
    docB.transact(() => {
      map.set(box.id, box);
      for (const [key, value] of Object.entries(bad)) map.set(key, value);
      map.set(createShapeId("a-yjs-type"), new Y.Map());
    });
    await expect.poll(() => ada.store.has(box.id)).toBe(true);

    expect(shapeIds(ada.store)).toEqual([box.id]);
    expect(ada.store.get("instance:instance" as TLRecord["id"])).toEqual(readOnlyBefore);
    expect(ada.store.has("user:ada" as TLRecord["id"])).toBe(false);
    expect(ada.store.has("asset:bookmark" as TLRecord["id"])).toBe(false);
    expect(ada.store.query.records("binding").get()).toEqual([]);
    const reasons = Object.fromEntries(ada.rejected.map((r) => [r.id, r.reason]));
    expect(Object.keys(reasons).sort()).toEqual([...Object.keys(bad), createShapeId("a-yjs-type")].sort());
    expect(reasons[createShapeId("elsewhere")]).toMatch(/id is not the key/);
    expect(reasons[createShapeId("script-link")]).toMatch(/invalid protocol/);
    expect(reasons[createShapeId("image")]).toMatch(/"image" shapes are not allowed/);
    expect(reasons["instance:instance"]).toMatch(/"instance" are not shared/);
    expect(reasons[createShapeId("orphan")]).toMatch(/parent .* is not on the board/);
    expect(reasons[createShapeId("loop-1")]).toMatch(/do not lead to a page/);
    expect(reasons[createBindingId("dangling")]).toMatch(/not on the board/);

    // Taking a key away that this board never accepted leaves this visitor's own records alone.
    docB.transact(() => map.delete("instance:instance"));
    expect(ada.store.has("instance:instance" as TLRecord["id"])).toBe(true);
    // Nor can a peer take away the board's last page (tldraw cannot show a board without one).
    await expect.poll(() => map.has("page:page")).toBe(true);
    docB.transact(() => map.delete("page:page"));
    expect(ada.store.has("page:page" as TLRecord["id"])).toBe(true);
    expect(ada.rejected.at(-1)).toEqual({ id: "page:page", reason: "the board's last page cannot be removed" });
  });

  it("accepts a peer's valid arrow bound to two shapes, and a shape inside a frame", async () => {
    const store = boardStore({ id: "ada", name: "Ada" });
    mountEditorOn(store);
    const frame = { ...rectangle("frame"), type: "frame", props: { w: 400, h: 300, name: "Plan", color: "black" } };
    const inFrame = { ...rectangle("in-frame"), parentId: createShapeId("frame") };
    expect(checkRemoteRecord(store, frame.id, frame)).toMatchObject({ ok: true });
    const [docA, docB] = twoDocuments();
    const ada = board(docA, "Ada");
    const map = docB.getMap<unknown>(WHITEBOARD_RECORDS);
    const [arrow, start, end] = arrowBetween("link", frame as TLShape, inFrame);
    // Children and bindings arrive before what they refer to, in the same batch.
    docB.transact(() => {
      for (const record of [start, end, arrow, inFrame, frame]) map.set(record.id, record);
    });
    await expect.poll(() => shapeIds(ada.store)).toEqual([arrow.id, frame.id, inFrame.id].sort());
    expect(ada.store.query.records("binding").get().map((b) => b.id).sort()).toEqual([start.id, end.id].sort());
    expect(ada.rejected).toEqual([]);
  });
});

describe("whiteboard presence", () => {
  function twoAwarenesses() {
    const [docA, docB] = twoDocuments();
    const a = new Awareness(docA);
    const b = new Awareness(docB);
    a.on("update", ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => origin !== "peer" && applyAwarenessUpdate(b, encodeAwarenessUpdate(a, [...added, ...updated, ...removed]), "peer"));
    b.on("update", ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => origin !== "peer" && applyAwarenessUpdate(a, encodeAwarenessUpdate(b, [...added, ...updated, ...removed]), "peer"));
    a.setLocalStateField("user", { id: "ada", name: "Ada Student", color: "hsl(10 70% 40%)" });
    b.setLocalStateField("user", { id: "alan", name: "Alan Student", color: "hsl(200 70% 40%)" });
    return { a, b };
  }

  it("shows a peer's pointer with their name and colour from awareness, and removes it when they leave the board", async () => {
    const { a, b } = twoAwarenesses();
    const ada = boardStore({ id: "ada", name: "Ada Student" });
    const alan = boardStore({ id: "alan", name: "Alan Student" });
    mountEditorOn(ada);
    mountEditorOn(alan);
    const stopAda = syncPresence({ store: ada, awareness: a, onReject: () => {} });
    stops.push(syncPresence({ store: alan, awareness: b, onReject: () => {} }));
    ada.update("pointer:pointer" as TLRecord["id"], (pointer) => ({ ...pointer, x: 123, y: 45, lastActivityTimestamp: Date.now() }));
    const adaOnAlansBoard = () => alan.query.records("instance_presence").get().find((p) => p.userName === "Ada Student");
    await expect.poll(() => adaOnAlansBoard()?.cursor).toMatchObject({ x: 123, y: 45 });
    expect(adaOnAlansBoard()).toMatchObject({ color: "hsl(10 70% 40%)", userId: "user:ada" });
    expect(ada.query.records("instance_presence").get().map((p) => p.userName)).toEqual(["Alan Student"]);
    stopAda();
    await expect.poll(() => adaOnAlansBoard()).toBeUndefined();
  });

  it("ignores a peer's presence that tldraw would not accept", async () => {
    const { a, b } = twoAwarenesses();
    const alan = boardStore({ id: "alan", name: "Alan Student" });
    mountEditorOn(alan);
    const rejected: string[] = [];
    stops.push(syncPresence({ store: alan, awareness: b, onReject: (_id, reason) => rejected.push(reason) }));
    a.setLocalStateField(PRESENCE_FIELD, { cursor: { x: "left", y: 0, type: "default", rotation: 0 }, currentPageId: "page:page" });
    await expect.poll(() => rejected.length).toBeGreaterThan(0);
    expect(alan.query.records("instance_presence").get()).toEqual([]);
  });
});
