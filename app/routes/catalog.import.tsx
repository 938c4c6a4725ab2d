import {
  data,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { Button, Card, Field, Notice, PageHeader, Select, linkClass } from "~/components/ui.tsx";
import { importCatalog, MAX_IMPORT_BYTES } from "~/models/catalog.server.ts";
import { requireTeacher } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Import a catalog · Chalkroom" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireTeacher(request);
  return null;
}

const Visibility = z.enum(["private", "public"]).catch("private");

export async function action({ request }: ActionFunctionArgs) {
  const teacher = await requireTeacher(request);
  const refuse = (message: string, status: number) => data({ problems: [{ path: "(file)", message }], imported: null }, { status });
  let form: FormData;
  try {
    // Streams the upload and stops at the limit, whatever Content-Length says.
    form = await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: MAX_IMPORT_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return refuse(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`, 413);
    return refuse("Upload the catalog file with the form on this page", 400);
  }
  const file = form.get("file");
  const text = file instanceof File ? await file.text() : "";
  if (!text.trim()) return refuse("Choose a catalog file (.json) to import", 400);
  const result = await importCatalog(teacher, text, Visibility.parse(form.get("visibility")));
  if (!result.ok) return data({ problems: result.problems, imported: null }, { status: 400 });
  return { problems: [], imported: result };
}

export default function ImportCatalog() {
  const outcome = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (outcome?.imported) form.current?.reset();
  }, [outcome]);
  return (
    <div className="max-w-3xl">
      <PageHeader title="Import a catalog" subtitle={<>A <code>chalkroom.catalog/v1</code> JSON file, as exported from the <Link to="/catalog" className={linkClass}>catalog</Link>. Nothing is imported unless every challenge is valid.</>} />
      <div className="space-y-4">
        {outcome?.imported ? <Notice>Imported {outcome.imported.imported} challenges into “{outcome.imported.catalog}”.</Notice> : null}
        {outcome?.problems.length ? (
          <div role="alert" className="rounded-md bg-red-50 p-4 text-sm text-red-900 ring-1 ring-red-200 dark:bg-red-950 dark:text-red-100 dark:ring-red-800">
            <p className="font-semibold">Nothing was imported. Fix these problems and try again:</p>
            <ul className="mt-2 list-disc space-y-1 pl-5" data-testid="import-problems">
              {outcome.problems.map((p, i) => (
                <li key={i}><code>{p.path}</code>{"challenge" in p && p.challenge ? ` (${p.challenge})` : ""}: {p.message}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <Card>
          <Form ref={form} method="post" encType="multipart/form-data" className="space-y-4">
            <Field label="Catalog file">{(p) => <input {...p} type="file" name="file" accept="application/json,.json" className="block text-sm" />}</Field>
            <Field label="Make the imported challenges">
              {(p) => (
                <Select {...p} name="visibility" defaultValue="private">
                  <option value="private">Private: only me</option>
                  <option value="public">Public: every teacher</option>
                </Select>
              )}
            </Field>
            <Button type="submit" busy={busy}>Import</Button>
          </Form>
        </Card>
      </div>
    </div>
  );
}
