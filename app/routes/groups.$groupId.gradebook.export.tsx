import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireGroupAccess } from "~/models/access.server.ts";
import { getGradebook, gradebookCsv } from "~/models/gradebook.server.ts";
import { db } from "~/utils/db.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireGroupAccess(request, params.groupId!, "manage");
  const group = await db.group.findUniqueOrThrow({ where: { id: params.groupId! }, select: { name: true } });
  const filename = `${group.name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "group"}-gradebook.csv`;
  return new Response(gradebookCsv(await getGradebook(params.groupId!)), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"` },
  });
}
