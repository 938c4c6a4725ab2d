import { useEffect, useState } from "react";
import { Field, Input } from "./ui.tsx";

/** datetime-local value in the browser's zone for an ISO instant. */
function localValue(value: string | Date | null | undefined): string {
  if (!value) return "";
  const d = new Date(value);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** Opens-at, due-at and attempt limit, with the browser's zone offset so the server stores the right instant. */
export function ScheduleFields({ errors, defaults }: { errors: Record<string, string>; defaults?: { opensAt?: string | Date; dueAt?: string | Date | null; attemptLimit?: number | null } }) {
  const [tzOffset, setTzOffset] = useState(0);
  // Filled after hydration: only the browser knows its time zone.
  const [opensAt, setOpensAt] = useState("");
  const [dueAt, setDueAt] = useState("");
  const opensDefault = defaults?.opensAt ? new Date(defaults.opensAt).toISOString() : null;
  const dueDefault = defaults?.dueAt ? new Date(defaults.dueAt).toISOString() : null;
  useEffect(() => {
    setTzOffset(new Date().getTimezoneOffset());
    setOpensAt(localValue(opensDefault ?? new Date()));
    setDueAt(localValue(dueDefault));
  }, [opensDefault, dueDefault]);
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <input type="hidden" name="tzOffset" value={tzOffset} />
      <Field label="Opens at" error={errors.opensAt}>{(p) => <Input {...p} type="datetime-local" name="opensAt" value={opensAt} onChange={(e) => setOpensAt(e.target.value)} />}</Field>
      <Field label="Due at (optional)" error={errors.dueAt}>{(p) => <Input {...p} type="datetime-local" name="dueAt" value={dueAt} onChange={(e) => setDueAt(e.target.value)} />}</Field>
      <Field label="Attempt limit (optional)" error={errors.attemptLimit} hint="Empty means unlimited.">{(p) => <Input {...p} type="number" min={1} max={100} name="attemptLimit" defaultValue={defaults?.attemptLimit ?? ""} />}</Field>
    </div>
  );
}
