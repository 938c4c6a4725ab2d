import type { z } from "zod";

export type FieldErrors = Record<string, string>;

/** First message per field, keyed by dotted path ("tests.0.expected"), for inline form errors. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

/** The request's form fields; a body that is not a form answers 400 instead of crashing the handler. */
export async function readForm(request: Request): Promise<Record<string, string>> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response("Send this form as application/x-www-form-urlencoded or multipart/form-data.", { status: 400 });
  }
  return formObject(form);
}

export function formObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") out[key] = value;
  return out;
}
