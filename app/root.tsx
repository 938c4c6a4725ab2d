import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import type { ReactNode } from "react";
import { listGroupsFor } from "~/models/group.server.ts";
import { loadConfig } from "~/utils/config.server.ts";
import { getSessionUser } from "~/utils/session.server.ts";
import stylesheet from "./tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];
export const meta: MetaFunction = () => [{ title: "Chalkroom" }, { name: "description", content: "Teach programming live." }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  const groups = user ? await listGroupsFor(user.id) : [];
  return {
    user,
    groups: groups.map((g) => ({ id: g.id, name: g.name, teaching: g.members[0]?.role === "TEACHER" })),
    // For the room's whiteboard, whichever route shows a room (a member's page or a share link's).
    tldrawLicenseKey: loadConfig().TLDRAW_LICENSE_KEY ?? null,
  };
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen font-sans antialiased">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">Skip to content</a>
      <header className="flex h-14 items-center justify-between border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
        <Link to={user ? "/dashboard" : "/"} className="flex items-center gap-2 text-lg font-bold tracking-tight">
          <span aria-hidden className="grid h-7 w-7 place-items-center rounded bg-indigo-700 text-sm text-white">C</span>
          Chalkroom
        </Link>
        {user?.role === "TEACHER" ? (
          <Form method="get" action="/catalog" role="search" className="mx-4 hidden max-w-md flex-1 sm:block">
            <label htmlFor="top-search" className="sr-only">Search the challenge catalog</label>
            <input id="top-search" type="search" name="q" placeholder="Search challenges" className="w-full rounded-md border-0 bg-slate-100 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-200 focus:bg-white focus:ring-2 focus:ring-indigo-600 dark:bg-slate-800 dark:ring-slate-700" />
          </Form>
        ) : null}
        {user ? <AccountMenu name={user.name} role={user.role} /> : (
          <nav aria-label="Account" className="flex gap-2 text-sm">
            <Link to="/playground" className="rounded-md px-3 py-2 font-medium hover:bg-slate-100 dark:hover:bg-slate-800">Playground</Link>
            <Link to="/login" className="rounded-md px-3 py-2 font-medium hover:bg-slate-100 dark:hover:bg-slate-800">Log in</Link>
            <Link to="/signup" className="rounded-md bg-indigo-700 px-3 py-2 font-semibold text-white hover:bg-indigo-800">Sign up</Link>
          </nav>
        )}
      </header>
      <div className="flex flex-1">
        {user ? <Rail groups={data?.groups ?? []} teacher={user.role === "TEACHER"} /> : null}
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-8">{children}</main>
      </div>
    </div>
  );
}

function Rail({ groups, teacher }: { groups: { id: string; name: string; teaching: boolean }[]; teacher: boolean }) {
  const item = ({ isActive }: { isActive: boolean }) =>
    `block truncate rounded-md px-3 py-1.5 text-sm ${isActive ? "bg-indigo-50 font-semibold text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`;
  return (
    <nav aria-label="Groups" className="hidden w-60 shrink-0 border-r border-slate-200 bg-white p-3 md:block dark:border-slate-800 dark:bg-slate-900">
      <NavLink to="/dashboard" className={item}>Dashboard</NavLink>
      {teacher ? <NavLink to="/catalog" className={item}>Catalog</NavLink> : null}
      {teacher ? <NavLink to="/challenges" end className={item}>My challenges</NavLink> : null}
      <NavLink to="/playground" className={item}>Playground</NavLink>
      <h2 className="mt-4 px-3 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">Groups</h2>
      <ul className="mt-1 space-y-0.5">
        {groups.map((g) => (
          <li key={g.id}><NavLink to={`/groups/${g.id}`} className={item}>{g.name}</NavLink></li>
        ))}
      </ul>
      <div className="mt-3 px-3 text-sm">
        {teacher ? <Link to="/groups/new" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">+ New group</Link> : <Link to="/join" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">+ Join a group</Link>}
      </div>
    </nav>
  );
}

function AccountMenu({ name, role }: { name: string; role: string }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-slate-100 dark:hover:bg-slate-800" aria-label={`Account menu for ${name}`}>
        <span aria-hidden className="grid h-7 w-7 place-items-center rounded-full bg-slate-200 font-semibold dark:bg-slate-700">{name.slice(0, 1).toUpperCase()}</span>
        <span className="hidden sm:inline">{name}</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={6} className="z-50 min-w-48 rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700">
          <DropdownMenu.Label className="px-3 py-1.5 text-xs text-slate-600 dark:text-slate-400">Signed in as {role === "TEACHER" ? "teacher" : "student"}</DropdownMenu.Label>
          <DropdownMenu.Item asChild>
            <Link to="/dashboard" className="block rounded px-3 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100 dark:data-[highlighted]:bg-slate-800">Dashboard</Link>
          </DropdownMenu.Item>
          <DropdownMenu.Item asChild>
            <Form method="post" action="/logout">
              <button type="submit" className="w-full rounded px-3 py-1.5 text-left text-sm outline-none hover:bg-slate-100 dark:hover:bg-slate-800">Log out</button>
            </Form>
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return (
    <Shell>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : null;
  const titles: Record<number, string> = { 403: "You don't have access to this", 404: "We couldn't find that page" };
  const explanations: Record<number, string> = {
    403: "You can see this, but this action needs more rights than you have. Ask a teacher of the group if you think that is wrong.",
    404: "It may have been removed, or it belongs to a group you are not in.",
  };
  if (!isRouteErrorResponse(error)) console.error(error);
  const body = (
    <div className="mx-auto max-w-lg py-16 text-center">
      <p className="text-sm font-semibold text-indigo-700 dark:text-indigo-300">Error {status}</p>
      <h1 className="mt-2 text-2xl font-bold">{titles[status] ?? "Something went wrong"}</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">{detail ?? explanations[status] ?? "An unexpected error happened. Try again in a moment."}</p>
      <Link to="/dashboard" className="mt-6 inline-block rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-800">Back to dashboard</Link>
    </div>
  );
  // The root loader may be what failed: render the shell only when its data is there.
  return useRouteLoaderData("root") ? <Shell>{body}</Shell> : <main id="main">{body}</main>;
}
