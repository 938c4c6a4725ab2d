import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DifficultyBadge, StatusBadge } from "~/components/status.tsx";
import { Card, EmptyState, LocalTime, PageHeader, linkClass } from "~/components/ui.tsx";
import { listStudentAssignments } from "~/models/assignment.server.ts";
import { listGroupsFor } from "~/models/group.server.ts";
import { requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Dashboard · Chalkroom" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const groups = await listGroupsFor(user.id);
  const assignments = user.role === "STUDENT" ? await listStudentAssignments(user.id) : [];
  return { user, groups: groups.map((g) => ({ id: g.id, name: g.name })), assignments };
}

export default function Dashboard() {
  const { user, groups, assignments } = useLoaderData<typeof loader>();
  const teacher = user.role === "TEACHER";
  return (
    <>
      <PageHeader title={`Hello, ${user.name}`} subtitle={teacher ? "Your groups and challenges." : "Your assignments across your groups."} />
      {teacher ? (
        <div className="grid gap-6 md:grid-cols-2">
          <Card title="Groups" actions={<Link to="/groups/new" className={linkClass}>New group</Link>}>
            {groups.length ? (
              <ul className="space-y-2">{groups.map((g) => <li key={g.id}><Link to={`/groups/${g.id}`} className={linkClass}>{g.name}</Link></li>)}</ul>
            ) : (
              <EmptyState title="No groups yet" action={<Link to="/groups/new" className={linkClass}>Create your first group</Link>}>A group is a class: students join it with a code, and you assign challenges to it.</EmptyState>
            )}
          </Card>
          <Card title="Challenges" actions={<Link to="/challenges/new" className={linkClass}>New challenge</Link>}>
            <p className="text-sm">Write Python challenges with visible and hidden tests, then assign them to a group.</p>
            <Link to="/challenges" className={`${linkClass} mt-3 inline-block text-sm`}>Browse challenges</Link>
          </Card>
        </div>
      ) : (
        <Card title="Assignments">
          {assignments.length ? (
            <ul className="divide-y divide-slate-100 dark:divide-slate-800">
              {assignments.map((a) => (
                <li key={a.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                  <div>
                    <p className="font-medium">{a.title} <DifficultyBadge difficulty={a.difficulty} /></p>
                    <p className="text-sm text-slate-600 dark:text-slate-400">{a.group.name} · due <LocalTime value={a.dueAt} /></p>
                  </div>
                  <div className="flex items-center gap-3">
                    <StatusBadge status={a.status} />
                    {a.room ? <Link to={`/rooms/${a.room.id}`} className={linkClass}>Open room</Link> : null}
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title={groups.length ? "No assignments yet" : "You are not in a group yet"} action={groups.length ? null : <Link to="/join" className={linkClass}>Join a group with a code</Link>}>
              {groups.length ? "When your teacher assigns a challenge, it appears here." : "Ask your teacher for the group's join code or invite link."}
            </EmptyState>
          )}
        </Card>
      )}
    </>
  );
}
