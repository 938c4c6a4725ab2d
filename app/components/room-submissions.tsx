import { useFetcher, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Button, Card, EmptyState, FormError } from "./ui.tsx";
import { SubmissionResults, SubmissionScore, type SubmissionView } from "./submission-results.tsx";
import { useLiveEvents } from "./use-live-events.ts";

interface Props {
  roomId: string;
  submissions: SubmissionView[];
  canSubmit: boolean;
  attemptsLeft: number | null;
}

/** Submit the room's code for grading; results arrive live for everyone in the room. */
export function RoomSubmissions({ roomId, submissions, canSubmit, attemptsLeft }: Props) {
  const submit = useFetcher<{ error: string | null }>();
  const revalidator = useRevalidator();
  // Any status change (or a reconnect, after which some may have been missed) reloads the page's data. A
  // submission's statuses come within milliseconds of each other: changes during a reload ask for one more
  // once it is done, rather than one reload each.
  const missed = useRef(false);
  useLiveEvents([`room:${roomId}`], (message) => {
    if (message && message.event.type !== "submission") return;
    if (revalidator.state === "idle") revalidator.revalidate();
    else missed.current = true;
  });
  useEffect(() => {
    if (revalidator.state !== "idle" || !missed.current) return;
    missed.current = false;
    revalidator.revalidate();
  });
  const [latest, ...older] = submissions;
  const busy = submit.state !== "idle";
  return (
    <Card
      title="Submissions"
      actions={canSubmit ? (
        <submit.Form method="post">
          <Button name="intent" value="submit" busy={busy} disabled={attemptsLeft === 0}>Submit for grading</Button>
        </submit.Form>
      ) : null}
    >
      <div aria-live="polite" className="space-y-3" data-testid="submissions">
        <FormError error={submit.data?.error ?? undefined} />
        {canSubmit && attemptsLeft !== null ? <p className="text-xs text-slate-600 dark:text-slate-400">{attemptsLeft} attempt{attemptsLeft === 1 ? "" : "s"} left.</p> : null}
        {latest ? (
          <>
            <SubmissionResults submission={latest} />
            {older.length ? (
              <details className="text-sm">
                <summary className="cursor-pointer">Earlier submissions ({older.length})</summary>
                <ol className="mt-2 space-y-3">
                  {older.map((s) => (
                    <li key={s.id}>
                      <details>
                        <summary className="cursor-pointer"><SubmissionScore submission={s} /> · {s.user.name}</summary>
                        <SubmissionResults submission={s} />
                      </details>
                    </li>
                  ))}
                </ol>
              </details>
            ) : null}
          </>
        ) : (
          <EmptyState title="Nothing submitted yet">Submitting grades the room's current code against every test, hidden ones included.</EmptyState>
        )}
      </div>
    </Card>
  );
}
