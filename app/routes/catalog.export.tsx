import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportCatalog } from "~/models/catalog.server.ts";
import { requireTeacher } from "~/utils/session.server.ts";

// GET /catalog/export?catalog=Name — the teacher's own challenges in that catalog, as a catalog file.
export async function loader({ request }: LoaderFunctionArgs) {
  const teacher = await requireTeacher(request);
  const name = new URL(request.url).searchParams.get("catalog");
  const file = await exportCatalog(teacher, name && name.trim() ? name.trim().slice(0, 80) : null);
  const filename = `${file.catalog.replace(/[^\w-]+/g, "-").toLowerCase() || "catalog"}.chalkroom.json`;
  return new Response(JSON.stringify(file, null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"` },
  });
}
