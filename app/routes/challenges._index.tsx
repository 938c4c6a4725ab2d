import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DifficultyBadge } from "~/components/status.tsx";
import { Badge, Card, EmptyState, PageHeader, Table, linkClass } from "~/components/ui.tsx";
import { listChallengesFor } from "~/models/challenge.server.ts";
import { requireTeacher } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Challenges · Chalkroom" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const teacher = await requireTeacher(request);
  const challenges = await listChallengesFor(teacher);
  return { challenges: challenges.map((c) => ({ ...c, mine: c.authorId === teacher.id })) };
}

export default function Challenges() {
  const { challenges } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Challenges" subtitle="Yours and the ones other teachers made public." actions={<Link to="/challenges/new" className="rounded-md bg-indigo-700 px-3.5 py-2 text-sm font-semibold text-white hover:bg-indigo-800">New challenge</Link>} />
      <Card>
        {challenges.length ? (
          <Table caption="Challenges" head={["Title", "Difficulty", "Tags", "Catalog", "Author", "Tests"]}>
            {challenges.map((c) => (
              <tr key={c.id}>
                <td className="px-3 py-2"><Link to={`/challenges/${c.id}`} className={linkClass}>{c.title}</Link> {c.visibility === "PRIVATE" ? <Badge>private</Badge> : null}</td>
                <td className="px-3 py-2"><DifficultyBadge difficulty={c.difficulty} /></td>
                <td className="px-3 py-2">{c.tags.join(", ")}</td>
                <td className="px-3 py-2">{c.catalog?.name ?? "—"}</td>
                <td className="px-3 py-2">{c.mine ? "you" : c.author.name}</td>
                <td className="px-3 py-2">{c._count.tests}</td>
              </tr>
            ))}
          </Table>
        ) : (
          <EmptyState title="No challenges yet" action={<Link to="/challenges/new" className={linkClass}>Write your first challenge</Link>}>A challenge is a Python task with tests: visible ones guide students, hidden ones check their work.</EmptyState>
        )}
      </Card>
    </>
  );
}
