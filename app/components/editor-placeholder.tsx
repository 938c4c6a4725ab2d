import { Spinner } from "./ui.tsx";

/** Where a client-only view (Monaco, tldraw) will be, while it is fetched after hydration. */
export function EditorPlaceholder({ label = "Loading the editor…", height = "h-[26rem]" }: { label?: string; height?: string }) {
  return (
    <div className={`grid ${height} place-items-center rounded-md bg-slate-100 ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700`}>
      <Spinner label={label} />
    </div>
  );
}
