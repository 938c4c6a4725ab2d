import { Link } from "@remix-run/react";
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { EditorPlaceholder } from "~/components/editor-placeholder.tsx";
import type { ConnectionStatus, Presence, RoomEditorHandle } from "~/components/room-editor.client.tsx";
import { RunPanel } from "~/components/run-panel.tsx";
import { DifficultyBadge } from "~/components/status.tsx";
import { Badge, Card, LocalTime, PageHeader, linkClass } from "~/components/ui.tsx";
import { userColor } from "~/components/user-color.ts";
import { VisibleTests } from "~/components/visible-tests.tsx";
import type { getRoomPage } from "~/models/room.server.ts";

// Monaco cannot load on the server: the editor module is client-only and fetched after hydration.
const RoomEditor = lazy(() => import("~/components/room-editor.client.tsx"));

type RoomPage = Awaited<ReturnType<typeof getRoomPage>>;

const STATUS: Record<ConnectionStatus, { label: string; tone: "green" | "amber" | "red" | "slate" }> = {
  connecting: { label: "connecting…", tone: "slate" },
  connected: { label: "connected", tone: "green" },
  reconnecting: { label: "reconnecting… your edits are kept", tone: "amber" },
  offline: { label: "offline: your edits are kept", tone: "red" },
  refused: { label: "disconnected", tone: "red" },
};

interface RoomViewProps {
  page: { room: Omit<RoomPage["room"], "assignment"> & { assignment: Omit<RoomPage["room"]["assignment"], "dueAt"> & { dueAt: string | Date | null } }; challenge: RoomPage["challenge"] };
  me: { id: string; name: string };
  readOnly: boolean;
  /** Present when the visitor came through a share link: the editor's connection carries it. */
  shareToken?: string;
  /** Shown under the header: how the visitor is here ("You teach this group", "Shared with you"). */
  note?: string;
  /** Panels under the editor (submissions). */
  main?: React.ReactNode;
  /** Panels of the side column below the people list (history, share links). */
  aside?: React.ReactNode;
  /** The voice bar, above the editor. */
  voice?: React.ReactNode;
}

/** A room as its visitors see it: the task, the shared editor, who is here. */
export function RoomView({ page: { room, challenge }, me, readOnly, shareToken, note, main, aside, voice }: RoomViewProps) {
  const [hydrated, setHydrated] = useState(false);
  const [status, setStatus] = useState<{ status: ConnectionStatus; reason?: string }>({ status: "connecting" });
  const [people, setPeople] = useState<Presence[]>([]);
  const onStatus = useCallback((next: ConnectionStatus, reason?: string) => setStatus({ status: next, reason }), []);
  // Run reads the shared Yjs text through the editor: the room's one copy of the code.
  const editor = useRef<RoomEditorHandle>(null);
  useEffect(() => setHydrated(true), []);
  const online = new Set(people.map((p) => p.userId));
  return (
    <>
      <PageHeader
        title={challenge.title}
        subtitle={
          shareToken ? (
            <>{room.name} · {room.assignment.group.name}</>
          ) : (
            <>{room.name} · <Link className={linkClass} to={`/groups/${room.assignment.group.id}`}>{room.assignment.group.name}</Link> · due <LocalTime value={room.assignment.dueAt} /></>
          )
        }
        actions={<span role="status" aria-live="polite" data-testid="connection-status"><Badge tone={STATUS[status.status].tone}>{STATUS[status.status].label}</Badge>{readOnly ? <> <Badge>read only</Badge></> : null}</span>}
      />
      {voice}
      {status.status === "refused" ? <p role="alert" className="mb-4 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">{status.reason}. The code below is what you last saw.</p> : null}
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="min-w-0 space-y-6">
          {hydrated ? (
            <Suspense fallback={<EditorPlaceholder />}>
              <RoomEditor ref={editor} roomId={room.id} user={me} readOnly={readOnly} shareToken={shareToken} onStatus={onStatus} onPresence={setPeople} />
            </Suspense>
          ) : (
            <EditorPlaceholder />
          )}
          {/* Running is local to this browser, so read-only watchers may run the code too. */}
          <RunPanel readCode={() => editor.current?.code() ?? ""} />
          {main}
          <Card title="Tests">
            <VisibleTests tests={challenge.tests} />
            {challenge.hiddenTestCount ? <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Plus {challenge.hiddenTestCount} hidden test{challenge.hiddenTestCount === 1 ? "" : "s"}, run when you submit.</p> : null}
          </Card>
        </div>
        <aside className="space-y-6">
          <Card title="People">
            <ul className="space-y-1.5 text-sm" aria-label="People in this room" data-testid="presence">
              {people.map((p) => (
                <li key={p.clientId} className="flex items-center gap-2">
                  <span aria-hidden className="h-2.5 w-2.5 rounded-full" style={{ background: p.color }} />
                  <span>{p.name}{p.self ? " (you)" : ""}</span>
                  {p.typing ? <span className="text-xs text-slate-600 dark:text-slate-400">typing…</span> : null}
                </li>
              ))}
              {room.members.filter((m) => !online.has(m.user.id)).map((m) => (
                <li key={m.user.id} className="flex items-center gap-2 text-slate-500 dark:text-slate-400">
                  <span aria-hidden className="h-2.5 w-2.5 rounded-full ring-1 ring-inset" style={{ color: userColor(m.user.id) }} />
                  <span>{m.user.name} · away</span>
                </li>
              ))}
            </ul>
            {note ? <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">{note}</p> : null}
          </Card>
          {aside}
          <Card title={<>Task <DifficultyBadge difficulty={challenge.difficulty} /></>}>
            <div className="prose-chalk" dangerouslySetInnerHTML={{ __html: challenge.promptHtml }} />
          </Card>
        </aside>
      </div>
    </>
  );
}
