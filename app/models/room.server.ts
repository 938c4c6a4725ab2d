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
