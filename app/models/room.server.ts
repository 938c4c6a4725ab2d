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

/** What a room's editor holds the first time anyone opens it. */
export async function roomStarterCode(roomId: string): Promise<string> {
  const room = await db.room.findUniqueOrThrow({ where: { id: roomId }, select: { assignment: { select: { challenge: { select: { starterCode: true } } } } } });
  return room.assignment.challenge.starterCode;
}
