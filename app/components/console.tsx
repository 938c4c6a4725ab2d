// A console panel: what a program printed (stdout, stderr, the user's own input) and notes about the run,
// a status line, the panel's actions, and a field to answer a program that asks for input. It only shows
// what it is given, so the same panel can show other results (a submission's grading) later.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Button, Card, Input } from "./ui.tsx";

export type ConsoleEntryKind = "stdout" | "stderr" | "input" | "note" | "error";
export interface ConsoleEntry {
  kind: ConsoleEntryKind;
  text: string;
}

/** A pending question from the program. `waiting` is false while the program runs without asking. */
export interface ConsoleInput {
  label: string;
  waiting: boolean;
  onSubmit(line: string): void;
  onEnd(): void;
}

const KIND_CLASSES: Record<ConsoleEntryKind, string> = {
  stdout: "",
  stderr: "text-red-700 dark:text-red-300",
  input: "font-semibold text-indigo-700 dark:text-indigo-300",
  note: "italic text-slate-600 dark:text-slate-400",
  error: "font-semibold text-red-700 dark:text-red-300",
};

interface Props {
  title: string;
  entries: ConsoleEntry[];
  status?: ReactNode;
  actions?: ReactNode;
  /** Shown above the output while it matters (e.g. why input() is unavailable). */
  notice?: ReactNode;
  placeholder: ReactNode;
  input?: ConsoleInput | null;
}

export function Console({ title, entries, status, actions, notice, placeholder, input }: Props) {
  const log = useRef<HTMLPreElement>(null);
  const followOutput = useRef(true);
  const hadInput = useRef(false);
  const asking = Boolean(input);

  // Keep the newest output in view unless the reader scrolled up to read something.
  useEffect(() => {
    const element = log.current;
    if (element && followOutput.current) element.scrollTop = element.scrollHeight;
  }, [entries]);

  // When the input field goes away with the focus in it, the output is the next thing to read.
  useEffect(() => {
    if (!asking && hadInput.current && document.activeElement === document.body) log.current?.focus();
    hadInput.current = asking;
  }, [asking]);

  return (
    <Card title={title} actions={actions ? <div className="flex items-center gap-2">{actions}</div> : undefined}>
      {notice ? <div role="note" className="mb-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800">{notice}</div> : null}
      <div role="status" className="mb-2 flex min-h-5 items-center gap-2 text-sm text-slate-700 dark:text-slate-300" data-testid="console-status">{status}</div>
      <pre
        ref={log}
        role="log"
        aria-label={`${title} output`}
        tabIndex={0}
        onScroll={(event) => {
          const element = event.currentTarget;
          followOutput.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
        }}
        className="h-64 overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 font-mono text-sm leading-relaxed text-slate-900 ring-1 ring-slate-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:bg-slate-950 dark:text-slate-100 dark:ring-slate-800"
        data-testid="console-output"
      >
        {entries.length ? entries.map((entry, i) => <span key={i} className={KIND_CLASSES[entry.kind]}>{entry.text}</span>) : <span className="text-slate-600 dark:text-slate-400">{placeholder}</span>}
      </pre>
      {input ? <InputLine input={input} /> : null}
    </Card>
  );
}

function InputLine({ input }: { input: ConsoleInput }) {
  const id = useId();
  const [value, setValue] = useState("");
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (input.waiting) field.current?.focus();
  }, [input.waiting]);
  return (
    <form
      className="mt-2 flex flex-wrap items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (!input.waiting) return;
        input.onSubmit(value);
        setValue("");
      }}
    >
      <label htmlFor={id} className="text-sm font-medium">{input.label}</label>
      <Input
        ref={field}
        id={id}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.ctrlKey && event.key.toLowerCase() === "d") {
            event.preventDefault();
            if (input.waiting) input.onEnd();
          }
        }}
        readOnly={!input.waiting}
        maxLength={10_000}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={`${id}-hint`}
        className="min-w-48 flex-1 font-mono"
      />
      <Button type="submit" variant="secondary" disabled={!input.waiting}>Send</Button>
      <p id={`${id}-hint`} className="w-full text-xs text-slate-600 dark:text-slate-400">Enter sends the line. Ctrl+D ends the input.</p>
    </form>
  );
}
