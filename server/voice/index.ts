// Voice through LiveKit: join tokens, who is in each room's voice, muting, and webhooks. Browsers talk to
// LiveKit directly (WebRTC); this server only signs tokens and asks LiveKit's room service.
import { AccessToken, ParticipantInfo_State, RoomServiceClient, ServerError, TrackSource, TrackType, WebhookReceiver, type ParticipantInfo } from "livekit-server-sdk";
import type { Config } from "~/utils/config.server.ts";

export interface VoiceParticipant {
  identity: string;
  name: string;
}

/** A room whose voice changed, and who is in it now. */
export interface VoiceChange {
  roomId: string;
  participants: VoiceParticipant[];
}

export interface Voice {
  /** The LiveKit URL browsers connect to. */
  url: string;
  /** A join token for one room's voice: members publish their microphone only; moderators also get room admin. */
  mintToken(grant: { roomId: string; identity: string; name: string; moderator: boolean }): Promise<string>;
  /** Who is in voice in each of these rooms (rooms nobody is in are left out), asked of LiveKit's room service. */
  participants(roomIds: string[]): Promise<Map<string, VoiceParticipant[]>>;
  /** Mutes the microphone the participant publishes in the room's voice. */
  mute(roomId: string, identity: string): Promise<"muted" | "not in voice">;
  /**
   * Verifies a webhook's signature and says whose voice changed and who is in it now: change is null for events
   * that do not change who is in a room, or rooms that are not ours.
   */
  receiveWebhook(body: string, authorization: string | undefined): Promise<{ refused: string } | { change: VoiceChange | null }>;
}

// LiveKit rooms are named after our rooms; a LiveKit server shared with other apps may hold rooms of theirs.
const PREFIX = "chalkroom-";
export const voiceRoomName = (roomId: string) => `${PREFIX}${roomId}`;
export function roomIdOfVoiceRoom(name: string): string | null {
  const id = name.startsWith(PREFIX) ? name.slice(PREFIX.length) : "";
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}

const present = (p: ParticipantInfo) => p.state !== ParticipantInfo_State.DISCONNECTED;
const byJoinTime = (a: ParticipantInfo, b: ParticipantInfo) => Number(a.joinedAt - b.joinedAt);
/** One entry per person: someone who rejoins is briefly there twice (the old connection is on its way out). */
function describe(list: ParticipantInfo[]): VoiceParticipant[] {
  const seen = new Map<string, VoiceParticipant>();
  for (const p of list) if (!seen.has(p.identity)) seen.set(p.identity, { identity: p.identity, name: p.name || p.identity });
  return [...seen.values()];
}
const notFound = (error: unknown) => error instanceof ServerError && error.status === 404;

/** Null when LIVEKIT_URL is not set: the app then says that voice is not configured. */
export function createVoice(config: Config): Voice | null {
  const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = config;
  if (!url || !apiKey || !apiSecret) return null;
  // Pages wait on the room service: give up after 3 s rather than hang a loader on an unreachable LiveKit.
  const rooms = new RoomServiceClient(url, apiKey, apiSecret, { requestTimeout: 3, failover: false });
  const receiver = new WebhookReceiver(apiKey, apiSecret);

  async function listPresent(roomName: string): Promise<ParticipantInfo[]> {
    try {
      return (await rooms.listParticipants(roomName)).filter(present).sort(byJoinTime);
    } catch (error) {
      if (notFound(error)) return []; // the room closed
      throw error;
    }
  }

  // Webhooks for one room are handled one after another, so the last list announced is the newest.
  const queues = new Map<string, Promise<unknown>>();
  function inOrder<T>(roomName: string, work: () => Promise<T>): Promise<T> {
    const run = (queues.get(roomName) ?? Promise.resolve()).then(work, work);
    const settled = run.catch(() => undefined);
    queues.set(roomName, settled);
    void settled.then(() => queues.get(roomName) === settled && queues.delete(roomName));
    return run;
  }

  return {
    url,
    async mintToken({ roomId, identity, name, moderator }) {
      // Short-lived: it only has to get the browser in; LiveKit refreshes it for connected participants.
      const token = new AccessToken(apiKey, apiSecret, { identity, name, ttl: "10m" });
      token.addGrant({
        roomJoin: true,
        room: voiceRoomName(roomId),
        canSubscribe: true,
        canPublish: true,
        canPublishSources: [TrackSource.MICROPHONE],
        canPublishData: false,
        canUpdateOwnMetadata: false,
        roomAdmin: moderator,
      });
      return token.toJwt();
    },

    async participants(roomIds) {
      const names = roomIds.map(voiceRoomName);
      const open = names.length ? await rooms.listRooms(names) : [];
      // Every open room is asked: a room's participant count lags behind joins.
      const lists = await Promise.all(open.map(async (r) => [r.name, await listPresent(r.name)] as const));
      const result = new Map<string, VoiceParticipant[]>();
      for (const [name, list] of lists) {
        const roomId = roomIdOfVoiceRoom(name);
        if (roomId && list.length) result.set(roomId, describe(list));
      }
      return result;
    },

    async mute(roomId, identity) {
      const roomName = voiceRoomName(roomId);
      let participant: ParticipantInfo;
      try {
        participant = await rooms.getParticipant(roomName, identity);
      } catch (error) {
        if (notFound(error)) return "not in voice";
        throw error;
      }
      const microphones = participant.tracks.filter((t) => t.type === TrackType.AUDIO && !t.muted);
      await Promise.all(microphones.map((t) => rooms.mutePublishedTrack(roomName, identity, t.sid, true)));
      return "muted";
    },

    async receiveWebhook(body, authorization) {
      let event;
      try {
        event = await receiver.receive(body, authorization);
      } catch (error) {
        return { refused: (error as Error).message };
      }
      const roomName = event.room?.name ?? "";
      const roomId = roomIdOfVoiceRoom(roomName);
      const joined = event.event === "participant_joined" ? event.participant : undefined;
      const left = event.event === "participant_left" || event.event === "participant_connection_aborted" ? event.participant : undefined;
      if (!roomId || (event.event !== "room_finished" && !joined && !left)) return { change: null };
      return inOrder(roomName, async () => {
        if (event.event === "room_finished") return { change: { roomId, participants: [] } };
        // The room service is the truth; the event that brought us here corrects it for a participant it has not
        // added or removed yet.
        const list = (await listPresent(roomName)).filter((p) => p.sid !== left?.sid);
        if (joined && !list.some((p) => p.sid === joined.sid)) list.push(joined);
        return { change: { roomId, participants: describe(list) } };
      });
    },
  };
}
