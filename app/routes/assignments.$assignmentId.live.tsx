import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { SubmissionScore } from "~/components/submission-results.tsx";
import { Card, EmptyState, LocalTime, PageHeader, Spinner, linkClass } from "~/components/ui.tsx";
import { useLiveEvents } from "~/components/use-live-events.ts";
import { requireAssignmentAccess } from "~/models/access.server.ts";
import { getAssignmentPage } from "~/models/assignment.server.ts";

// Each tile opens its own read-only connection, client-side only.
const LiveTile = lazy(() => import("~/components/live-tile.client.tsx"));

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Live: ${data?.assignment.challenge.title ?? "assignment"} · Chalkroom` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireAssignmentAccess(request, params.assignmentId!, "manage");
  return { assignment: await getAssignmentPage(params.assignmentId!, user, true) };
}

export default function LiveView() {
  const { assignment } = useLoaderData<typeof loader>();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  // Submissions change status as they are graded: the tiles' latest results follow.
  const revalidator = useRevalidator();
  useLiveEvents([`assignment:${assignment.id}`], () => revalidator.revalidate());
  return (
    <>
      <PageHeader
        title={`Live: ${assignment.challenge.title}`}
        subtitle={<>{assignment.group.name} · every room's code as it is typed · <Link to={`/assignments/${assignment.id}`} className={linkClass}>back to the assignment</Link></>}
      />
      {assignment.rooms.length ? (
        <ul className="grid gap-4 md:grid-cols-2 xl:grid-cols-3" aria-label="Rooms">
          {assignment.rooms.map((room) => (
            <li key={room.id}>
              <Card title={<Link to={`/rooms/${room.id}`} className={linkClass}>{room.name}</Link>}>
                <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">{room.members.map((m) => m.user.name).join(", ") || "no members"}</p>
                <p className="mb-2 flex items-center gap-2 text-sm" data-testid="latest-submission">
                  {room.submissions[0] ? <>Latest submission: <SubmissionScore submission={room.submissions[0]} /> <span className="text-xs text-slate-600 dark:text-slate-400"><LocalTime value={room.submissions[0].createdAt} /></span></> : <span className="text-xs text-slate-600 dark:text-slate-400">Nothing submitted yet</span>}
                </p>
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
