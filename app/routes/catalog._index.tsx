import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useEffect, useRef, type KeyboardEvent } from "react";
import { Highlighted } from "~/components/highlighted.tsx";
import { DifficultyBadge } from "~/components/status.tsx";
import { Badge, Card, EmptyState, PageHeader, Select, Spinner, linkClass } from "~/components/ui.tsx";
import { searchCatalog } from "~/models/catalog-search.server.ts";
import { listOwnCatalogs } from "~/models/catalog.server.ts";
import { db } from "~/utils/db.server.ts";
import { requireTeacher } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Catalog · Chalkroom" }];

const FACET_LABELS = { difficulty: "Difficulty", tags: "Tags", catalog: "Catalog", author: "Author" } as const;
type FacetName = keyof typeof FACET_LABELS;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const teacher = await requireTeacher(request);
  const [outcome, groups, catalogs] = await Promise.all([
    searchCatalog(context.search, teacher, new URL(request.url)),
    db.group.findMany({ where: { members: { some: { userId: teacher.id, role: "TEACHER" } } }, select: { id: true, name: true }, orderBy: { createdAt: "asc" } }),
    listOwnCatalogs(teacher),
  ]);
  const body = { outcome, groups, catalogs: catalogs.map((c) => c.name) };
  return outcome.ok ? body : data(body, { status: outcome.status });
}

