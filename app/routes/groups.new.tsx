import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Button, Card, Field, Input, PageHeader } from "~/components/ui.tsx";
import { createGroup } from "~/models/group.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { requireTeacher } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "New group · Chalkroom" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireTeacher(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const teacher = await requireTeacher(request);
  const result = await createGroup(teacher, await readForm(request));
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  throw redirect(`/groups/${result.value.id}`);
}

export default function NewGroup() {
  const errors = useActionData<typeof action>()?.errors ?? {};
  return (
    <div className="max-w-lg">
      <PageHeader title="New group" subtitle="A group is one class. It gets a join code for your students." />
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          <Field label="Group name" error={errors.name} hint="For example: Year 10 Python, Tuesday.">{(p) => <Input {...p} name="name" required />}</Field>
          <Button type="submit" busy={useNavigation().state !== "idle"}>Create group</Button>
        </Form>
      </Card>
    </div>
  );
}
