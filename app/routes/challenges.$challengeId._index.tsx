import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import * as Dialog from "@radix-ui/react-dialog";
import { z } from "zod";
import { DifficultyBadge } from "~/components/status.tsx";
import { Badge, Button, Card, FormError, PageHeader } from "~/components/ui.tsx";
import { VisibleTests } from "~/components/visible-tests.tsx";
import { canSeeChallengeAnswers, requireChallengeAccess } from "~/models/access.server.ts";
import { deleteChallenge, getChallengeForTeacher, getPublicChallengeView } from "~/models/challenge.server.ts";
import { readForm } from "~/utils/form.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.challenge.title ?? "Challenge"} · Chalkroom` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, access } = await requireChallengeAccess(request, params.challengeId!, "read");
  const challenge = (await canSeeChallengeAnswers(user, params.challengeId!))
    ? { ...(await getChallengeForTeacher(params.challengeId!)), hiddenTestCount: 0 }
    : await getPublicChallengeView(params.challengeId!);
  return { challenge, manages: access === "manage" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireChallengeAccess(request, params.challengeId!, "manage");
  const parsed = z.object({ intent: z.literal("delete") }).safeParse(await readForm(request));
  if (!parsed.success) return data({ errors: { form: "That action is not recognised." } }, { status: 400 });
  const result = await deleteChallenge(params.challengeId!);
  if (!result.ok) return data({ errors: result.errors }, { status: 409 });
  throw redirect("/challenges");
}

export default function ChallengePage() {
  const { challenge: c, manages } = useLoaderData<typeof loader>();
  const errors: Record<string, string> = useActionData<typeof action>()?.errors ?? {};
  return (
    <>
      <PageHeader
        title={c.title}
        subtitle={<>by {c.author.name}{c.catalog ? ` · ${c.catalog.name}` : ""} · <DifficultyBadge difficulty={c.difficulty} /> {c.visibility === "PUBLIC" ? <Badge tone="green">public</Badge> : <Badge>private</Badge>} {c.tags.map((t) => <Badge key={t} tone="indigo">{t}</Badge>)}</>}
        actions={manages ? (
          <>
            <Link to={`/challenges/${c.id}/edit`} className="rounded-md px-3.5 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-600 dark:hover:bg-slate-800">Edit</Link>
            <Dialog.Root>
              <Dialog.Trigger asChild><Button variant="danger">Delete</Button></Dialog.Trigger>
              <Dialog.Portal>
                <Dialog.Overlay className="fixed inset-0 bg-black/40" />
                <Dialog.Content className="fixed left-1/2 top-1/2 w-[min(28rem,90vw)] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl dark:bg-slate-900">
                  <Dialog.Title className="text-lg font-semibold">Delete “{c.title}”?</Dialog.Title>
                  <Dialog.Description className="mt-2 text-sm">The challenge and its tests are removed for good.</Dialog.Description>
                  <div className="mt-3"><FormError error={errors.form} /></div>
                  <Form method="post" className="mt-5 flex justify-end gap-2">
                    <Dialog.Close asChild><Button type="button" variant="secondary">Cancel</Button></Dialog.Close>
                    <Button variant="danger" name="intent" value="delete">Delete challenge</Button>
                  </Form>
                </Dialog.Content>
              </Dialog.Portal>
            </Dialog.Root>
          </>
        ) : null}
      />
      <div className="space-y-6">
        <FormError error={errors.form} />
        <Card title="Prompt"><div className="prose-chalk" dangerouslySetInnerHTML={{ __html: c.promptHtml }} /></Card>
        <Card title="Starter code"><pre className="overflow-x-auto rounded-md bg-slate-100 p-3 font-mono text-sm dark:bg-slate-950">{c.starterCode || "(none)"}</pre></Card>
        {c.referenceSolution ? <Card title="Reference solution"><pre className="overflow-x-auto rounded-md bg-slate-100 p-3 font-mono text-sm dark:bg-slate-950">{c.referenceSolution}</pre></Card> : null}
        <Card title={`Tests (${c.tests.length + c.hiddenTestCount})`}>
          <VisibleTests tests={c.tests} showVisibility />
          {c.hiddenTestCount ? <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Plus {c.hiddenTestCount} hidden test{c.hiddenTestCount === 1 ? "" : "s"}: only the author and the teachers of groups it is assigned to see them.</p> : null}
        </Card>
      </div>
    </>
  );
}