export default function Catalog() {
  const { outcome, groups, catalogs } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/catalog";
  const form = useRef<HTMLFormElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const results = useRef<HTMLOListElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  // Search as you type: a short pause after each keystroke, replacing the history entry.
  const search = (immediate = false) => {
    clearTimeout(timer.current);
    const run = () => form.current && submit(form.current, { replace: true, preventScrollReset: true });
    if (immediate) run();
    else timer.current = setTimeout(run, 120);
  };

  // Back/forward and links change the URL: show their query, but never overwrite what is being typed.
  const urlQuery = params.get("q") ?? "";
  useEffect(() => {
    if (input.current && document.activeElement !== input.current) input.current.value = urlQuery;
  }, [urlQuery]);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === "/" && !["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) && !target.isContentEditable) {
        e.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const resultLinks = () => Array.from(results.current?.querySelectorAll<HTMLAnchorElement>("a[data-result]") ?? []);
  const onInputKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      resultLinks()[0]?.focus();
    } else if (e.key === "Enter") {
      e.preventDefault();
      search(true);
    }
  };
  const onResultsKey = (e: KeyboardEvent<HTMLOListElement>) => {
    const links = resultLinks();
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (at < 0) return;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      if (at === 0) input.current?.focus();
      else links[at - 1].focus();
    } else if (e.key === "Escape") {
      input.current?.focus();
    }
  };

  const result = outcome.ok ? outcome.result : null;
  const pages = result ? Math.max(1, Math.ceil(result.total / result.perPage)) : 1;
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    return `/catalog?${next}`;
  };

  return (
    <>
      <PageHeader
        title="Challenge catalog"
        subtitle="Public challenges from every teacher, and your own private ones."
        actions={
          <>
            <Link to="/catalog/import" className="rounded-md px-3.5 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-600 dark:hover:bg-slate-800">Import</Link>
            {catalogs.length ? (
              <DropdownMenu.Root>
                <DropdownMenu.Trigger className="rounded-md px-3.5 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-600 dark:hover:bg-slate-800">Export…</DropdownMenu.Trigger>
                <DropdownMenu.Portal>
                  <DropdownMenu.Content align="end" sideOffset={6} className="z-50 min-w-48 rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700">
                    {catalogs.map((name) => (
                      <DropdownMenu.Item key={name} asChild>
                        <a href={`/catalog/export?catalog=${encodeURIComponent(name)}`} download className="block rounded px-3 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100 dark:data-[highlighted]:bg-slate-800">{name}</a>
                      </DropdownMenu.Item>
                    ))}
                  </DropdownMenu.Content>
                </DropdownMenu.Portal>
              </DropdownMenu.Root>
            ) : null}
          </>
        }
      />
      <Form ref={form} method="get" action="/catalog" role="search" onChange={(e) => search((e.target as HTMLElement).tagName !== "INPUT" || (e.target as HTMLInputElement).type !== "search")}>
        <div className="flex flex-wrap items-center gap-3">
          <label htmlFor="catalog-q" className="sr-only">Search challenges</label>
          <input
            ref={input}
            id="catalog-q"
            type="search"
            name="q"
            defaultValue={params.get("q") ?? ""}
            placeholder="Search by title, topic, tag, catalog or author — press / to focus"
            autoComplete="off"
            onKeyDown={onInputKey}
            className="min-w-64 flex-1 rounded-md border-0 bg-white px-3 py-2.5 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600 dark:bg-slate-900 dark:ring-slate-600"
          />
          <label className="flex items-center gap-2 text-sm">
            Sort
            <Select name="sort" defaultValue={params.get("sort") ?? "relevance"} key={params.get("sort") ?? "relevance"} className="w-44">
              <option value="relevance">Best match</option>
              <option value="newest">Newest</option>
              <option value="most-assigned">Most assigned</option>
            </Select>
          </label>
          <span aria-live="polite" className="min-w-24 text-sm text-slate-600 dark:text-slate-400">
            {searching ? <Spinner label="Searching…" /> : result ? `${result.total} result${result.total === 1 ? "" : "s"}` : null}
          </span>
        </div>
        <div className="mt-6 grid gap-6 lg:grid-cols-[14rem_1fr]">
          <aside aria-label="Filters" className="space-y-5">
            {result
              ? (Object.keys(FACET_LABELS) as FacetName[]).map((facet) => {
                  const counts = Object.entries(result.facets[facet]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
                  const selected = params.getAll(facet);
                  const shown = [...new Set([...selected, ...counts.slice(0, 12).map(([v]) => v)])];
                  if (!shown.length) return null;
                  return (
                    <fieldset key={facet}>
                      <legend className="text-sm font-semibold">{FACET_LABELS[facet]}</legend>
                      <ul className="mt-1 space-y-0.5">
                        {shown.map((value) => (
                          <li key={value}>
                            <label className="flex items-center gap-2 text-sm">
                              <input type="checkbox" name={facet} value={value} defaultChecked={selected.includes(value)} key={`${value}:${selected.includes(value)}`} />
                              <span className="flex-1 truncate">{value}</span>
                              <span className="text-xs text-slate-600 dark:text-slate-400">{result.facets[facet][value] ?? 0}</span>
                            </label>
                          </li>
                        ))}
                      </ul>
                    </fieldset>
                  );
                })
              : null}
          </aside>
          <section aria-label="Results">
            {!outcome.ok ? (
              <div role="alert" className="rounded-md bg-red-50 p-4 text-sm text-red-900 ring-1 ring-red-200 dark:bg-red-950 dark:text-red-100 dark:ring-red-800">
                <p className="font-semibold">Search is not working right now</p>
                <p className="mt-1">{outcome.error} Your groups, challenges and rooms still work.</p>
              </div>
            ) : result && result.hits.length === 0 ? (
              <EmptyState title={params.get("q") ? `No challenges match “${params.get("q")}”` : "No challenges match these filters"}>Try fewer filters or another word. Typos are forgiven, so a close spelling works.</EmptyState>
            ) : result ? (
              <>
                <ol ref={results} onKeyDown={onResultsKey} className="space-y-3" aria-label="Search results">
                  {result.hits.map((hit) => (
                    <li key={hit.id}>
                      <Card className="!p-4">
                        <div className="flex flex-wrap items-start justify-between gap-3">
                          <div className="min-w-0 flex-1">
                            <Link to={`/challenges/${hit.id}`} data-result className={`${linkClass} text-base`}><Highlighted runs={hit.highlight.title} /></Link>
                            <p className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-slate-600 dark:text-slate-400">
                              <DifficultyBadge difficulty={hit.difficulty} />
                              {hit.visibility === "private" ? <Badge>private</Badge> : null}
                              <span>{hit.catalog ?? "no catalog"} · by {hit.author} · assigned {hit.timesAssigned}×</span>
                              {hit.tags.map((t) => <Badge key={t} tone="indigo">{t}</Badge>)}
                            </p>
                            <p className="mt-2 text-sm text-slate-700 dark:text-slate-300"><Highlighted runs={hit.highlight.prompt} /></p>
                          </div>
                          {groups.length ? (
                            <DropdownMenu.Root>
                              <DropdownMenu.Trigger className="rounded-md px-3 py-1.5 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-600 dark:hover:bg-slate-800" aria-label={`Assign ${hit.title} to a group`}>Assign to group</DropdownMenu.Trigger>
                              <DropdownMenu.Portal>
                                <DropdownMenu.Content align="end" sideOffset={6} className="z-50 min-w-48 rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700">
                                  {groups.map((g) => (
                                    <DropdownMenu.Item key={g.id} asChild>
                                      <Link to={`/groups/${g.id}/assignments/new?challengeId=${hit.id}`} className="block rounded px-3 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100 dark:data-[highlighted]:bg-slate-800">{g.name}</Link>
                                    </DropdownMenu.Item>
                                  ))}
                                </DropdownMenu.Content>
                              </DropdownMenu.Portal>
                            </DropdownMenu.Root>
                          ) : null}
                        </div>
                      </Card>
                    </li>
                  ))}
                </ol>
                {pages > 1 ? (
                  <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm">
                    {result.page > 1 ? <Link to={pageLink(result.page - 1)} className={linkClass} preventScrollReset>← Previous</Link> : <span />}
                    <span>Page {result.page} of {pages}</span>
                    {result.page < pages ? <Link to={pageLink(result.page + 1)} className={linkClass} preventScrollReset>Next →</Link> : <span />}
                  </nav>
                ) : null}
              </>
            ) : null}
          </section>
        </div>
      </Form>
    </>
  );
}
