import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ScheduleFields } from "~/components/schedule-fields.tsx";
import { Button, Card, FormError, PageHeader } from "~/components/ui.tsx";
import { requireAssignmentAccess } from "~/models/access.server.ts";
import { getAssignmentPage, updateAssignment } from "~/models/assignment.server.ts";
import { readForm } from "~/utils/form.server.ts";

export const meta: MetaFunction = () => [{ title: "Edit assignment · Chalkroom" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireAssignmentAccess(request, params.assignmentId!, "manage");
  return { assignment: await getAssignmentPage(params.assignmentId!, user, true) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireAssignmentAccess(request, params.assignmentId!, "manage");
  const result = await updateAssignment(params.assignmentId!, await readForm(request));
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  throw redirect(`/assignments/${params.assignmentId}`);
}

export default function EditAssignment() {
  const { assignment } = useLoaderData<typeof loader>();
  const errors: Record<string, string> = useActionData<typeof action>()?.errors ?? {};
  return (
    <div className="max-w-3xl">
      <PageHeader title={`Edit: ${assignment.challenge.title}`} subtitle={`${assignment.group.name} · rooms are already made, so the team setup stays as it is.`} />
      <Card>
        <Form method="post" className="space-y-5" noValidate>
          <FormError error={errors.form} />
          <ScheduleFields errors={errors} defaults={{ opensAt: assignment.opensAt, dueAt: assignment.dueAt, attemptLimit: assignment.attemptLimit }} />
          <Button type="submit" busy={useNavigation().state !== "idle"}>Save</Button>
        </Form>
      </Card>
    </div>
  );
}
