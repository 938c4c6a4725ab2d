// Whiteboard records and stores for tests: real tldraw stores (they run in Node) and complete records as
// tldraw's own tools make them.
import { b64Vecs, createBindingId, createShapeId, createTLStore, createUserId, defaultBindingUtils, defaultShapeUtils, atom, toRichText, UserRecordType, type TLBinding, type TLShape, type TLStore } from "tldraw";

/**
 * A store like the whiteboard's in the browser. Empty, as the editor finds it; `mountEditorOn` then adds
 * what tldraw's editor adds when it mounts.
 */
export function boardStore(user: { id: string; name: string; color?: string }): TLStore {
  return createTLStore({
    shapeUtils: defaultShapeUtils,
    bindingUtils: defaultBindingUtils,
    users: { currentUser: atom("current user", UserRecordType.create({ id: createUserId(user.id), name: user.name, color: user.color ?? "#3366ff" })) },
  });
}

/** What tldraw's editor does to its store on mount: the document, a page, this visitor's session records. */
export function mountEditorOn(store: TLStore): void {
  // Public on the store at run time, left out of tldraw's published types.
  (store as unknown as { ensureStoreIsUsable(): void }).ensureStoreIsUsable();
}

/** A rectangle as the geo tool makes it, on the default page. */
export function rectangle(name: string, at: { x: number; y: number } = { x: 0, y: 0 }): TLShape {
  return {
    id: createShapeId(name),
    typeName: "shape",
    type: "geo",
    x: at.x,
    y: at.y,
    rotation: 0,
    index: "a1",
    parentId: "page:page",
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { w: 120, h: 80, geo: "rectangle", dash: "draw", growY: 0, url: "", scale: 1, flipX: false, flipY: false, color: "black", labelColor: "black", fill: "none", size: "m", font: "draw", align: "middle", verticalAlign: "middle", richText: toRichText("") },
  } as TLShape;
}

/** A freehand stroke through `points` (what the draw tool writes while the pointer moves). */
export function stroke(name: string, points: { x: number; y: number }[], isComplete = false): TLShape {
  return {
    id: createShapeId(name),
    typeName: "shape",
    type: "draw",
    x: 0,
    y: 0,
    rotation: 0,
    index: "a2",
    parentId: "page:page",
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { segments: [{ type: "free", path: b64Vecs.encodePoints(points) }], color: "black", fill: "none", dash: "draw", size: "m", isComplete, isClosed: false, isPen: false, scale: 1, scaleX: 1, scaleY: 1 },
  } as TLShape;
}

/** An arrow from one shape to another, as the arrow tool makes it: the arrow and its two bindings. */
export function arrowBetween(name: string, from: TLShape, to: TLShape): [TLShape, TLBinding, TLBinding] {
  const arrow = {
    ...rectangle(name),
    type: "arrow",
    index: "a3",
    props: { kind: "arc", elbowMidPoint: 0.5, dash: "draw", size: "m", fill: "none", color: "black", labelColor: "black", bend: 0, start: { x: 0, y: 0 }, end: { x: 100, y: 0 }, arrowheadStart: "none", arrowheadEnd: "arrow", richText: toRichText(""), labelPosition: 0.5, font: "draw", scale: 1 },
  } as TLShape;
  const binding = (terminal: "start" | "end", target: TLShape) =>
    ({ id: createBindingId(`${name}-${terminal}`), typeName: "binding", type: "arrow", fromId: arrow.id, toId: target.id, meta: {}, props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: "none" } }) as TLBinding;
  return [arrow, binding("start", from), binding("end", to)];
}

/** The shapes on a store's board, by id, as plain JSON (what a user would see drawn). */
export function shapesOf(store: TLStore): Record<string, unknown> {
  return Object.fromEntries(store.query.records("shape").get().map((s) => [s.id, JSON.parse(JSON.stringify(s))]));
}
