import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RoomView } from "~/components/room-view.tsx";
import { VoiceBar } from "~/components/voice-bar.tsx";
import { Button, Card, Field, Input } from "~/components/ui.tsx";
import { roomVisitorAccess } from "~/models/access.server.ts";
import { getRoomPage } from "~/models/room.server.ts";
import { openShareLink } from "~/models/share-link.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { GuestName, rememberGuest, visitorFromCookieHeader } from "~/utils/visitor.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data && !data.needsName ? data.page.challenge.title : "Shared room"} · Chalkroom` }];

const GONE = {
  unknown: { status: 404, message: "This share link does not exist. Ask whoever shared it for a new one." },
  revoked: { status: 410, message: "This share link was revoked. Ask whoever shared it for a new one." },
  expired: { status: 410, message: "This share link has expired. Ask whoever shared it for a new one." },
} as const;

/** The room a token opens, or a thrown 404/410 that says why not. */
async function openRoom(token: string) {
  const link = await openShareLink(token);
  if (link.status !== "open") throw new Response(GONE[link.status].message, { status: GONE[link.status].status });
  return link;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token!;
  const link = await openRoom(token);
  const visitor = await visitorFromCookieHeader(request.headers.get("Cookie"));
  if (!visitor) return { needsName: true as const, mode: link.mode };
  const visit = await roomVisitorAccess(visitor, link.roomId, token);
  // Members (whose own access is at least the link's) use their own seat in the room.
  if (visit.access !== "none" && visit.shareLinkId === null) throw redirect(`/rooms/${link.roomId}`);
  if (visit.access === "none") throw new Response("This room is no longer open.", { status: 410 });
  return { needsName: false as const, page: await getRoomPage(link.roomId), me: { id: visitor.id, name: visitor.name }, readOnly: visit.access === "read", token };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token!;
  await openRoom(token);
  const name = GuestName.safeParse((await readForm(request)).name ?? "");
  if (!name.success) return data({ error: name.error.issues[0]!.message }, { status: 400 });
  return rememberGuest(request, name.data, `/share/${token}`);
}

function ChooseName({ mode }: { mode: "READ" | "EDIT" }) {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mx-auto max-w-md py-10">
      <Card title="Join a shared room">
        <p className="mb-4 text-sm text-slate-700 dark:text-slate-300">
          Someone shared a room with you: you can {mode === "EDIT" ? "edit its code with the people in it" : "watch its code as people write it"}. Choose the name others will see.
        </p>
        <Form method="post" className="space-y-4">
          <Field label="Your name" error={result?.error}>{(p) => <Input {...p} name="name" autoComplete="nickname" maxLength={40} required autoFocus />}</Field>
          <Button busy={busy}>Join the room</Button>
        </Form>
      </Card>
    </div>
  );
}

export default function SharedRoom() {
  const view = useLoaderData<typeof loader>();
  if (view.needsName) return <ChooseName mode={view.mode} />;
  return <RoomView page={view.page} me={view.me} readOnly={view.readOnly} shareToken={view.token} note={view.readOnly ? "You are watching through a share link." : "You joined through a share link."} voice={<VoiceBar roomId={view.page.room.id} availability="members-only" />} />;
}
