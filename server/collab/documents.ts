// Room documents in memory: loaded before their first sync is answered, written behind (at most once per
// flush window, and at once when the last client leaves or the server stops), unloaded when idle.
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from "y-protocols/awareness";
import * as Y from "yjs";
import type { Db } from "~/utils/db.server.ts";
import { CODE_TEXT } from "~/utils/room-document.ts";
import { collabMetrics } from "../metrics.ts";
import { appendRoomUpdate, loadRoomState, saveSnapshot } from "./persistence.ts";
import { BUS, type BusKind, type RoomBus } from "./room-bus.ts";

/** The origin of changes that came from another server instance (not sent back out). */
const REMOTE = "remote";

export interface RoomDocument {
  roomId: string;
  doc: Y.Doc;
  awareness: Awareness;
  connections: number;
  /** The encoded size when last measured (or loaded) plus every update applied since: an upper bound. */
  sizeBytes: number;
}

interface Entry extends RoomDocument {
  pending: Uint8Array[];
  lastFlush: number;
  lastSnapshot: number;
  flushTimer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout;
  flushing: Promise<void>;
  fromBus: (kind: BusKind, payload: Uint8Array) => void;
}

export interface RoomDocumentsOptions {
  db: Db;
  flushWindowMs?: number;
  idleUnloadMs?: number;
  /** A snapshot is kept after this much time with edits in it (5 minutes). */
  snapshotEveryMs?: number;
  /** Text a room starts with the first time it is opened (the challenge's starter code). */
  initialCode(roomId: string): Promise<string>;
  onFlushError?(roomId: string, error: unknown): void;
  /** Other instances serving the same rooms (Redis); without it, rooms live in this process only. */
  bus?: RoomBus;
}

export class RoomDocuments {
  private entries = new Map<string, Promise<Entry>>();
  private readonly flushWindowMs: number;
  private readonly idleUnloadMs: number;
  private readonly snapshotEveryMs: number;

  constructor(private readonly options: RoomDocumentsOptions) {
    this.flushWindowMs = options.flushWindowMs ?? 2_000;
    this.idleUnloadMs = options.idleUnloadMs ?? 30_000;
    this.snapshotEveryMs = options.snapshotEveryMs ?? 5 * 60_000;
    // After an outage of Redis, ask the other instances for whatever was missed meanwhile.
    options.bus?.onReconnect(() => {
      for (const loading of this.entries.values()) void loading.then((entry) => this.requestSync(entry), () => {});
    });
  }

  /** Who is in the room now, by the user ids their clients announce. */
  static activeUserIds(room: RoomDocument): string[] {
    const ids: string[] = [];
    room.awareness.getStates().forEach((state) => {
      const id = (state.user as { id?: unknown } | undefined)?.id;
      if (typeof id === "string") ids.push(id);
    });
    return ids;
  }

  /** Stores the document as it is now, as a version in the room's history. */
  async snapshot(room: RoomDocument, reason: "INTERVAL" | "SUBMISSION" | "RESTORE" | "MANUAL", takenById?: string) {
    (room as Entry).lastSnapshot = Date.now();
    return saveSnapshot(this.options.db, room.roomId, Y.encodeStateAsUpdate(room.doc), reason, RoomDocuments.activeUserIds(room), takenById);
  }

  /**
   * The document's encoded size now, which becomes its running size. That running size only grows (by each
   * update), while a whiteboard rewrites the same records over and over: measure before refusing a change.
   */
  measure(room: RoomDocument): number {
    room.sizeBytes = Y.encodeStateAsUpdate(room.doc).length;
    return room.sizeBytes;
  }

  get loadedCount() {
    return this.entries.size;
  }

  /** The room's document, loaded from the database first; counts a connection until `release`. */
  async acquire(roomId: string): Promise<RoomDocument> {
    let loading = this.entries.get(roomId);
    if (!loading) {
      loading = this.load(roomId);
      this.entries.set(roomId, loading);
      loading.catch(() => this.entries.delete(roomId));
    }
    const entry = await loading;
    clearTimeout(entry.idleTimer);
    entry.connections++;
    return entry;
  }

  async release(room: RoomDocument, awarenessClients: number[]): Promise<void> {
    const entry = room as Entry;
    entry.connections--;
    if (awarenessClients.length) removeAwarenessStates(entry.awareness, awarenessClients, "disconnect");
    if (entry.connections > 0) return;
    await this.flush(entry);
    entry.idleTimer = setTimeout(() => void this.unload(entry), this.idleUnloadMs);
  }

