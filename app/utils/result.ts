import type { FieldErrors } from "./form.server.ts";

/** A user's mistake is a value: the field that is wrong and what to do about it. */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (field: string, message: string): { ok: false; errors: FieldErrors } => ({ ok: false, errors: { [field]: message } });
