import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { getSessionUser } from "~/utils/session.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/dashboard");
  return null;
}

export default function Landing() {
  return (
    <div className="mx-auto max-w-3xl py-12">
      <h1 className="text-4xl font-bold tracking-tight">Teach programming live.</h1>
      <p className="mt-4 text-lg text-slate-700 dark:text-slate-300">
        Chalkroom gives your class one place to work: groups joined with a short code, a catalog of Python challenges with hidden tests, and assignments that open a shared room for each student or team.
      </p>
      <div className="mt-8 flex flex-wrap gap-3">
        <Link to="/signup?role=TEACHER" className="rounded-md bg-indigo-700 px-4 py-2.5 font-semibold text-white hover:bg-indigo-800">I'm a teacher</Link>
        <Link to="/join" className="rounded-md px-4 py-2.5 font-semibold ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-600 dark:hover:bg-slate-800">I have a join code</Link>
        <Link to="/login" className="px-4 py-2.5 font-semibold text-indigo-700 hover:underline dark:text-indigo-300">Log in</Link>
      </div>
      <p className="mt-10 text-slate-700 dark:text-slate-300">
        Just want to write some Python? <Link to="/playground" className="font-semibold text-indigo-700 hover:underline dark:text-indigo-300">Open the playground</Link>: it runs in your browser, no account needed.
      </p>
    </div>
  );
}
