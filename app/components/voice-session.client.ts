// One LiveKit connection for a room's voice, loaded only when someone joins (livekit-client is large and useless
// during server rendering). It publishes the microphone, plays every remote microphone, and reports what the voice
// bar shows as plain snapshots.
import { ConnectionState, DisconnectReason, Room, RoomEvent, Track, type Participant, type RemoteTrack } from "livekit-client";

export interface VoicePerson {
  identity: string;
  name: string;
  self: boolean;
  speaking: boolean;
  muted: boolean;
  /** A remote person's microphone is subscribed and playing here. */
  audioSubscribed: boolean;
}

export interface VoiceSnapshot {
  connection: "connecting" | "connected" | "reconnecting" | "disconnected";
  people: VoicePerson[];
  microphoneOn: boolean;
  /** Muted by a teacher (not by this person); they may unmute. */
  mutedByModerator: boolean;
  microphones: { deviceId: string; label: string }[];
  microphoneId: string | undefined;
  /** The browser blocked playback until the next click. */
  audioBlocked: boolean;
  /** Why the connection ended when this person did not leave. */
  ended: string | null;
}

export interface VoiceSession {
  setMicrophone(on: boolean): Promise<void>;
  chooseMicrophone(deviceId: string): Promise<void>;
  startAudio(): Promise<void>;
  leave(): Promise<void>;
}

const ENDED: Partial<Record<DisconnectReason, string>> = {
  [DisconnectReason.DUPLICATE_IDENTITY]: "You joined this voice from another tab or device.",
  [DisconnectReason.PARTICIPANT_REMOVED]: "A teacher removed you from the voice.",
  [DisconnectReason.ROOM_DELETED]: "The voice was closed.",
  [DisconnectReason.SERVER_SHUTDOWN]: "The voice server shut down.",
};

const CONNECTION: Record<ConnectionState, VoiceSnapshot["connection"]> = {
  [ConnectionState.Connecting]: "connecting",
  [ConnectionState.Connected]: "connected",
  [ConnectionState.Reconnecting]: "reconnecting",
  [ConnectionState.SignalReconnecting]: "reconnecting",
  [ConnectionState.Disconnected]: "disconnected",
};

export interface JoinOptions {
  url: string;
  token: string;
  /** Where remote microphones' <audio> elements go (kept out of sight). */
  audioContainer: HTMLElement;
  onChange(snapshot: VoiceSnapshot): void;
  /** Joining worked but the microphone could not be used: the person can still listen. */
  onMicrophoneError(message: string): void;
}

export async function joinVoice({ url, token, audioContainer, onChange, onMicrophoneError }: JoinOptions): Promise<VoiceSession> {
  const room = new Room({ audioCaptureDefaults: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
  let microphones: VoiceSnapshot["microphones"] = [];
  let mutingMyself = false;
  let mutedByModerator = false;
  let ended: string | null = null;

  const person = (p: Participant, self: boolean): VoicePerson => {
    const microphone = p.getTrackPublication(Track.Source.Microphone);
    return {
      identity: p.identity,
      name: p.name || p.identity,
      self,
      speaking: p.isSpeaking,
      muted: !microphone || microphone.isMuted,
      audioSubscribed: !self && Boolean(microphone?.isSubscribed && microphone.track),
    };
  };
  const emit = () =>
    onChange({
      connection: CONNECTION[room.state],
      people: [person(room.localParticipant, true), ...[...room.remoteParticipants.values()].map((p) => person(p, false))],
      microphoneOn: room.localParticipant.isMicrophoneEnabled,
      mutedByModerator,
      microphones,
      microphoneId: room.getActiveDevice("audioinput"),
      audioBlocked: !room.canPlaybackAudio,
      ended,
    });
  const refreshMicrophones = async () => {
    const devices = await Room.getLocalDevices("audioinput", false).catch(() => []);
    microphones = devices.map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Microphone ${i + 1}` }));
    emit();
  };

  room
    .on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _publication, participant) => {
      if (track.kind !== Track.Kind.Audio) return;
      const element = track.attach();
      element.dataset.voiceAudio = participant.identity;
      audioContainer.appendChild(element);
      emit();
    })
    .on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack) => {
      track.detach().forEach((element) => element.remove());
      emit();
    })
    .on(RoomEvent.TrackMuted, (_publication, participant) => {
      // A mute this person did not ask for came from a teacher, through the room service.
      if (participant === room.localParticipant && !mutingMyself) mutedByModerator = true;
      emit();
    })
    .on(RoomEvent.TrackUnmuted, (_publication, participant) => {
      if (participant === room.localParticipant) mutedByModerator = false;
      emit();
    })
    .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
      ended = reason === undefined || reason === DisconnectReason.CLIENT_INITIATED ? null : (ENDED[reason] ?? "The voice connection was lost.");
      emit();
    })
    .on(RoomEvent.MediaDevicesChanged, () => void refreshMicrophones());
  for (const event of [
    RoomEvent.ConnectionStateChanged, RoomEvent.ParticipantConnected, RoomEvent.ParticipantDisconnected, RoomEvent.ParticipantNameChanged,
    RoomEvent.TrackPublished, RoomEvent.TrackUnpublished, RoomEvent.LocalTrackPublished, RoomEvent.LocalTrackUnpublished,
    RoomEvent.ActiveSpeakersChanged, RoomEvent.ActiveDeviceChanged, RoomEvent.AudioPlaybackStatusChanged,
  ]) room.on(event, emit);

  await room.connect(url, token);
  try {
    await room.localParticipant.setMicrophoneEnabled(true);
  } catch (error) {
    onMicrophoneError(`Your microphone could not be used (${(error as Error).message}); you can still listen.`);
  }
  await room.startAudio().catch(() => undefined);
  await refreshMicrophones();

  return {
    async setMicrophone(on) {
      mutingMyself = !on;
      try {
        await room.localParticipant.setMicrophoneEnabled(on);
      } finally {
        mutingMyself = false;
      }
      if (on) mutedByModerator = false;
      emit();
    },
    async chooseMicrophone(deviceId) {
      await room.switchActiveDevice("audioinput", deviceId);
      emit();
    },
    async startAudio() {
      await room.startAudio();
      emit();
    },
    async leave() {
      await room.disconnect();
      audioContainer.replaceChildren();
    },
  };
}
