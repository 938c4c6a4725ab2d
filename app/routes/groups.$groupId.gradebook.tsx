import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, EmptyState, PageHeader, Table, linkClass } from "~/components/ui.tsx";
import { requireGroupAccess } from "~/models/access.server.ts";
import { getGradebook } from "~/models/gradebook.server.ts";
import { db } from "~/utils/db.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Gradebook: ${data?.group.name ?? "group"} · Chalkroom` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireGroupAccess(request, params.groupId!, "manage");
  const [group, gradebook] = await Promise.all([db.group.findUniqueOrThrow({ where: { id: params.groupId! }, select: { id: true, name: true } }), getGradebook(params.groupId!)]);
  return { group, gradebook };
}

export default function Gradebook() {
  const { group, gradebook } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Gradebook"
        subtitle={<><Link to={`/groups/${group.id}`} className={linkClass}>{group.name}</Link> · best score and number of submissions per assignment</>}
        actions={<a href={`/groups/${group.id}/gradebook/export`} download className="rounded-md px-3.5 py-2 text-sm font-semibold ring-1 ring-inset ring-slate-300 hover:bg-slate-50 dark:ring-slate-600 dark:hover:bg-slate-800">Export CSV</a>}
      />
      {gradebook.rows.length && gradebook.columns.length ? (
        <Table caption={`Gradebook of ${group.name}`} head={["Student", ...gradebook.columns.map((c) => <span key={c.id}>{c.title}{c.withdrawn ? <> <Badge>withdrawn</Badge></> : null}</span>)]}>
            {gradebook.rows.map((row) => (
              <tr key={row.student.id}>
                <th scope="row" className="px-3 py-2 text-left font-medium"><Link to={`/groups/${group.id}/students/${row.student.id}`} className={linkClass}>{row.student.name}</Link></th>
                {row.cells.map((cell, i) => (
                  <td key={gradebook.columns[i].id} className="px-3 py-2 tabular-nums">
                    {cell.submissions ? <>{cell.best ?? "–"} / {cell.maxScore} <span className="text-xs text-slate-600 dark:text-slate-400">({cell.submissions} submission{cell.submissions === 1 ? "" : "s"})</span></> : <span className="text-slate-500 dark:text-slate-400">not submitted</span>}
                  </td>
                ))}
              </tr>
            ))}
          </Table>
      ) : (
        <EmptyState title="Nothing to grade yet">The gradebook fills in as students join and submit.</EmptyState>
      )}
    </>
  );
}
