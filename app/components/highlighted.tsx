/** Engine-independent highlighting: matched runs in <mark>, everything else as plain text (never HTML). */
export function Highlighted({ runs }: { runs: { text: string; match: boolean }[] }) {
  return <>{runs.map((r, i) => (r.match ? <mark key={i} className="rounded bg-amber-200 px-0.5 text-slate-900 dark:bg-amber-400">{r.text}</mark> : <span key={i}>{r.text}</span>))}</>;
}
