import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { DifficultyBadge } from "~/components/status.tsx";
import { Badge, Button, Card, EmptyState, Field, FormError, Input, LocalTime, Notice, PageHeader, Table, linkClass } from "~/components/ui.tsx";
import { ChatPanel } from "~/components/chat-panel.tsx";
import { requireGroupAccess } from "~/models/access.server.ts";
import { listChannels } from "~/models/chat.server.ts";
import { addCoTeacher, getGroupPage, removeStudent, rotateJoinCode, setJoinCodeEnabled } from "~/models/group.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { loadConfig } from "~/utils/config.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.group.name ?? "Group"} · Chalkroom` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, access } = await requireGroupAccess(request, params.groupId!, "read");
  const manages = access === "manage";
  const group = await getGroupPage(params.groupId!, { id: user.id, manages });
  const origin = loadConfig().PUBLIC_URL ?? new URL(request.url).origin;
  return { group, manages, me: user.id, channels: await listChannels(user, params.groupId!), inviteUrl: manages ? `${origin}/join/${group.joinCode}` : null };
}

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("rotate-code") }),
  z.object({ intent: z.literal("disable-code") }),
  z.object({ intent: z.literal("enable-code") }),
  z.object({ intent: z.literal("remove-student"), studentId: z.string().min(1) }),
  z.object({ intent: z.literal("add-teacher"), email: z.string() }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const groupId = params.groupId!;
  await requireGroupAccess(request, groupId, "manage");
  const parsed = Intent.safeParse(await readForm(request));
  if (!parsed.success) return data({ errors: { form: "That action is not recognised." }, notice: null }, { status: 400 });
  const input = parsed.data;
  switch (input.intent) {
    case "rotate-code":
      return { errors: {}, notice: `New join code: ${await rotateJoinCode(groupId)}. The old code and link no longer work.` };
    case "disable-code":
      await setJoinCodeEnabled(groupId, false);
      return { errors: {}, notice: "Join code turned off: nobody new can join until you turn it back on." };
    case "enable-code":
      await setJoinCodeEnabled(groupId, true);
      return { errors: {}, notice: "Join code turned on." };
    case "remove-student": {
      const result = await removeStudent(groupId, input.studentId);
      return result.ok ? { errors: {}, notice: "Student removed from the group." } : data({ errors: result.errors, notice: null }, { status: 400 });
    }
    case "add-teacher": {
      const result = await addCoTeacher(groupId, { email: input.email });
      return result.ok ? { errors: {}, notice: `${result.value.name} now co-teaches this group.` } : data({ errors: result.errors, notice: null }, { status: 400 });
    }
  }
}

export default function GroupPage() {
  const { group, manages, me, channels, inviteUrl } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const busy = useNavigation().state !== "idle";
  const teachers = group.members.filter((m) => m.role === "TEACHER");
  const students = group.members.filter((m) => m.role === "STUDENT");
  return (
    <>
      <PageHeader
        title={group.name}
        subtitle={`${students.length} student${students.length === 1 ? "" : "s"} · taught by ${teachers.map((t) => t.user.name).join(", ")}`}
        actions={manages ? (
          <div className="flex gap-2">
            <Link to={`/groups/${group.id}/gradebook`} className="rounded-md px-3.5 py-2 text-sm font-semibold ring-1 ring-inset ring-slate-300 hover:bg-slate-50 dark:ring-slate-600 dark:hover:bg-slate-800">Gradebook</Link>
            <Link to={`/groups/${group.id}/assignments/new`} className="rounded-md bg-indigo-700 px-3.5 py-2 text-sm font-semibold text-white hover:bg-indigo-800">Assign a challenge</Link>
          </div>
        ) : (
          <Link to={`/groups/${group.id}/students/${me}`} className="rounded-md px-3.5 py-2 text-sm font-semibold ring-1 ring-inset ring-slate-300 hover:bg-slate-50 dark:ring-slate-600 dark:hover:bg-slate-800">My results</Link>
        )}
      />
      <div className="space-y-6">
        {result?.notice ? <Notice>{result.notice}</Notice> : null}
        <FormError error={errors.form} />
        {manages ? (
          <Card title="Join code">
            <div className="flex flex-wrap items-center gap-4">
              <p className="font-mono text-3xl font-bold tracking-[0.2em]" aria-label="Join code" data-testid="join-code">{group.joinCode}</p>
              {group.joinCodeEnabled ? <Badge tone="green">accepting students</Badge> : <Badge tone="red">turned off</Badge>}
            </div>
            <p className="mt-2 text-sm">Invite link: <code className="break-all rounded bg-slate-100 px-1 dark:bg-slate-800" data-testid="invite-link">{inviteUrl}</code></p>
            <div className="mt-4 flex flex-wrap gap-2">
              <Form method="post"><Button variant="secondary" name="intent" value="rotate-code" busy={busy}>New code</Button></Form>
              <Form method="post">
                {group.joinCodeEnabled
                  ? <Button variant="secondary" name="intent" value="disable-code">Turn off joining</Button>
                  : <Button variant="secondary" name="intent" value="enable-code">Turn on joining</Button>}
              </Form>
            </div>
          </Card>
        ) : null}

        <Card title="Assignments">
          {group.assignments.length ? (
            <ul className="divide-y divide-slate-100 dark:divide-slate-800">
              {group.assignments.map((a) => (
                <li key={a.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                  <div>
                    <Link to={`/assignments/${a.id}`} className={linkClass}>{a.challenge.title}</Link> <DifficultyBadge difficulty={a.challenge.difficulty} />
                    {a.withdrawnAt ? <> <Badge tone="red">withdrawn</Badge></> : null}
                    <p className="text-sm text-slate-600 dark:text-slate-400">
                      {a.mode === "TEAM" ? `Teams of ${a.teamSize}` : "Individual"} · opens <LocalTime value={a.opensAt} /> · due <LocalTime value={a.dueAt} />
                    </p>
                  </div>
                  {manages ? <span className="text-sm text-slate-600 dark:text-slate-400">{a._count.rooms} room{a._count.rooms === 1 ? "" : "s"}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="No assignments yet" action={manages ? <Link to={`/groups/${group.id}/assignments/new`} className={linkClass}>Assign a challenge</Link> : null}>
              {manages ? "Assign a challenge: each student or team gets a room to work in." : "Your teacher has not assigned anything yet."}
            </EmptyState>
          )}
        </Card>

        <Card title="Roster">
          {students.length ? (
            <Table caption="Students in this group" head={manages ? ["Name", "Email", "Joined", ""] : ["Name"]}>
              {students.map((m) => (
                <tr key={m.user.id}>
                  <td className="px-3 py-2">{m.user.name}</td>
                  {manages ? (
                    <>
                      <td className="px-3 py-2">{m.user.email}</td>
                      <td className="px-3 py-2"><LocalTime value={m.joinedAt} /></td>
                      <td className="px-3 py-2 text-right">
                        <Form method="post" onSubmit={(e) => { if (!confirm(`Remove ${m.user.name} from ${group.name}?`)) e.preventDefault(); }}>
                          <input type="hidden" name="studentId" value={m.user.id} />
                          <Button variant="ghost" name="intent" value="remove-student" aria-label={`Remove ${m.user.name}`}>Remove</Button>
                        </Form>
                      </td>
                    </>
                  ) : null}
                </tr>
              ))}
            </Table>
          ) : (
            <EmptyState title="No students yet">{manages ? "Share the join code or invite link above with your class." : null}</EmptyState>
          )}
          {errors.studentId ? <p className="mt-2 text-sm text-red-700">{errors.studentId}</p> : null}
        </Card>

        {manages ? (
          <Card title="Teachers">
            <ul className="mb-4 text-sm">{teachers.map((t) => <li key={t.user.id}>{t.user.name} <span className="text-slate-600 dark:text-slate-400">({t.user.email})</span></li>)}</ul>
            <Form method="post" className="flex flex-wrap items-end gap-3" noValidate>
              <div className="min-w-64 flex-1">
                <Field label="Add a co-teacher by email" error={errors.email}>{(p) => <Input {...p} name="email" type="email" />}</Field>
              </div>
              <Button variant="secondary" name="intent" value="add-teacher">Add co-teacher</Button>
            </Form>
          </Card>
        ) : null}

        <ChatPanel channels={channels} me={{ id: me, teacher: manages }} />
      </div>
    </>
  );
}
