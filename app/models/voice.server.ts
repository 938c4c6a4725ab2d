// Voice in rooms, between the routes and LiveKit (server/voice): joining, muting, and telling the live view
// who is in each room's voice. Who may do what is decided in access.server.ts before these are called.
import { z } from "zod";
import { assignmentTopic, type LiveHub } from "../../server/live/hub.ts";
import type { Voice, VoiceParticipant } from "../../server/voice/index.ts";
import type { SessionUser } from "~/utils/session.server.ts";
import { roomAssignmentId } from "./room.server.ts";

export const VoiceTokenInput = z.object({ shareToken: z.string().max(200).optional() });
export const VoiceMuteInput = z.object({ identity: z.string().min(1, "Say whom to mute.").max(64) });

export const VOICE_NOT_CONFIGURED = "Voice is not configured on this server: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET.";

/** What a browser needs to join a room's voice as this user (identity = user id, name = display name). */
export async function joinRoomVoice(voice: Voice, user: SessionUser, roomId: string, access: "speak" | "moderate") {
  const token = await voice.mintToken({ roomId, identity: user.id, name: user.name, moderator: access === "moderate" });
  return { url: voice.url, token, identity: user.id };
}

export type MuteOutcome = { ok: true } | { ok: false; status: 404 | 503; message: string };

export async function muteInRoomVoice(voice: Voice, roomId: string, identity: string): Promise<MuteOutcome> {
  try {
    if ((await voice.mute(roomId, identity)) === "not in voice") return { ok: false, status: 404, message: "That person is not in this room's voice." };
    return { ok: true };
  } catch (error) {
    console.error(`voice: muting ${identity} in room ${roomId} failed:`, (error as Error).message);
    return { ok: false, status: 503, message: "The voice server did not answer; try again." };
  }
}

/** Who is in voice in each room, for the teacher's live view; null when LiveKit does not answer. */
export async function voiceInRooms(voice: Voice, roomIds: string[]): Promise<Record<string, VoiceParticipant[]> | null> {
  try {
    return Object.fromEntries(await voice.participants(roomIds));
  } catch (error) {
    console.error("voice: could not ask LiveKit who is in voice:", (error as Error).message);
    return null;
  }
}

/**
 * A LiveKit webhook: when its signature holds and someone joined or left a room's voice, tells the teachers' live
 * view of the assignment. (The room's own voice bar hears it from LiveKit directly.)
 */
export async function receiveVoiceWebhook(voice: Voice, live: LiveHub, body: string, authorization: string | undefined): Promise<"accepted" | "refused"> {
  const received = await voice.receiveWebhook(body, authorization);
  if ("refused" in received) return "refused";
  const { change } = received;
  if (!change) return "accepted";
  const assignmentId = await roomAssignmentId(change.roomId);
  if (assignmentId) live.publish([assignmentTopic(assignmentId)], { type: "voice", roomId: change.roomId, assignmentId, participants: change.participants });
  return "accepted";
}
