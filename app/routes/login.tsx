import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Button, Card, Field, FormError, Input } from "~/components/ui.tsx";
import { login } from "~/models/user.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { getSessionUser, safeRedirect, startSession } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Log in · Chalkroom" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const result = await login(form, context.clientIp);
  if (!result.ok) return data({ errors: result.errors }, { status: result.status ?? 400 });
  throw redirect(safeRedirect(form.redirectTo), { headers: { "Set-Cookie": await startSession(result.value.id) } });
}

export default function Login() {
  const errors = useActionData<typeof action>()?.errors ?? {};
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="mx-auto max-w-md py-8">
      <h1 className="mb-6 text-2xl font-bold">Log in to Chalkroom</h1>
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <FormError error={errors.form} />
          <Field label="Email" error={errors.email}>{(p) => <Input {...p} name="email" type="email" autoComplete="email" required />}</Field>
          <Field label="Password" error={errors.password}>{(p) => <Input {...p} name="password" type="password" autoComplete="current-password" required />}</Field>
          <Button type="submit" className="w-full" busy={busy}>Log in</Button>
        </Form>
      </Card>
      <p className="mt-4 text-center text-sm">New here? <Link className="font-medium text-indigo-700 hover:underline dark:text-indigo-300" to={`/signup?${params}`}>Create an account</Link></p>
    </div>
  );
}
