import * as Dialog from "@radix-ui/react-dialog";
import { Form, useFetcher, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Button, Card, EmptyState, LocalTime, Spinner } from "./ui.tsx";

interface Version {
  id: string;
  createdAt: string | Date;
  what: string;
  by: string | null;
  active: string[];
}

/** The room's versions: preview one read-only, restore it as a new change for everyone, or save one now. */
export function RoomHistory({ roomId, versions, canWrite }: { roomId: string; versions: Version[]; canWrite: boolean }) {
  const preview = useFetcher<{ code: string }>();
  const [open, setOpen] = useState<Version | null>(null);
  const busy = useNavigation().state === "submitting";
  return (
    <Card
      title="History"
      actions={canWrite ? (
        <Form method="post"><Button variant="secondary" name="intent" value="save-version" busy={busy}>Save a version</Button></Form>
      ) : null}
    >
      {versions.length ? (
        <ol className="space-y-2 text-sm" aria-label="Versions" data-testid="history">
          {versions.map((v) => (
            <li key={v.id} className="flex items-center justify-between gap-2">
              <div className="min-w-0">
                <p><LocalTime value={v.createdAt} /> · {v.what}{v.by ? ` by ${v.by}` : ""}</p>
                <p className="truncate text-xs text-slate-600 dark:text-slate-400">{v.active.length ? `In the room: ${v.active.join(", ")}` : "Nobody was in the room"}</p>
              </div>
              <Button
                variant="ghost"
                aria-label={`Preview the version from ${new Date(v.createdAt).toLocaleTimeString()}`}
                onClick={() => {
                  setOpen(v);
                  preview.load(`/rooms/${roomId}/history/${v.id}`);
                }}
              >
                Preview
              </Button>
            </li>
          ))}
        </ol>
      ) : (
        <EmptyState title="No versions yet">A version is kept every 5 minutes while people edit, on each submission, and when someone saves one.</EmptyState>
      )}
      <Dialog.Root open={open !== null} onOpenChange={(next) => !next && setOpen(null)}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 bg-black/40" />
          <Dialog.Content className="fixed left-1/2 top-1/2 w-[min(48rem,92vw)] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl dark:bg-slate-900">
            <Dialog.Title className="text-lg font-semibold">Version from {open ? <LocalTime value={open.createdAt} /> : null}</Dialog.Title>
            <Dialog.Description className="mt-1 text-sm text-slate-600 dark:text-slate-400">Read only. Restoring puts this code back for everyone as a new change; nothing in the history is lost.</Dialog.Description>
            {preview.state === "loading" || !preview.data ? (
              <div className="mt-4"><Spinner label="Loading the version…" /></div>
            ) : (
              <pre className="mt-4 max-h-96 overflow-auto rounded-md bg-slate-100 p-3 font-mono text-sm dark:bg-slate-950" data-testid="version-preview">{preview.data.code}</pre>
            )}
            <div className="mt-5 flex justify-end gap-2">
              <Dialog.Close asChild><Button type="button" variant="secondary">Close</Button></Dialog.Close>
              {canWrite && open ? (
                <Form method="post" onSubmit={() => setOpen(null)}>
                  <input type="hidden" name="snapshotId" value={open.id} />
                  <Button name="intent" value="restore">Restore this version</Button>
                </Form>
              ) : null}
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </Card>
  );
}
