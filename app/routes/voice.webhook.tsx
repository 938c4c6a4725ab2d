import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveVoiceWebhook } from "~/models/voice.server.ts";

// POST /voice/webhook — LiveKit's webhooks (someone joined or left a room's voice), signed with our API key:
// a JWT in Authorization carrying the body's SHA-256. Anything else is refused with 401.
export async function action({ request, context }: ActionFunctionArgs) {
  if (!context.voice) return new Response("Voice is not configured on this server.", { status: 404 });
  const outcome = await receiveVoiceWebhook(context.voice, context.live, await request.text(), request.headers.get("Authorization") ?? undefined);
  return outcome === "accepted" ? new Response("ok") : new Response("The webhook's signature does not match.", { status: 401 });
}
