import { snapshotCode } from "../../server/collab/persistence.ts";
import { db } from "~/utils/db.server.ts";
import { getChallengeForStudent } from "./challenge.server.ts";

/** What everyone in a room sees: the task (prompt, starter code, visible tests only) and who works there. */
export async function getRoomPage(roomId: string) {
  const room = await db.room.findUniqueOrThrow({
    where: { id: roomId },
    select: {
      id: true,
      name: true,
      members: { select: { user: { select: { id: true, name: true } } } },
      assignment: { select: { id: true, dueAt: true, attemptLimit: true, challengeId: true, group: { select: { id: true, name: true } } } },
    },
  });
  const challenge = await getChallengeForStudent(room.assignment.challengeId);
  return { room, challenge };
}

export async function roomExists(roomId: string): Promise<boolean> {
  return (await db.room.count({ where: { id: roomId } })) > 0;
}

/** The assignment a room belongs to; null when there is no such room. */
export async function roomAssignmentId(roomId: string): Promise<string | null> {
  return (await db.room.findUnique({ where: { id: roomId }, select: { assignmentId: true } }))?.assignmentId ?? null;
}

/** What a room's editor holds the first time anyone opens it. */
export async function roomStarterCode(roomId: string): Promise<string> {
  const room = await db.room.findUniqueOrThrow({ where: { id: roomId }, select: { assignment: { select: { challenge: { select: { starterCode: true } } } } } });
  return room.assignment.challenge.starterCode;
}

const REASONS = { INTERVAL: "kept automatically", SUBMISSION: "submitted", RESTORE: "restored an earlier version", MANUAL: "saved by hand" } as const;

/** The room's versions, newest first, with who was in the room when each was kept. */
export async function listRoomHistory(roomId: string) {
  const snapshots = await db.snapshot.findMany({
    where: { roomId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, createdAt: true, reason: true, activeUserIds: true, takenBy: { select: { name: true } } },
  });
  const ids = [...new Set(snapshots.flatMap((s) => s.activeUserIds))];
  const names = new Map((await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return snapshots.map((s) => ({
    id: s.id,
    createdAt: s.createdAt,
    what: REASONS[s.reason],
    by: s.takenBy?.name ?? null,
    active: s.activeUserIds.map((id) => names.get(id)).filter((n): n is string => Boolean(n)),
  }));
}

/** A version's code, for a read-only preview; null when the version is not this room's. */
export async function getSnapshotCode(roomId: string, snapshotId: string): Promise<string | null> {
  const snapshot = await db.snapshot.findFirst({ where: { id: snapshotId, roomId }, select: { state: true } });
  return snapshot ? snapshotCode(new Uint8Array(snapshot.state)) : null;
}
