import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Button, Card, Field, Input, PageHeader } from "~/components/ui.tsx";
import { joinGroup } from "~/models/group.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Join a group · Chalkroom" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const code = url.searchParams.get("code");
  // Anonymous visitors sign up as students on the way, then come back here.
  if (code) throw redirect(`/join/${encodeURIComponent(code)}`);
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const result = await joinGroup(user, await readForm(request));
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  throw redirect(`/groups/${result.value.groupId}`);
}

export default function Join() {
  const errors: Record<string, string> = useActionData<typeof action>()?.errors ?? {};
  return (
    <div className="max-w-md">
      <PageHeader title="Join a group" subtitle="Type the code your teacher shows you." />
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          <Field label="Join code" error={errors.code} hint="Letters and digits, like KDX7RHP. Case and dashes do not matter.">
            {(p) => <Input {...p} name="code" autoComplete="off" autoCapitalize="characters" spellCheck={false} className="font-mono uppercase tracking-widest" required />}
          </Field>
          <Button type="submit" busy={useNavigation().state !== "idle"}>Join</Button>
        </Form>
      </Card>
    </div>
  );
}
