// Run and Stop for the editor's code, with the console under them. Ctrl/Cmd+Enter runs from anywhere on the
// page, the editor included.
import { useEffect, useRef, type ReactNode } from "react";
import { Console } from "./console.tsx";
import { Button, Spinner } from "./ui.tsx";
import { usePythonRunner } from "./use-python-runner.ts";
import type { RunnerStatus } from "../../workers/python-runner.client.ts";

// Shown in the console's status line (itself the live region, so the spinners carry no role of their own).
const STATUS: Record<RunnerStatus, ReactNode> = {
  idle: null,
  loading: <><Spinner /> Loading Python…</>,
  running: <><Spinner /> Running…</>,
  "waiting-for-input": "Waiting for your input…",
  stopping: <><Spinner /> Stopping…</>,
};

// aria-disabled rather than disabled: a button that becomes disabled drops the keyboard focus.
const inactive = "aria-disabled:cursor-not-allowed aria-disabled:opacity-60";

/** `shortcut`: whether Ctrl/Cmd+Enter runs (off while the room shows its whiteboard, where tldraw uses it). */
export function RunPanel({ readCode, shortcut = true }: { readCode: () => string; shortcut?: boolean }) {
  const python = usePythonRunner();
  const active = python.status !== "idle";
  const runLatest = useRef(() => {});
  runLatest.current = () => python.run(readCode());

  useEffect(() => {
    if (!shortcut) return;
    // Capture phase, so the editor does not also take the keys (Monaco inserts a line on Ctrl+Enter).
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      event.stopPropagation();
      runLatest.current();
    };
    window.addEventListener("keydown", onKeyDown, true);
    return () => window.removeEventListener("keydown", onKeyDown, true);
  }, [shortcut]);

  return (
    <Console
      title="Console"
      entries={python.entries}
      status={STATUS[python.status]}
      placeholder="Run your program (Ctrl+Enter) to see what it prints here."
      notice={
        python.canAnswerInput === false
          ? "input() is unavailable on this page: it is not cross-origin isolated (the browser or a proxy dropped the headers that allow it), so Python cannot wait for your answers. Programs without input() run normally; Stop restarts Python."
          : null
      }
      actions={
        <>
          <Button className={inactive} aria-disabled={active} onClick={() => !active && runLatest.current()} aria-keyshortcuts="Control+Enter Meta+Enter" title="Run (Ctrl+Enter or ⌘+Enter)">
            Run
          </Button>
          <Button variant="secondary" className={inactive} aria-disabled={!active || python.status === "stopping"} onClick={python.stop}>
            Stop
          </Button>
        </>
      }
      input={
        python.askedForInput
          ? {
              label: python.prompt ? `Input for “${python.prompt}”` : "Input",
              waiting: python.status === "waiting-for-input",
              onSubmit: python.answer,
              onEnd: python.endInput,
            }
          : null
      }
    />
  );
}
