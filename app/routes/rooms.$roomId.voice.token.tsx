import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRoomVoice } from "~/models/access.server.ts";
import { joinRoomVoice, VOICE_NOT_CONFIGURED, VoiceTokenInput } from "~/models/voice.server.ts";
import { readForm } from "~/utils/form.server.ts";

// POST /rooms/:roomId/voice/token — a LiveKit join token for the room's voice (JSON: url, token, identity).
// Members and the group's teachers only: share links (`shareToken`) and guests are refused with 403.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const roomId = params.roomId!;
  const parsed = VoiceTokenInput.safeParse(await readForm(request));
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]!.message }, { status: 400 });
  const { user, access } = await requireRoomVoice(request, roomId, "speak", parsed.data.shareToken ?? null);
  if (!context.voice) return Response.json({ error: VOICE_NOT_CONFIGURED }, { status: 503 });
  return Response.json(await joinRoomVoice(context.voice, user, roomId, access), { headers: { "Cache-Control": "no-store" } });
}
