// The voice bar: join or leave a room's voice, mute, choose a microphone, see who is in voice and who is
// speaking; teachers mute others and move between rooms. LiveKit's client is loaded when someone joins.
import { useCallback, useEffect, useRef, useState } from "react";
import { Badge, Button, Select, Spinner } from "~/components/ui.tsx";
import type { VoiceSession, VoiceSnapshot } from "~/components/voice-session.client.ts";

/** What the server said about voice for this visitor: not configured here, not for them, or their right in it. */
export type VoiceAvailability = "not-configured" | "members-only" | "speak" | "moderate";

async function postForm(path: string, fields: Record<string, string>): Promise<{ ok: true; body: unknown } | { ok: false; message: string }> {
  const response = await fetch(path, { method: "POST", body: new URLSearchParams(fields) });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // refusals (403, 404) answer plain text
  }
  if (response.ok) return { ok: true, body };
  const message = (body as { error?: string } | null)?.error ?? (text || `the server answered ${response.status}`);
  return { ok: false, message };
}

/** One voice connection at a time: joining another room leaves the current one first. */
export function useVoice() {
  const [roomId, setRoomId] = useState<string | null>(null);
  const [phase, setPhase] = useState<"idle" | "joining" | "in">("idle");
  const [snapshot, setSnapshot] = useState<VoiceSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [muting, setMuting] = useState<string | null>(null);
  const session = useRef<VoiceSession | null>(null);
  const attempt = useRef(0); // a newer join or leave makes older ones' results moot
  const audioContainer = useRef<HTMLDivElement>(null);

  const leave = useCallback(async () => {
    attempt.current++;
    const current = session.current;
    session.current = null;
    setRoomId(null);
    setPhase("idle");
    setSnapshot(null);
    setNotice(null);
    await current?.leave();
  }, []);

  const join = useCallback(async (target: string) => {
    const id = ++attempt.current;
    const previous = session.current;
    session.current = null;
    setRoomId(target);
    setPhase("joining");
    setSnapshot(null);
    setError(null);
    setNotice(null);
    const stale = () => id !== attempt.current;
    try {
      await previous?.leave();
      const answer = await postForm(`/rooms/${target}/voice/token`, {});
      if (!answer.ok) throw new Error(answer.message);
      const { url, token } = answer.body as { url: string; token: string };
      const { joinVoice } = await import("~/components/voice-session.client.ts");
      if (stale()) return;
      const joined = await joinVoice({
        url,
        token,
        audioContainer: audioContainer.current!,
        onMicrophoneError: (message) => !stale() && setNotice(message),
        onChange: (next) => {
          if (stale()) return;
          if (next.connection === "disconnected") {
            session.current = null;
            setRoomId(null);
            setPhase("idle");
            setSnapshot(null);
            setError(next.ended);
            return;
          }
          setSnapshot(next);
        },
      });
      if (stale()) return void (await joined.leave());
      session.current = joined;
      setPhase("in");
    } catch (e) {
      if (stale()) return;
      setRoomId(null);
      setPhase("idle");
      setError(`Could not join voice: ${(e as Error).message}`);
    }
  }, []);

  // Leaving the page leaves the voice.
  useEffect(() => () => void leave(), [leave]);

  const act = async (work: (s: VoiceSession) => Promise<void>) => {
    if (!session.current) return;
    try {
      await work(session.current);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return {
    roomId,
    phase,
    snapshot,
    error,
    notice,
    muting,
    audioContainer,
    join,
    leave,
    setMicrophone: (on: boolean) => act((s) => s.setMicrophone(on)),
    chooseMicrophone: (deviceId: string) => act((s) => s.chooseMicrophone(deviceId)),
    startAudio: () => act((s) => s.startAudio()),
    /** A teacher mutes someone through the server (LiveKit's room service), not from this browser. */
    async mute(identity: string) {
      if (!roomId) return;
      setMuting(identity);
      const answer = await postForm(`/rooms/${roomId}/voice/mute`, { identity });
      setMuting(null);
      setError(answer.ok ? null : `Could not mute: ${answer.message}`);
    },
  };
}

export type Voice = ReturnType<typeof useVoice>;

const NOT_CONFIGURED = (
  <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="voice-not-configured">
    Voice is not configured on this server. To turn it on, set <code>LIVEKIT_URL</code>, <code>LIVEKIT_API_KEY</code> and{" "}
    <code>LIVEKIT_API_SECRET</code> to a LiveKit server's, or run <code>npm run livekit:install</code> once and restart{" "}
    <code>npm start</code>, which then runs a local LiveKit (see the README, “Voice”).
  </p>
);

interface VoicePanelProps {
  voice: Voice;
  availability: VoiceAvailability;
  /** The room the Join button joins; null when the page offers rooms elsewhere (the live view's tiles). */
  roomId: string | null;
  /** What to say while not in voice and no room is offered here. */
  idleHint?: string;
  /** Names the room the voice is in, when the page holds several. */
  where?: string | null;
}

export function VoicePanel({ voice, availability, roomId, idleHint, where }: VoicePanelProps) {
  const { phase, snapshot } = voice;
  const moderator = availability === "moderate";
  let body: React.ReactNode;
  if (availability === "not-configured") body = NOT_CONFIGURED;
  else if (availability === "members-only") body = <p className="text-sm text-slate-700 dark:text-slate-300">Voice is for the room's members and the group's teachers.</p>;
  else if (phase === "joining") body = <Spinner label="Joining voice…" />;
  else if (phase === "idle") {
    body = roomId ? <Button onClick={() => void voice.join(roomId)}>Join voice</Button> : <p className="text-sm text-slate-700 dark:text-slate-300">{idleHint}</p>;
  } else if (snapshot) {
    body = (
      <div className="flex flex-wrap items-center gap-3">
        <Button variant={snapshot.microphoneOn ? "secondary" : "danger"} onClick={() => void voice.setMicrophone(!snapshot.microphoneOn)}>
          {snapshot.microphoneOn ? "Mute" : "Unmute"}
        </Button>
        {snapshot.microphones.length ? (
          <label className="flex items-center gap-2 text-sm">
            <span>Microphone</span>
            <Select className="w-56" value={snapshot.microphoneId ?? ""} onChange={(e) => void voice.chooseMicrophone(e.target.value)}>
              {snapshot.microphones.map((m) => <option key={m.deviceId} value={m.deviceId}>{m.label}</option>)}
            </Select>
          </label>
        ) : null}
        <Button variant="ghost" onClick={() => void voice.leave()}>Leave voice</Button>
        {snapshot.audioBlocked ? <Button variant="secondary" onClick={() => void voice.startAudio()}>Play voices</Button> : null}
        {snapshot.connection === "reconnecting" ? <Badge tone="amber">reconnecting…</Badge> : null}
      </div>
    );
  }
  return (
    <section aria-label="Voice" data-testid="voice-bar" data-voice-phase={phase} className="mb-4 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h2 className="text-sm font-semibold">
          Voice{where && phase !== "idle" ? <> · <span data-testid="voice-where">{where}</span></> : null}
        </h2>
        {body}
      </div>
      {snapshot?.mutedByModerator && !snapshot.microphoneOn ? (
        <p role="status" className="mt-2 text-sm text-amber-800 dark:text-amber-300" data-testid="muted-by-teacher">A teacher muted your microphone. Unmute when you want to speak.</p>
      ) : null}
      {voice.notice ? <p role="status" className="mt-2 text-sm text-amber-800 dark:text-amber-300">{voice.notice}</p> : null}
      {voice.error ? <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">{voice.error}</p> : null}
      {snapshot ? (
        <ul aria-label="People in voice" data-testid="voice-people" className="mt-2 flex flex-wrap gap-2 text-sm">
          {snapshot.people.map((p) => (
            <li
              key={p.identity}
              data-identity={p.identity}
              data-speaking={p.speaking}
              data-muted={p.muted}
              data-audio={p.self ? undefined : p.audioSubscribed ? "subscribed" : "none"}
              className={`flex items-center gap-1.5 rounded-full px-2.5 py-1 ring-1 ring-inset ${p.speaking ? "bg-emerald-50 ring-emerald-600 dark:bg-emerald-950" : "ring-slate-300 dark:ring-slate-600"}`}
            >
              <span aria-hidden className={`h-2 w-2 rounded-full ${p.speaking ? "bg-emerald-600" : "bg-slate-300 dark:bg-slate-600"}`} />
              <span>{p.name}{p.self ? " (you)" : ""}</span>
              {p.speaking ? <span className="sr-only">speaking</span> : null}
              {p.muted ? <span className="text-xs text-slate-600 dark:text-slate-400">muted</span> : null}
              {moderator && !p.self && !p.muted ? (
                <button type="button" className="ml-1 rounded px-1.5 text-xs font-semibold text-red-700 ring-1 ring-inset ring-red-300 hover:bg-red-50 disabled:opacity-60 dark:text-red-300 dark:ring-red-800 dark:hover:bg-red-950" aria-label={`Mute ${p.name}`} disabled={voice.muting === p.identity} onClick={() => void voice.mute(p.identity)}>
                  Mute
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {/* Remote microphones play from here. */}
      <div ref={voice.audioContainer} hidden />
    </section>
  );
}

/** A room's voice bar: join this room's voice. */
export function VoiceBar({ roomId, availability }: { roomId: string; availability: VoiceAvailability }) {
  const voice = useVoice();
  return <VoicePanel voice={voice} availability={availability} roomId={roomId} />;
}
