import { Link, useRouteLoaderData } from "@remix-run/react";
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { EditorPlaceholder } from "~/components/editor-placeholder.tsx";
import type { ConnectionStatus, Presence, RoomConnection } from "~/components/room-connection.client.ts";
import { RunPanel } from "~/components/run-panel.tsx";
import { DifficultyBadge } from "~/components/status.tsx";
import { Badge, Card, LocalTime, PageHeader, Tabs, linkClass } from "~/components/ui.tsx";
import { userColor } from "~/components/user-color.ts";
import { VisibleTests } from "~/components/visible-tests.tsx";
import type { getRoomPage } from "~/models/room.server.ts";
import type { loader as rootLoader } from "~/root.tsx";

// Monaco and tldraw cannot load on the server: their modules are client-only and fetched after hydration.
const RoomEditor = lazy(() => import("~/components/room-editor.client.tsx"));
const RoomWhiteboard = lazy(() => import("~/components/room-whiteboard.client.tsx"));

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
  /** Present when the visitor came through a share link: the room connection carries it. */
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

/** A room as its visitors see it: the task, the shared editor and whiteboard, who is here. */
export function RoomView({ page: { room, challenge }, me, readOnly, shareToken, note, main, aside, voice }: RoomViewProps) {
  const [status, setStatus] = useState<{ status: ConnectionStatus; reason?: string }>({ status: "connecting" });
  const [people, setPeople] = useState<Presence[]>([]);
  const onStatus = useCallback((next: ConnectionStatus, reason?: string) => setStatus({ status: next, reason }), []);
  const [tab, setTab] = useState<"code" | "whiteboard">("code");
  // tldraw is fetched the first time someone opens the board, then kept (with its camera and tool) while hidden.
  const [boardOpened, setBoardOpened] = useState(false);
  const licenseKey = useRouteLoaderData<typeof rootLoader>("root")?.tldrawLicenseKey ?? undefined;

  // One document and one socket per visit, shared by the editor and the whiteboard.
  const [connection, setConnection] = useState<RoomConnection | null>(null);
  useEffect(() => {
    let closed = false;
    let opened: RoomConnection | undefined;
    import("~/components/room-connection.client.ts").then(
      ({ openRoomConnection }) => {
        if (closed) return;
        opened = openRoomConnection({ roomId: room.id, user: { id: me.id, name: me.name }, readOnly, shareToken }, { onStatus, onPeople: setPeople });
        setConnection(opened);
      },
      () => onStatus("refused", "This page could not load its connection to the room; reload it to try again"),
    );
    return () => {
      closed = true;
      opened?.close();
      setConnection(null);
    };
  }, [room.id, me.id, me.name, readOnly, shareToken, onStatus]);

  const selectTab = (next: "code" | "whiteboard") => {
    setTab(next);
    if (next === "whiteboard") setBoardOpened(true);
  };
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
      {status.status === "refused" ? <p role="alert" className="mb-4 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">{status.reason}. What you see below is what you last saw.</p> : null}
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="min-w-0 space-y-6">
          <Tabs
            label="Room"
            selected={tab}
            onSelect={selectTab}
            tabs={[
              {
                id: "code",
                label: "Code",
                panel: (
                  <>
                    {connection ? (
                      <Suspense fallback={<EditorPlaceholder />}>
                        <RoomEditor connection={connection} />
                      </Suspense>
                    ) : (
                      <EditorPlaceholder />
                    )}
                    {/* Running is local to this browser, so read-only watchers may run the code too. */}
                    <RunPanel readCode={() => connection?.code.toString() ?? ""} shortcut={tab === "code"} />
                  </>
                ),
              },
              {
                id: "whiteboard",
                label: "Whiteboard",
                panel: (
                  <>
                    {connection && boardOpened ? (
                      <Suspense fallback={<EditorPlaceholder label="Loading the whiteboard…" height="h-[32rem]" />}>
                        <RoomWhiteboard connection={connection} licenseKey={licenseKey} visible={tab === "whiteboard"} />
                      </Suspense>
                    ) : (
                      <EditorPlaceholder label="Loading the whiteboard…" height="h-[32rem]" />
                    )}
                    <p className="text-xs text-slate-600 dark:text-slate-400">
                      {readOnly ? "You are watching: the board changes as people draw, but you cannot change it." : "Draw, write and arrange shapes together. Images, files and previews of links cannot be added."}
                    </p>
                  </>
                ),
              },
            ]}
          />
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
