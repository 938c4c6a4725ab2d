import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SubmissionResults, SubmissionScore } from "~/components/submission-results.tsx";
import { Card, EmptyState, LocalTime, PageHeader, linkClass } from "~/components/ui.tsx";
import { requireStudentResultsAccess } from "~/models/access.server.ts";
import { listStudentSubmissions } from "~/models/submission.server.ts";
import { db } from "~/utils/db.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.student.name ?? "Student"}: results · Chalkroom` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireStudentResultsAccess(request, params.groupId!, params.studentId!);
  const [group, student, submissions] = await Promise.all([
    db.group.findUniqueOrThrow({ where: { id: params.groupId! }, select: { id: true, name: true } }),
    db.user.findUniqueOrThrow({ where: { id: params.studentId! }, select: { id: true, name: true } }),
    listStudentSubmissions(params.groupId!, params.studentId!),
  ]);
  return { group, student, submissions, self: user.id === student.id };
}

export default function StudentResults() {
  const { group, student, submissions, self } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={self ? "My results" : `${student.name}: results`}
        subtitle={<><Link to={self ? `/groups/${group.id}` : `/groups/${group.id}/gradebook`} className={linkClass}>{group.name}</Link> · every submission from {self ? "your" : "their"} rooms, newest first</>}
      />
      {submissions.length ? (
        <ol className="space-y-4" aria-label="Submissions">
          {submissions.map((s) => (
            <li key={s.id}>
              <Card title={<>{s.assignment.challenge.title} · <SubmissionScore submission={s} /></>} actions={<LocalTime value={s.createdAt} />}>
                <SubmissionResults submission={s} />
                <details className="mt-3 text-sm">
                  <summary className="cursor-pointer">Code</summary>
                  <pre className="mt-2 overflow-x-auto rounded bg-slate-100 p-3 font-mono text-xs dark:bg-slate-950" data-testid="submission-code">{s.code}</pre>
                </details>
              </Card>
            </li>
          ))}
        </ol>
      ) : (
        <EmptyState title="No submissions yet">Submissions appear here once {self ? "you submit" : "they submit"} from a room.</EmptyState>
      )}
    </>
  );
}
