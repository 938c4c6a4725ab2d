import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ChatPanel } from "~/components/chat-panel.tsx";
import { RoomHistory } from "~/components/room-history.tsx";
import { RoomShare } from "~/components/room-share.tsx";
import { RoomSubmissions } from "~/components/room-submissions.tsx";
import { RoomView } from "~/components/room-view.tsx";
import { VoiceBar, type VoiceAvailability } from "~/components/voice-bar.tsx";
import { atLeast, requireRoomAccess, voiceRight } from "~/models/access.server.ts";
import { listChannels } from "~/models/chat.server.ts";
import { getRoomPage, listRoomHistory } from "~/models/room.server.ts";
import { createShareLink, listShareLinks, revokeShareLink, ShareLinkInput } from "~/models/share-link.server.ts";
import { attemptsLeft, listRoomSubmissions, submitRoom } from "~/models/submission.server.ts";
import { readForm } from "~/utils/form.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.page.challenge.title ?? "Room"} · Chalkroom` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, access } = await requireRoomAccess(request, params.roomId!, "read");
  // Teachers may watch without typing (the live view does): ?readonly=1 asks the server for a read-only seat.
  const readOnly = access === "read" || new URL(request.url).searchParams.get("readonly") === "1";
  const roomId = params.roomId!;
  const [page, history, shareLinks, submissions, attempts] = await Promise.all([getRoomPage(roomId), listRoomHistory(roomId), listShareLinks(roomId), listRoomSubmissions(roomId), attemptsLeft(roomId)]);
  const isStudentHere = page.room.members.some((m) => m.user.id === user.id);
  const channels = await listChannels(user, page.room.assignment.group.id, roomId);
  const voice: VoiceAvailability = context.voice ? (voiceRight(access) ?? "members-only") : "not-configured";
  return { voice, page, history, shareLinks, submissions, channels, attemptsLeft: attempts, canSubmit: isStudentHere && !readOnly, access, readOnly, canWrite: !readOnly && atLeast(access, "write"), me: { id: user.id, name: user.name } };
}

const RoomIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save-version") }),
  z.object({ intent: z.literal("submit") }),
  z.object({ intent: z.literal("restore"), snapshotId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("share-create") }).merge(ShareLinkInput),
  z.object({ intent: z.literal("share-revoke"), linkId: z.string().min(1).max(64) }),
]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const roomId = params.roomId!;
  const { user } = await requireRoomAccess(request, roomId, "write");
  const parsed = RoomIntent.safeParse(await readForm(request));
  if (!parsed.success) return data({ error: parsed.error.issues[0]?.message ?? "That action is not recognised." }, { status: 400 });
  const intent = parsed.data;
  switch (intent.intent) {
    case "save-version":
      await context.collab.snapshot(roomId, "MANUAL", user.id);
      return { error: null };
    case "submit": {
      const outcome = await submitRoom(roomId, user, {
        currentCode: (id) => context.collab.currentCode(id),
        snapshot: (id, reason, by) => context.collab.snapshot(id, reason, by),
        enqueue: (id) => context.grading.enqueue(id),
        announce: (submission) => context.grading.announce(submission),
      });
      if (!outcome.ok) return data({ error: outcome.message }, { status: outcome.status });
      return { error: null };
    }
    case "restore": {
      const outcome = await context.collab.restore(roomId, intent.snapshotId, user.id);
      if (outcome === "no such version") return data({ error: "This room has no such version." }, { status: 404 });
      return { error: null };
    }
    case "share-create":
      await createShareLink(roomId, user.id, intent);
      return { error: null };
    case "share-revoke": {
      const linkId = await revokeShareLink(roomId, intent.linkId);
      if (!linkId) return data({ error: "This room has no such link (it may already be revoked)." }, { status: 404 });
      context.collab.closeShareLink(linkId);
      return { error: null };
    }
  }
}

export default function Room() {
  const { page, access, readOnly, canWrite, me, history, shareLinks, submissions, canSubmit, attemptsLeft, channels, voice } = useLoaderData<typeof loader>();
  return (
    <RoomView
      page={page}
      me={me}
      readOnly={readOnly}
      note={access === "manage" ? "You teach this group." : undefined}
      voice={<VoiceBar key={page.room.id} roomId={page.room.id} availability={voice} />}
      main={<RoomSubmissions roomId={page.room.id} submissions={submissions} canSubmit={canSubmit} attemptsLeft={attemptsLeft} />}
      aside={
        <>
          <ChatPanel channels={channels} me={{ id: me.id, teacher: access === "manage" }} />
          <RoomHistory roomId={page.room.id} versions={history} canWrite={canWrite} />
          {canWrite ? <RoomShare links={shareLinks} /> : null}
        </>
      }
    />
  );
}
