import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ChallengeForm } from "~/components/challenge-form.tsx";
import { PageHeader } from "~/components/ui.tsx";
import { requireChallengeAccess } from "~/models/access.server.ts";
import { challengeFormToInput, challengeToInput, getChallengeForTeacher, updateChallenge } from "~/models/challenge.server.ts";
import { readForm } from "~/utils/form.server.ts";

export const meta: MetaFunction = () => [{ title: "Edit challenge · Chalkroom" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireChallengeAccess(request, params.challengeId!, "manage");
  return { initial: challengeToInput(await getChallengeForTeacher(params.challengeId!)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireChallengeAccess(request, params.challengeId!, "manage");
  const result = await updateChallenge(params.challengeId!, challengeFormToInput(await readForm(request)));
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  throw redirect(`/challenges/${params.challengeId}`);
}

export default function EditChallenge() {
  const { initial } = useLoaderData<typeof loader>();
  const errors: Record<string, string> = useActionData<typeof action>()?.errors ?? {};
  return (
    <div className="max-w-4xl">
      <PageHeader title={`Edit: ${initial.title}`} />
      <ChallengeForm initial={initial} errors={errors} submitLabel="Save challenge" />
    </div>
  );
}
