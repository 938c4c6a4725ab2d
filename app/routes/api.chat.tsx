import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { ChannelKey, deleteMessage, editMessage, listMessages, markRead, pinMessage, postMessage, type ChatMessageView, type ChatOutcome } from "~/models/chat.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { getSessionUser } from "~/utils/session.server.ts";

// GET /api/chat?channel=room:<id>[&before=<messageId>] — a page of a channel's messages (JSON).
// POST /api/chat intent=post|edit|delete|pin|read — changes are announced live on the channel's topic.

const unauthenticated = () => Response.json({ error: "Log in to use chat." }, { status: 401 });
const answer = <T,>(outcome: ChatOutcome<T>) => (outcome.ok ? Response.json(outcome.value) : Response.json({ error: outcome.message }, { status: outcome.status }));

function announce(context: AppLoadContext, messages: ChatMessageView[]) {
  for (const message of messages) context.live.publish([message.channel], { type: "chat", message });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (!user) return unauthenticated();
  const url = new URL(request.url);
  const channel = ChannelKey.safeParse(url.searchParams.get("channel") ?? "");
  if (!channel.success) return Response.json({ error: "There is no such channel." }, { status: 404 });
  return answer(await listMessages(user, channel.data, url.searchParams.get("before") ?? undefined));
}

const MessageId = z.string().min(1).max(64);
const ChatIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("post"), channel: ChannelKey, body: z.string().max(20_000) }),
  z.object({ intent: z.literal("edit"), messageId: MessageId, body: z.string().max(20_000) }),
  z.object({ intent: z.literal("delete"), messageId: MessageId }),
  z.object({ intent: z.literal("pin"), messageId: MessageId, pinned: z.enum(["true", "false"]) }),
  z.object({ intent: z.literal("read"), channel: ChannelKey }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await getSessionUser(request);
  if (!user) return unauthenticated();
  const parsed = ChatIntent.safeParse(await readForm(request));
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]?.message ?? "That action is not recognised." }, { status: 400 });
  const intent = parsed.data;
  switch (intent.intent) {
    case "post":
    case "edit":
    case "delete": {
      const outcome = intent.intent === "post" ? await postMessage(user, intent.channel, intent.body) : intent.intent === "edit" ? await editMessage(user, intent.messageId, intent.body) : await deleteMessage(user, intent.messageId);
      if (outcome.ok) announce(context, [outcome.value]);
      return answer(outcome);
    }
    case "pin": {
      const outcome = await pinMessage(user, intent.messageId, intent.pinned === "true");
      if (outcome.ok) announce(context, outcome.value);
      return answer(outcome);
    }
    case "read":
      return answer(await markRead(user, intent.channel));
  }
}
