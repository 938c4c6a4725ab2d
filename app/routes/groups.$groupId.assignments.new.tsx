import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { ScheduleFields } from "~/components/schedule-fields.tsx";
import { Button, Card, EmptyState, Field, FormError, Input, PageHeader, Select, linkClass } from "~/components/ui.tsx";
import { requireGroupAccess } from "~/models/access.server.ts";
import { createAssignment } from "~/models/assignment.server.ts";
import { listChallengesFor } from "~/models/challenge.server.ts";
import { db } from "~/utils/db.server.ts";
import { readForm } from "~/utils/form.server.ts";

export const meta: MetaFunction = () => [{ title: "Assign a challenge · Chalkroom" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireGroupAccess(request, params.groupId!, "manage");
  const [group, challenges] = await Promise.all([
    db.group.findUniqueOrThrow({ where: { id: params.groupId! }, select: { id: true, name: true } }),
    listChallengesFor(user),
  ]);
  return { group, challenges: challenges.map((c) => ({ id: c.id, title: c.title, difficulty: c.difficulty, mine: c.authorId === user.id, author: c.author.name })) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireGroupAccess(request, params.groupId!, "manage");
  const result = await createAssignment(user, params.groupId!, await readForm(request));
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  throw redirect(`/assignments/${result.value.id}`);
}

export default function NewAssignment() {
  const { group, challenges } = useLoaderData<typeof loader>();
  const errors: Record<string, string> = useActionData<typeof action>()?.errors ?? {};
  const [params] = useSearchParams();
  const [mode, setMode] = useState("INDIVIDUAL");
  return (
    <div className="max-w-3xl">
      <PageHeader title="Assign a challenge" subtitle={`To ${group.name}`} />
      {challenges.length === 0 ? (
        <EmptyState title="No challenges to assign" action={<Link to="/challenges/new" className={linkClass}>Write a challenge</Link>}>Write a challenge first, or ask a colleague to make theirs public.</EmptyState>
      ) : (
        <Card>
          <Form method="post" className="space-y-5" noValidate>
            <FormError error={errors.form} />
            <Field label="Challenge" error={errors.challengeId}>
              {(p) => (
                <Select {...p} name="challengeId" defaultValue={params.get("challengeId") ?? ""}>
                  <option value="">Choose a challenge…</option>
                  <optgroup label="Mine">{challenges.filter((c) => c.mine).map((c) => <option key={c.id} value={c.id}>{c.title} ({c.difficulty.toLowerCase()})</option>)}</optgroup>
                  <optgroup label="Public">{challenges.filter((c) => !c.mine).map((c) => <option key={c.id} value={c.id}>{c.title} — {c.author}</option>)}</optgroup>
                </Select>
              )}
            </Field>
            <fieldset>
              <legend className="text-sm font-medium">Students work</legend>
              <div className="mt-1 flex flex-wrap gap-4 text-sm">
                <label className="flex items-center gap-2"><input type="radio" name="mode" value="INDIVIDUAL" checked={mode === "INDIVIDUAL"} onChange={() => setMode("INDIVIDUAL")} /> Individually (a room each)</label>
                <label className="flex items-center gap-2"><input type="radio" name="mode" value="TEAM" checked={mode === "TEAM"} onChange={() => setMode("TEAM")} /> In teams (a room per team)</label>
              </div>
              {errors.mode ? <p className="text-sm text-red-700" data-field-error>{errors.mode}</p> : null}
            </fieldset>
            {mode === "TEAM" ? <Field label="Team size" error={errors.teamSize}>{(p) => <Input {...p} type="number" name="teamSize" min={2} max={10} defaultValue={2} className="max-w-32" />}</Field> : null}
            <ScheduleFields errors={errors} />
            <Button type="submit" busy={useNavigation().state !== "idle"}>Assign</Button>
          </Form>
        </Card>
      )}
    </div>
  );
}
