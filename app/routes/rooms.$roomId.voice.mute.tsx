import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRoomVoice } from "~/models/access.server.ts";
import { muteInRoomVoice, VOICE_NOT_CONFIGURED, VoiceMuteInput } from "~/models/voice.server.ts";
import { readForm } from "~/utils/form.server.ts";

// POST /rooms/:roomId/voice/mute (identity) — a teacher of the group mutes someone's microphone in the room's
// voice, through LiveKit's room service. The muted person may unmute themself.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const roomId = params.roomId!;
  await requireRoomVoice(request, roomId, "moderate", null);
  const parsed = VoiceMuteInput.safeParse(await readForm(request));
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]!.message }, { status: 400 });
  if (!context.voice) return Response.json({ error: VOICE_NOT_CONFIGURED }, { status: 503 });
  const outcome = await muteInRoomVoice(context.voice, roomId, parsed.data.identity);
  return outcome.ok ? Response.json({ ok: true }) : Response.json({ error: outcome.message }, { status: outcome.status });
}
