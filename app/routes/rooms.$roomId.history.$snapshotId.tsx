import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRoomAccess } from "~/models/access.server.ts";
import { getSnapshotCode } from "~/models/room.server.ts";

// GET /rooms/:roomId/history/:snapshotId — a version's code, for the history panel's read-only preview.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRoomAccess(request, params.roomId!, "read");
  const code = await getSnapshotCode(params.roomId!, params.snapshotId!);
  if (code === null) throw new Response("This room has no such version.", { status: 404 });
  return Response.json({ code });
}
