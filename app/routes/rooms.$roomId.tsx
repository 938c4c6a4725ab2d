import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { EditorPlaceholder } from "~/components/editor-placeholder.tsx";
import type { ConnectionStatus, Presence, RoomEditorHandle } from "~/components/room-editor.client.tsx";
import { RunPanel } from "~/components/run-panel.tsx";
import { DifficultyBadge } from "~/components/status.tsx";
import { Badge, Card, LocalTime, PageHeader, linkClass } from "~/components/ui.tsx";
import { userColor } from "~/components/user-color.ts";
import { VisibleTests } from "~/components/visible-tests.tsx";
import { RoomHistory } from "~/components/room-history.tsx";
import { atLeast, requireRoomAccess } from "~/models/access.server.ts";
import { getRoomPage, listRoomHistory } from "~/models/room.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { z } from "zod";

// Monaco cannot load on the server: the editor module is client-only and fetched after hydration.
const RoomEditor = lazy(() => import("~/components/room-editor.client.tsx"));

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.challenge.title ?? "Room"} · Chalkroom` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, access } = await requireRoomAccess(request, params.roomId!, "read");
  // Teachers may watch without typing (the live view does): ?readonly=1 asks the server for a read-only seat.
  const readOnly = access === "read" || new URL(request.url).searchParams.get("readonly") === "1";
  const [page, history] = await Promise.all([getRoomPage(params.roomId!), listRoomHistory(params.roomId!)]);
  return { ...page, history, access, readOnly, canWrite: !readOnly && atLeast(access, "write"), me: { id: user.id, name: user.name } };
}

const RoomIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save-version") }),
  z.object({ intent: z.literal("restore"), snapshotId: z.string().min(1).max(64) }),
]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = await requireRoomAccess(request, params.roomId!, "write");
  const parsed = RoomIntent.safeParse(await readForm(request));
  if (!parsed.success) return data({ error: "That action is not recognised." }, { status: 400 });
  if (parsed.data.intent === "save-version") {
    await context.collab.snapshot(params.roomId!, "MANUAL", user.id);
    return { error: null };
  }
  const outcome = await context.collab.restore(params.roomId!, parsed.data.snapshotId, user.id);
  if (outcome === "no such version") return data({ error: "This room has no such version." }, { status: 404 });
  return { error: null };
}

const STATUS: Record<ConnectionStatus, { label: string; tone: "green" | "amber" | "red" | "slate" }> = {
  connecting: { label: "connecting…", tone: "slate" },
  connected: { label: "connected", tone: "green" },
  reconnecting: { label: "reconnecting… your edits are kept", tone: "amber" },
  offline: { label: "offline: your edits are kept", tone: "red" },
};

export default function Room() {
  const { room, challenge, access, readOnly, canWrite, me, history } = useLoaderData<typeof loader>();
  const [hydrated, setHydrated] = useState(false);
  const [status, setStatus] = useState<ConnectionStatus>("connecting");
  const [people, setPeople] = useState<Presence[]>([]);
  // Run reads the shared Yjs text through the editor: the room's one copy of the code.
  const editor = useRef<RoomEditorHandle>(null);
  useEffect(() => setHydrated(true), []);
  const online = new Set(people.map((p) => p.userId));
  return (
    <>
      <PageHeader
        title={challenge.title}
        subtitle={<>{room.name} · <Link className={linkClass} to={`/groups/${room.assignment.group.id}`}>{room.assignment.group.name}</Link> · due <LocalTime value={room.assignment.dueAt} /></>}
        actions={<span role="status" aria-live="polite" data-testid="connection-status"><Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>{readOnly ? <> <Badge>read only</Badge></> : null}</span>}
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="min-w-0 space-y-6">
          {hydrated ? (
            <Suspense fallback={<EditorPlaceholder />}>
              <RoomEditor ref={editor} roomId={room.id} user={me} readOnly={readOnly} onStatus={setStatus} onPresence={setPeople} />
            </Suspense>
          ) : (
            <EditorPlaceholder />
          )}
          {/* Running is local to this browser, so read-only watchers may run the code too. */}
          <RunPanel readCode={() => editor.current?.code() ?? ""} />
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
            {access === "manage" ? <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">You teach this group.</p> : null}
          </Card>
          <RoomHistory roomId={room.id} versions={history} canWrite={canWrite} />
          <Card title={<>Task <DifficultyBadge difficulty={challenge.difficulty} /></>}>
            <div className="prose-chalk" dangerouslySetInnerHTML={{ __html: challenge.promptHtml }} />
          </Card>
        </aside>
      </div>
    </>
  );
}
