// Room documents in memory: loaded before their first sync is answered, written behind (at most once per
// flush window, and at once when the last client leaves or the server stops), unloaded when idle.
import { Awareness, removeAwarenessStates } from "y-protocols/awareness";
import * as Y from "yjs";
import type { Db } from "~/utils/db.server.ts";
import { collabMetrics } from "../metrics.ts";
import { appendRoomUpdate, loadRoomState, saveSnapshot } from "./persistence.ts";

export const CODE_TEXT = "code";

export interface RoomDocument {
  roomId: string;
  doc: Y.Doc;
  awareness: Awareness;
  connections: number;
  /** Bytes of stored state plus updates applied since: an upper bound of the document's encoded size. */
  sizeBytes: number;
}

interface Entry extends RoomDocument {
  pending: Uint8Array[];
  lastFlush: number;
  lastSnapshot: number;
  flushTimer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout;
  flushing: Promise<void>;
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
    const stored = await loadRoomState(this.options.db, roomId);
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
    const entry: Entry = { roomId, doc, awareness: new Awareness(doc), connections: 0, sizeBytes, pending: [], lastFlush: 0, lastSnapshot: Date.now(), flushing: Promise.resolve() };
    collabMetrics.loadedDocuments.inc();
    entry.awareness.setLocalState(null); // the server has no cursor
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === "database") return;
      entry.sizeBytes += update.length;
      entry.pending.push(update);
      this.schedule(entry);
    });
    return entry;
  }

  private schedule(entry: Entry) {
    if (entry.flushTimer) return;
    const wait = Math.max(0, entry.lastFlush + this.flushWindowMs - Date.now());
    entry.flushTimer = setTimeout(() => void this.flush(entry), wait);
  }

  private flush(entry: Entry): Promise<void> {
    clearTimeout(entry.flushTimer);
    entry.flushTimer = undefined;
    entry.flushing = entry.flushing.then(async () => {
      if (!entry.pending.length) return;
      const updates = entry.pending;
      entry.pending = [];
      entry.lastFlush = Date.now();
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
