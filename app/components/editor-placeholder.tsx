import { Spinner } from "./ui.tsx";

/** Where an editor will be, while Monaco (client-only) is fetched after hydration. */
export function EditorPlaceholder() {
  return (
    <div className="grid h-[26rem] place-items-center rounded-md bg-slate-100 ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700">
      <Spinner label="Loading the editor…" />
    </div>
  );
}
