// The whiteboard's records live in the room's Yjs document, next to the code, as a Y.Map from record id to
// record: so the board has the room's access rule, persistence, versions and path between server instances.
// This module keeps a tldraw store and that map in step both ways, and turns Yjs awareness into tldraw's
// presence records (peers' pointers with their names). It needs no DOM: the integration tests run it in
// Node against the real collaboration server.
import { createPresenceStateDerivation, createUserId, InstancePresenceRecordType, react, type TLInstancePresence, type TLRecord, type TLStore } from "tldraw";
import type { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";

/**
 * What the shared board may hold. Only document records: never a visitor's session state (their camera,
 * selection, or whether their board is read-only). Only shapes that draw themselves: images, videos,
 * embeds and bookmarks load from other sites (a peer could make every viewer's browser call a host of
 * their choosing) or put whole files into the room's document, which is capped at 2 MiB. `user` records
 * stay local: tldraw rewrites its own user record whenever the stored copy is a different object, so two
 * tabs of one person would overwrite each other forever; names come from awareness instead.
 */
const SHARED_RECORD_TYPES: ReadonlySet<string> = new Set(["document", "page", "shape", "binding"]);
export const SHARED_SHAPE_TYPES: ReadonlySet<string> = new Set(["arrow", "draw", "frame", "geo", "group", "highlight", "line", "note", "text"]);

/** The awareness field that carries a visitor's pointer, selection and viewport on the board. */
export const PRESENCE_FIELD = "whiteboard";

/**
 * Local changes are sent at most this often. tldraw changes a shape on every pointer move while drawing;
 * the server allows 50 document updates per second per connection, and typing in the editor needs some.
 */
const SEND_INTERVAL_MS = 50;
/** Pointer positions are published at most this often. */
const PRESENCE_INTERVAL_MS = 50;
/** Deeper parent chains are refused: tldraw walks them on every render. */
const MAX_NESTING = 64;

export function isSharedRecord(record: TLRecord): boolean {
  if (!SHARED_RECORD_TYPES.has(record.typeName)) return false;
  return record.typeName !== "shape" || SHARED_SHAPE_TYPES.has(record.type);
}

export type RecordCheck = { ok: true; record: TLRecord } | { ok: false; reason: string };

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A copy made of JSON only: what Yjs decodes may carry an inherited prototype, bigints or Yjs types. */
function jsonCopy(value: unknown): unknown {
  if (value instanceof Y.AbstractType) throw new Error("a Yjs type, not a record");
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error("not JSON");
  return JSON.parse(text);
}

/**
 * Whether a value a peer put under `key` in the shared map may enter this store on its own: a plain JSON
 * record of a shared type, stored under its own id, that tldraw's schema accepts (every field, every prop,
 * URL protocols included). Whether its references hold is checked with the rest of its batch.
 */
export function checkRemoteRecord(store: TLStore, key: string, value: unknown): RecordCheck {
  let record: unknown;
  try {
    record = jsonCopy(value);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  if (!isPlainObject(record)) return { ok: false, reason: "not an object" };
  if (record.id !== key) return { ok: false, reason: "its id is not the key it is stored under" };
  const typeName = record.typeName;
  if (typeof typeName !== "string" || !SHARED_RECORD_TYPES.has(typeName)) return { ok: false, reason: `records of type ${JSON.stringify(typeName)} are not shared` };
  if (typeName === "shape" && !SHARED_SHAPE_TYPES.has(String(record.type))) return { ok: false, reason: `${JSON.stringify(record.type)} shapes are not allowed on this board` };
  try {
    return { ok: true, record: store.schema.types[typeName as TLRecord["typeName"]].validate(record) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/**
 * Why a record would break the board given the records around it (`lookup` answers with the board as it
 * will be), or null. A shape's parents must lead to a page without a cycle (tldraw walks them and would
 * never stop); a binding must join two shapes.
 */
function brokenReference(record: TLRecord, lookup: (id: string) => TLRecord | undefined): string | null {
  if (record.typeName === "binding") {
    for (const end of [record.fromId, record.toId]) if (lookup(end)?.typeName !== "shape") return `it binds ${end}, which is not on the board`;
    return null;
  }
  if (record.typeName !== "shape") return null;
  const seen = new Set<string>([record.id]);
  let parentId: string = record.parentId;
  for (let depth = 0; depth < MAX_NESTING; depth++) {
    const parent = lookup(parentId);
    if (!parent) return `its parent ${parentId} is not on the board`;
    if (parent.typeName === "page") return null;
    if (parent.typeName !== "shape" || seen.has(parent.id)) return `its parents do not lead to a page`;
    seen.add(parent.id);
    parentId = parent.parentId;
  }
  return `it is nested more than ${MAX_NESTING} deep`;
}

export interface WhiteboardSyncOptions {
  store: TLStore;
  /** The room document's whiteboard map. */
  records: Y.Map<unknown>;
  /** False for read-only visitors: their board changes nothing (the server drops their edits anyway). */
  publishChanges: boolean;
  /** A peer's record that was not applied, and why. */
  onReject(id: string, reason: string): void;
}

function documentOf(records: Y.Map<unknown>): Y.Doc {
  if (!records.doc) throw new Error("the whiteboard map must belong to a document");
  return records.doc;
}

/**
 * Loads the map into the store, then keeps them in step: peers' changes are checked and merged into the
 * store as remote changes; this visitor's changes are written to the map, batched, one Yjs transaction per
 * batch. Returns a function that stops (after sending what is pending).
 */
export function syncWhiteboard({ store, records, publishChanges, onReject }: WhiteboardSyncOptions): () => void {
  const doc = documentOf(records);
  const origin = { whiteboard: store.id };
  /** Ids this visitor changed since the last send; what is sent is the store's record at send time. */
  const pending = new Set<TLRecord["id"]>();

  function applyRemote(keys: Iterable<string>) {
    const puts = new Map<string, TLRecord>();
    const removals = new Set<TLRecord["id"]>();
    for (const key of keys) {
      if (!records.has(key)) {
        // Only what the map shares can be taken away through it (not this visitor's own session records).
        const existing = store.get(key as TLRecord["id"]);
        if (existing && isSharedRecord(existing)) removals.add(existing.id);
        continue;
      }
      const check = checkRemoteRecord(store, key, records.get(key));
      if (check.ok) puts.set(key, check.record);
      else onReject(key, check.reason);
    }
    // tldraw cannot show a board without a page (its own menu never deletes the last one).
    const removedPages = [...removals].filter((id) => id.startsWith("page:"));
    if (removedPages.length && [...store.query.ids("page").get()].every((id) => removals.has(id)) && ![...puts.values()].some((r) => r.typeName === "page")) {
      for (const id of removedPages) {
        removals.delete(id);
        onReject(id, "the board's last page cannot be removed");
      }
    }
    const lookup = (id: string) => puts.get(id) ?? (removals.has(id as TLRecord["id"]) ? undefined : store.get(id as TLRecord["id"]));
    // Refusing one record can break the references of another: repeat until nothing changes.
    for (let refused = true; refused; ) {
      refused = false;
      for (const [id, record] of puts) {
        const broken = brokenReference(record, lookup);
        if (!broken) continue;
        puts.delete(id);
        onReject(id, broken);
        refused = true;
      }
    }
    // A peer's word on a record replaces what was waiting to be sent for it; a refused one does not, so
    // this visitor's next send puts their valid copy back in place of the junk.
    for (const id of [...puts.keys(), ...removals]) pending.delete(id as TLRecord["id"]);
    if (!puts.size && !removals.size) return;
    try {
      store.mergeRemoteChanges(() => {
        if (removals.size) store.remove([...removals]);
        if (puts.size) store.put([...puts.values()]);
      });
    } catch (error) {
      // Valid records that tldraw still could not take: say so rather than break the connection's handler.
      onReject([...puts.keys(), ...removals].join(", "), (error as Error).message);
    }
  }

  function send() {
    timer = undefined;
    lastSent = Date.now();
    if (!pending.size) return;
    const ids = [...pending];
    pending.clear();
    doc.transact(() => {
      for (const id of ids) {
        const record = store.get(id);
        if (record && isSharedRecord(record)) records.set(id, record);
        else if (!record && records.has(id)) records.delete(id);
      }
    }, origin);
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSent = 0;
  const schedule = () => {
    timer ??= setTimeout(send, Math.max(0, lastSent + SEND_INTERVAL_MS - Date.now()));
  };

  applyRemote(records.keys());
  const onMapChange = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
    if (transaction.origin !== origin) applyRemote(event.keysChanged);
  };
  records.observe(onMapChange);
  const stopListening = publishChanges
    ? store.listen(
        ({ changes }) => {
          for (const id of [...Object.keys(changes.added), ...Object.keys(changes.updated), ...Object.keys(changes.removed)]) pending.add(id as TLRecord["id"]);
          schedule();
        },
        { source: "user", scope: "document" },
      )
    : () => {};

  return () => {
    stopListening();
    records.unobserve(onMapChange);
    clearTimeout(timer);
    send();
  };
}

export interface PresenceSyncOptions {
  store: TLStore;
  /** The room's awareness, whose states carry `user: {id, name, color}`. */
  awareness: Awareness;
  onReject(id: string, reason: string): void;
}

/**
 * Publishes this visitor's pointer, selection and viewport in awareness, and shows every other visitor's
 * as tldraw presence records, named and coloured as in the rest of the room. Returns a function that
 * stops and withdraws this visitor's pointer.
 */
export function syncPresence({ store, awareness, onReject }: PresenceSyncOptions): () => void {
  const $presence = createPresenceStateDerivation(store.props.users.currentUser)(store);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPublished = 0;
  const publish = () => {
    timer = undefined;
    lastPublished = Date.now();
    const presence = $presence.get();
    if (!presence) return awareness.setLocalStateField(PRESENCE_FIELD, null);
    // Who this is travels in awareness' `user` field already; the receivers take it from there.
    const { id: _id, typeName: _typeName, userId: _userId, userName: _userName, color: _color, ...shared } = presence;
    awareness.setLocalStateField(PRESENCE_FIELD, shared);
  };
  const stopReacting = react("publish whiteboard presence", () => {
    $presence.get();
    timer ??= setTimeout(publish, Math.max(0, lastPublished + PRESENCE_INTERVAL_MS - Date.now()));
  });

  const recordIdOf = (clientId: number) => InstancePresenceRecordType.createId(String(clientId));
  /** A peer's presence record from their awareness state, or null when they are not on the board. */
  function presenceOf(clientId: number, state: Record<string, unknown> | undefined): TLInstancePresence | null {
    const user = state?.user;
    const shared = state?.[PRESENCE_FIELD];
    if (!isPlainObject(user) || !isPlainObject(shared)) return null;
    try {
      const candidate = { ...(jsonCopy(shared) as object), typeName: "instance_presence", id: recordIdOf(clientId), userId: createUserId(String(user.id)), userName: String(user.name), color: String(user.color) };
      return InstancePresenceRecordType.validate(candidate);
    } catch (error) {
      onReject(recordIdOf(clientId), (error as Error).message);
      return null;
    }
  }

  function showPeers(clientIds: number[]) {
    const states = awareness.getStates();
    const puts: TLInstancePresence[] = [];
    const removals: TLInstancePresence["id"][] = [];
    for (const clientId of clientIds) {
      if (clientId === awareness.clientID) continue;
      const presence = presenceOf(clientId, states.get(clientId));
      if (presence) puts.push(presence);
      else if (store.has(recordIdOf(clientId))) removals.push(recordIdOf(clientId));
    }
    if (!puts.length && !removals.length) return;
    store.mergeRemoteChanges(() => {
      if (removals.length) store.remove(removals);
      if (puts.length) store.put(puts);
    });
  }

  const onAwarenessChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => showPeers([...added, ...updated, ...removed]);
  awareness.on("change", onAwarenessChange);
  showPeers([...awareness.getStates().keys()]);

  return () => {
    stopReacting();
    clearTimeout(timer);
    awareness.off("change", onAwarenessChange);
    awareness.setLocalStateField(PRESENCE_FIELD, null);
    const shown = store.query.ids("instance_presence").get();
    if (shown.size) store.mergeRemoteChanges(() => store.remove([...shown]));
  };
}
