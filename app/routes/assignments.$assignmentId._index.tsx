import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { DifficultyBadge } from "~/components/status.tsx";
import { Badge, Button, Card, EmptyState, LocalTime, PageHeader, linkClass } from "~/components/ui.tsx";
import { requireAssignmentAccess } from "~/models/access.server.ts";
import { getAssignmentPage, setWithdrawn } from "~/models/assignment.server.ts";
import { readForm } from "~/utils/form.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.assignment.challenge.title ?? "Assignment"} · Chalkroom` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, access } = await requireAssignmentAccess(request, params.assignmentId!, "read");
  const manages = access === "manage";
  return { assignment: await getAssignmentPage(params.assignmentId!, user, manages), manages };
}

const Intent = z.object({ intent: z.enum(["withdraw", "restore"]) });

export async function action({ request, params }: ActionFunctionArgs) {
  await requireAssignmentAccess(request, params.assignmentId!, "manage");
  const parsed = Intent.safeParse(await readForm(request));
  if (!parsed.success) throw new Response("That action is not recognised.", { status: 400 });
  await setWithdrawn(params.assignmentId!, parsed.data.intent === "withdraw");
  return null;
}

export default function AssignmentPage() {
  const { assignment, manages } = useLoaderData<typeof loader>();
  const a = assignment;
  return (
    <>
      <PageHeader
        title={a.challenge.title}
        subtitle={<>{a.group.name} · {a.mode === "TEAM" ? `teams of ${a.teamSize}` : "individual"} · opens <LocalTime value={a.opensAt} /> · due <LocalTime value={a.dueAt} />{a.attemptLimit ? ` · ${a.attemptLimit} attempts` : ""}</>}
        actions={manages ? (
          <>
            <Link to={`/assignments/${a.id}/live`} className="rounded-md bg-indigo-700 px-3.5 py-2 text-sm font-semibold text-white hover:bg-indigo-800">Live view</Link>
            <Link to={`/assignments/${a.id}/edit`} className="rounded-md px-3.5 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-600 dark:hover:bg-slate-800">Edit</Link>
            <Form method="post">
              {a.withdrawnAt
                ? <Button variant="secondary" name="intent" value="restore">Restore</Button>
                : <Button variant="danger" name="intent" value="withdraw">Withdraw</Button>}
            </Form>
          </>
        ) : null}
      />
      {a.withdrawnAt ? <p className="mb-4"><Badge tone="red">withdrawn</Badge> Students no longer see this assignment; its rooms and work are kept.</p> : null}
      <Card title={manages ? "Rooms" : "Your room"} actions={manages ? <Link to={`/challenges/${a.challenge.id}`} className={linkClass}>View challenge <DifficultyBadge difficulty={a.challenge.difficulty} /></Link> : null}>
        {a.rooms.length ? (
          <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {a.rooms.map((r) => (
              <li key={r.id} className="rounded-md p-3 ring-1 ring-slate-200 dark:ring-slate-700">
                <Link to={`/rooms/${r.id}`} className={linkClass}>{r.name}</Link>
                <p className="text-sm text-slate-600 dark:text-slate-400">{r.members.map((m) => m.user.name).join(", ") || "nobody yet"}</p>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="No rooms yet">{manages ? "Rooms are made for each student or team; students who join the group later get one too." : "You have no room in this assignment."}</EmptyState>
        )}
      </Card>
    </>
  );
}