  private async load(roomId: string): Promise<Entry> {
    const doc = new Y.Doc({ gc: true });
    const bus = this.options.bus;
    // Subscribed before reading the database, so nothing another instance sends in between is missed.
    let receive: ((kind: BusKind, payload: Uint8Array) => void) | undefined;
    const early: [BusKind, Uint8Array][] = [];
    const fromBus = (kind: BusKind, payload: Uint8Array) => (receive ? receive(kind, payload) : void early.push([kind, payload]));
    await bus?.join(roomId, fromBus);
    const stored = await loadRoomState(this.options.db, roomId).catch(async (error) => {
      await bus?.leave(roomId, fromBus).catch(() => {});
      throw error;
    });
    let sizeBytes = stored?.length ?? 0;
    if (stored) {
      Y.applyUpdate(doc, stored, "database");
    } else {
      const initial = new Y.Doc();
      initial.getText(CODE_TEXT).insert(0, (await this.options.initialCode(roomId)).replace(/\r\n?/g, "\n"));
      const update = Y.encodeStateAsUpdate(initial);
      // Stored before anyone syncs, so every instance and reload starts from the same first text.
      await appendRoomUpdate(this.options.db, roomId, update);
      Y.applyUpdate(doc, update, "database");
      sizeBytes = update.length;
    }
    const entry: Entry = { roomId, doc, awareness: new Awareness(doc), connections: 0, sizeBytes, pending: [], lastFlush: 0, lastSnapshot: Date.now(), flushing: Promise.resolve(), fromBus };
    collabMetrics.loadedDocuments.inc();
    entry.awareness.setLocalState(null); // the server has no cursor
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === "database") return;
      entry.sizeBytes += update.length;
      // Changes from other instances are stored here too: if their instance dies before its next write,
      // they survive in this one (Yjs merges the duplicates away).
      entry.pending.push(update);
      this.schedule(entry);
      if (origin !== REMOTE) bus?.publish(roomId, BUS.update, update);
    });
    if (bus) {
      entry.awareness.on("update", ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        if (origin !== REMOTE) bus.publish(roomId, BUS.awareness, encodeAwarenessUpdate(entry.awareness, [...added, ...updated, ...removed]));
      });
      receive = (kind, payload) => this.receive(entry, kind, payload);
      for (const [kind, payload] of early) receive(kind, payload);
      this.requestSync(entry);
    }
    return entry;
  }

  /** Asks the other instances for the changes this one lacks (and their presence). */
  private requestSync(entry: Entry) {
    this.options.bus?.publish(entry.roomId, BUS.syncRequest, Y.encodeStateVector(entry.doc));
  }

  private receive(entry: Entry, kind: BusKind, payload: Uint8Array) {
    try {
      if (kind === BUS.update) {
        Y.applyUpdate(entry.doc, payload, REMOTE);
      } else if (kind === BUS.awareness) {
        applyAwarenessUpdate(entry.awareness, payload, REMOTE);
      } else {
        const missing = Y.encodeStateAsUpdate(entry.doc, payload);
        if (missing.length > 2) this.options.bus?.publish(entry.roomId, BUS.update, missing); // 2 bytes: an empty update
        const present = [...entry.awareness.getStates().keys()];
        if (present.length) this.options.bus?.publish(entry.roomId, BUS.awareness, encodeAwarenessUpdate(entry.awareness, present));
      }
    } catch (error) {
      console.error(`collab: dropped a bad message from another instance for room ${entry.roomId}`, error);
    }
  }

  private schedule(entry: Entry) {
    if (entry.flushTimer) return;
    const wait = Math.max(0, entry.lastFlush + this.flushWindowMs - Date.now());
    entry.flushTimer = setTimeout(() => void this.flush(entry), wait);
  }

  private flush(entry: Entry): Promise<void> {
    clearTimeout(entry.flushTimer);
    entry.flushTimer = undefined;
    // Counted from now, not from when the chained write starts: an update arriving in between must not
    // schedule a second write right away.
    entry.lastFlush = Date.now();
    entry.flushing = entry.flushing.then(async () => {
      if (!entry.pending.length) return;
      const updates = entry.pending;
      entry.pending = [];
      const timer = collabMetrics.flushSeconds.startTimer();
      try {
        await appendRoomUpdate(this.options.db, entry.roomId, Y.mergeUpdates(updates));
        timer();
        if (Date.now() - entry.lastSnapshot >= this.snapshotEveryMs) await this.snapshot(entry, "INTERVAL");
      } catch (error) {
        entry.pending.unshift(...updates); // kept for the next flush
        collabMetrics.flushFailures.inc();
        this.options.onFlushError?.(entry.roomId, error);
        this.schedule(entry);
      }
    });
    return entry.flushing;
  }

  private async unload(entry: Entry) {
    if (entry.connections > 0) return;
    await this.flush(entry);
    if (entry.connections > 0 || entry.pending.length) return;
    this.entries.delete(entry.roomId);
    await this.options.bus?.leave(entry.roomId, entry.fromBus).catch(() => {});
    collabMetrics.loadedDocuments.dec();
    entry.awareness.destroy();
    entry.doc.destroy();
  }

  /** Writes every pending change (graceful shutdown). */
  async flushAll(): Promise<void> {
    const entries = await Promise.all(this.entries.values());
    await Promise.all(entries.map((e) => this.flush(e)));
  }

  async close(): Promise<void> {
    await this.flushAll();
    for (const entry of await Promise.all(this.entries.values())) {
      clearTimeout(entry.idleTimer);
      clearTimeout(entry.flushTimer);
    }
    collabMetrics.loadedDocuments.dec(this.entries.size);
    this.entries.clear();
  }
}
