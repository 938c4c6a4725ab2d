import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { SubmissionScore } from "~/components/submission-results.tsx";
import { Button, Card, EmptyState, LocalTime, PageHeader, Spinner, linkClass } from "~/components/ui.tsx";
import { useLiveEvents } from "~/components/use-live-events.ts";
import { useVoice, VoicePanel, type VoiceAvailability } from "~/components/voice-bar.tsx";
import { requireAssignmentAccess, voiceRight } from "~/models/access.server.ts";
import { getAssignmentPage } from "~/models/assignment.server.ts";
import { voiceInRooms } from "~/models/voice.server.ts";
import type { VoiceParticipant } from "../../server/voice/index.ts";

// Each tile opens its own read-only connection, client-side only.
const LiveTile = lazy(() => import("~/components/live-tile.client.tsx"));

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Live: ${data?.assignment.challenge.title ?? "assignment"} · Chalkroom` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, access } = await requireAssignmentAccess(request, params.assignmentId!, "manage");
  const assignment = await getAssignmentPage(params.assignmentId!, user, true);
  const voice: VoiceAvailability = context.voice ? (voiceRight(access) ?? "members-only") : "not-configured";
  // Who is in each room's voice now, from LiveKit's room service; webhooks keep it current after that.
  const inVoice = context.voice ? await voiceInRooms(context.voice, assignment.rooms.map((r) => r.id)) : null;
  return { assignment, voice, inVoice };
}

interface VoiceEvent {
  type: "voice";
  roomId: string;
  participants: VoiceParticipant[];
}

export default function LiveView() {
  const { assignment, voice: availability, inVoice: loadedInVoice } = useLoaderData<typeof loader>();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const [inVoice, setInVoice] = useState(loadedInVoice);
  useEffect(() => setInVoice(loadedInVoice), [loadedInVoice]);
  const voice = useVoice();
  // Submissions change status as they are graded: the tiles' latest results follow (a reload of the page's
  // data, which also asks LiveKit again who is in voice). Voice events carry a room's whole list.
  const revalidator = useRevalidator();
  useLiveEvents([`assignment:${assignment.id}`], (message) => {
    if (message?.event.type === "voice") {
      const { roomId, participants } = message.event as unknown as VoiceEvent;
      return setInVoice((known) => ({ ...known, [roomId]: participants }));
    }
    revalidator.revalidate();
  });
  const voiceRoom = assignment.rooms.find((r) => r.id === voice.roomId);
  return (
    <>
      <PageHeader
        title={`Live: ${assignment.challenge.title}`}
        subtitle={<>{assignment.group.name} · every room's code as it is typed · <Link to={`/assignments/${assignment.id}`} className={linkClass}>back to the assignment</Link></>}
      />
      <VoicePanel voice={voice} availability={availability} roomId={null} where={voiceRoom?.name} idleHint="Join a room's voice from its tile; from there you can move to another room's." />
      {assignment.rooms.length ? (
        <ul className="grid gap-4 md:grid-cols-2 xl:grid-cols-3" aria-label="Rooms">
          {assignment.rooms.map((room) => (
            <li key={room.id}>
              <Card title={<Link to={`/rooms/${room.id}`} className={linkClass}>{room.name}</Link>}>
                <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">{room.members.map((m) => m.user.name).join(", ") || "no members"}</p>
                <p className="mb-2 flex items-center gap-2 text-sm" data-testid="latest-submission">
                  {room.submissions[0] ? <>Latest submission: <SubmissionScore submission={room.submissions[0]} /> <span className="text-xs text-slate-600 dark:text-slate-400"><LocalTime value={room.submissions[0].createdAt} /></span></> : <span className="text-xs text-slate-600 dark:text-slate-400">Nothing submitted yet</span>}
                </p>
                {availability === "not-configured" ? null : (
                  <div className="mb-2 flex flex-wrap items-center justify-between gap-2 text-xs">
                    <span data-testid="room-voice">
                      {inVoice === null ? "Voice: LiveKit did not answer" : inVoice[room.id]?.length ? <>In voice: {inVoice[room.id].map((p) => p.name).join(", ")}</> : "Nobody in voice"}
                    </span>
                    {availability === "moderate" ? (
                      voice.roomId === room.id ? <span className="font-semibold">You are in its voice</span> : (
                        <Button variant="secondary" className="px-2 py-1 text-xs" aria-label={`Join the voice of ${room.name}`} disabled={!hydrated} onClick={() => void voice.join(room.id)}>
                          {voice.roomId ? "Move here" : "Join voice"}
                        </Button>
                      )
                    ) : null}
                  </div>
                )}
                {hydrated ? <Suspense fallback={<Spinner label="Connecting…" />}><LiveTile roomId={room.id} /></Suspense> : <Spinner label="Connecting…" />}
              </Card>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title="No rooms yet">Rooms appear when students join the group.</EmptyState>
      )}
    </>
  );
}
