import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Button, Card, FormError, PageHeader, linkClass } from "~/components/ui.tsx";
import { joinGroup } from "~/models/group.server.ts";
import { getSessionUser, requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Join a group · Chalkroom" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  // An invite link: visitors without an account sign up as students and land back here.
  if (!user) throw redirect(`/signup?${new URLSearchParams({ role: "STUDENT", redirectTo: `/join/${params.code}` })}`);
  return { code: params.code!, name: user.name };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const result = await joinGroup(user, { code: params.code });
  if (!result.ok) return data({ error: result.errors.code ?? Object.values(result.errors)[0] }, { status: 400 });
  throw redirect(`/groups/${result.value.groupId}`);
}

export default function JoinByLink() {
  const { code, name } = useLoaderData<typeof loader>();
  const error = useActionData<typeof action>()?.error;
  return (
    <div className="max-w-md">
      <PageHeader title="Join a group" subtitle={`Signed in as ${name}.`} />
      <Card>
        <Form method="post" className="space-y-4">
          <FormError error={error} />
          <p>You were invited with the code <span className="font-mono font-bold tracking-widest">{code.toUpperCase()}</span>.</p>
          <div className="flex items-center gap-4">
            <Button type="submit" busy={useNavigation().state !== "idle"}>Join the group</Button>
            <Link to="/join" className={linkClass}>Type a different code</Link>
          </div>
        </Form>
      </Card>
    </div>
  );
}
