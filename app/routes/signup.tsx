import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Button, Card, Field, FormError, Input } from "~/components/ui.tsx";
import { signup } from "~/models/user.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { getSessionUser, safeRedirect, startSession } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Sign up · Chalkroom" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const result = await signup(form);
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  throw redirect(safeRedirect(form.redirectTo), { headers: { "Set-Cookie": await startSession(result.value.id) } });
}

export default function Signup() {
  const errors = useActionData<typeof action>()?.errors ?? {};
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const role = params.get("role") === "TEACHER" ? "TEACHER" : params.get("role") === "STUDENT" ? "STUDENT" : undefined;
  return (
    <div className="mx-auto max-w-md py-8">
      <h1 className="mb-6 text-2xl font-bold">Create your account</h1>
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <FormError error={errors.form} />
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium">I am a</legend>
            <div className="flex gap-4 text-sm">
              <label className="flex items-center gap-2"><input type="radio" name="role" value="TEACHER" defaultChecked={role === "TEACHER"} /> Teacher</label>
              <label className="flex items-center gap-2"><input type="radio" name="role" value="STUDENT" defaultChecked={role === "STUDENT"} /> Student</label>
            </div>
            {errors.role ? <p className="text-sm text-red-700 dark:text-red-400" data-field-error>{errors.role}</p> : null}
          </fieldset>
          <Field label="Name" error={errors.name}>{(p) => <Input {...p} name="name" autoComplete="name" required />}</Field>
          <Field label="Email" error={errors.email}>{(p) => <Input {...p} name="email" type="email" autoComplete="email" required />}</Field>
          <Field label="Password" error={errors.password} hint="At least 8 characters.">{(p) => <Input {...p} name="password" type="password" autoComplete="new-password" required />}</Field>
          <Button type="submit" className="w-full" busy={busy}>Sign up</Button>
        </Form>
      </Card>
      <p className="mt-4 text-center text-sm">Already have an account? <Link className="font-medium text-indigo-700 hover:underline dark:text-indigo-300" to={`/login?${params}`}>Log in</Link></p>
    </div>
  );
}
