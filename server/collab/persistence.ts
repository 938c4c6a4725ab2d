// A room's Yjs document in PostgreSQL: one merged state (YDocument) plus a bounded log of flushed updates
// (YUpdate), folded into the state when the log grows.
import * as Y from "yjs";
import type { Db } from "~/utils/db.server.ts";

export const COMPACT_AFTER_UPDATES = 50;

/** Everything stored for the room, merged into one update (empty when the room was never edited). */
export async function loadRoomState(db: Db, roomId: string): Promise<Uint8Array | null> {
  const [document, log] = await Promise.all([
    db.yDocument.findUnique({ where: { roomId }, select: { state: true } }),
    db.yUpdate.findMany({ where: { roomId }, orderBy: { id: "asc" }, select: { update: true } }),
  ]);
  const parts = [...(document ? [document.state] : []), ...log.map((u) => u.update)].map((b) => new Uint8Array(b));
  return parts.length ? Y.mergeUpdates(parts) : null;
}

/** Appends one merged update to the log; folds the log into the state once it is long. */
export async function appendRoomUpdate(db: Db, roomId: string, update: Uint8Array): Promise<void> {
  await db.yUpdate.create({ data: { roomId, update: Buffer.from(update) } });
  if ((await db.yUpdate.count({ where: { roomId } })) > COMPACT_AFTER_UPDATES) await compactRoom(db, roomId);
}

export async function compactRoom(db: Db, roomId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const document = await tx.yDocument.findUnique({ where: { roomId }, select: { state: true } });
    const log = await tx.yUpdate.findMany({ where: { roomId }, orderBy: { id: "asc" }, select: { id: true, update: true } });
    if (!log.length) return;
    const state = Buffer.from(Y.mergeUpdates([...(document ? [document.state] : []), ...log.map((u) => u.update)].map((b) => new Uint8Array(b))));
    await tx.yDocument.upsert({ where: { roomId }, create: { roomId, state, sizeBytes: state.length }, update: { state, sizeBytes: state.length } });
    await tx.yUpdate.deleteMany({ where: { roomId, id: { lte: log[log.length - 1].id } } });
  });
}

export type SnapshotReason = "INTERVAL" | "SUBMISSION" | "RESTORE" | "MANUAL";

export async function saveSnapshot(db: Db, roomId: string, state: Uint8Array, reason: SnapshotReason, activeUserIds: string[], takenById?: string) {
  return db.snapshot.create({
    data: { roomId, state: Buffer.from(state), reason, activeUserIds: [...new Set(activeUserIds)], takenById: takenById ?? null },
    select: { id: true, createdAt: true },
  });
}

/** The code a stored snapshot holds. */
export function snapshotCode(state: Uint8Array, textName = "code"): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const code = doc.getText(textName).toString();
  doc.destroy();
  return code;
}
