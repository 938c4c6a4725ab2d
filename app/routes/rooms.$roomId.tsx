import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DifficultyBadge } from "~/components/status.tsx";
import { Card, LocalTime, PageHeader, linkClass } from "~/components/ui.tsx";
import { VisibleTests } from "~/components/visible-tests.tsx";
import { requireRoomAccess } from "~/models/access.server.ts";
import { getRoomPage } from "~/models/room.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.challenge.title ?? "Room"} · Chalkroom` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access } = await requireRoomAccess(request, params.roomId!, "read");
  return { ...(await getRoomPage(params.roomId!)), access };
}

export default function Room() {
  const { room, challenge, access } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={challenge.title}
        subtitle={<>{room.name} · <Link className={linkClass} to={`/groups/${room.assignment.group.id}`}>{room.assignment.group.name}</Link> · due <LocalTime value={room.assignment.dueAt} /></>}
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
        <div className="space-y-6">
          <Card title={<>Task <DifficultyBadge difficulty={challenge.difficulty} /></>}>
            <div className="prose-chalk" dangerouslySetInnerHTML={{ __html: challenge.promptHtml }} />
          </Card>
          <Card title="Starter code">
            <pre className="overflow-x-auto rounded-md bg-slate-100 p-3 font-mono text-sm dark:bg-slate-950" data-testid="starter-code">{challenge.starterCode || "# (no starter code)"}</pre>
          </Card>
          <Card title="Tests">
            <VisibleTests tests={challenge.tests} />
            {challenge.hiddenTestCount ? <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Plus {challenge.hiddenTestCount} hidden test{challenge.hiddenTestCount === 1 ? "" : "s"}, run when you submit.</p> : null}
          </Card>
        </div>
        <aside className="space-y-6">
          <Card title="People">
            <ul className="space-y-1 text-sm">{room.members.map((m) => <li key={m.user.id}>{m.user.name}</li>)}</ul>
            {access === "manage" ? <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">You teach this group.</p> : null}
          </Card>
        </aside>
      </div>
    </>
  );
}
