import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { ChallengeForm } from "~/components/challenge-form.tsx";
import { PageHeader } from "~/components/ui.tsx";
import { challengeFormToInput, createChallenge } from "~/models/challenge.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { requireTeacher } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "New challenge · Chalkroom" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireTeacher(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const teacher = await requireTeacher(request);
  const result = await createChallenge(teacher, challengeFormToInput(await readForm(request)));
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  throw redirect(`/challenges/${result.value.id}`);
}

export default function NewChallenge() {
  const errors: Record<string, string> = useActionData<typeof action>()?.errors ?? {};
  return (
    <div className="max-w-4xl">
      <PageHeader title="New challenge" />
      <ChallengeForm errors={errors} submitLabel="Create challenge" />
    </div>
  );
}
