// The Python runner as React state: a console log kept per animation frame (output can arrive faster than
// the page should re-render), the runner's status, and whether this page can answer input().
import { useCallback, useEffect, useRef, useState } from "react";
import { OUTPUT_LIMIT_BYTES, STOP_GRACE_MS } from "../../workers/python-runner.protocol.ts";
import { PythonRunner, sharedMemoryAvailable, type RunnerStatus, type RunnerUpdate } from "../../workers/python-runner.client.ts";
import type { ConsoleEntry, ConsoleEntryKind } from "./console.tsx";

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

export interface PythonRunnerState {
  status: RunnerStatus;
  entries: ConsoleEntry[];
  /** The program asked for input during this run (the console then keeps its input field). */
  askedForInput: boolean;
  /** The text input() printed before waiting: the end of the output's last line. */
  prompt: string;
  /** null until known on the client. */
  canAnswerInput: boolean | null;
  run(code: string): void;
  stop(): void;
  answer(line: string): void;
  endInput(): void;
}

export function usePythonRunner(): PythonRunnerState {
  const runner = useRef<PythonRunner | null>(null);
  const log = useRef<ConsoleEntry[]>([]);
  const frame = useRef<number | null>(null);
  const [entries, setEntries] = useState<ConsoleEntry[]>([]);
  const [status, setStatus] = useState<RunnerStatus>("idle");
  const [askedForInput, setAskedForInput] = useState(false);
  const [canAnswerInput, setCanAnswerInput] = useState<boolean | null>(null);

  const publish = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setEntries(log.current.map((entry) => ({ ...entry })));
    });
  }, []);

  const append = useCallback(
    (kind: ConsoleEntryKind, text: string) => {
      const last = log.current.at(-1);
      const endsLine = !last || last.text.endsWith("\n");
      if (kind === "note" || kind === "error") {
        log.current.push({ kind, text: `${endsLine ? "" : "\n"}${text}\n` });
      } else if (last?.kind === kind) {
        last.text += text;
      } else {
        log.current.push({ kind, text });
      }
      publish();
    },
    [publish],
  );

  const onUpdate = useCallback(
    (update: RunnerUpdate) => {
      switch (update.type) {
        case "status":
          setStatus(update.status);
          if (update.status === "waiting-for-input") setAskedForInput(true);
          if (update.status === "idle") setAskedForInput(false);
          return;
        case "python-ready":
          return append("note", `Python is ready (started in ${seconds(update.loadMs)}).`);
        case "output":
          for (const chunk of update.chunks) append(chunk.stream, chunk.text);
          return;
        case "output-limited":
          return append("note", `Output limit reached (${OUTPUT_LIMIT_BYTES / 1024} KB): the rest of this run's output is not shown. The program goes on until it ends or you press Stop.`);
        case "finished": {
          const { outcome } = update;
          if (outcome.kind === "completed") return append("note", `Program finished in ${seconds(update.elapsedMs)}.`);
          if (outcome.kind === "error") return append("stderr", outcome.traceback);
          if (outcome.kind === "exited") return append("note", `Program exited with status ${outcome.code}.`);
          return append("note", "Stopped.");
        }
        case "restarted":
          return append(
            "note",
            update.reason === "ignored-stop"
              ? `The program did not stop within ${STOP_GRACE_MS / 1000} s, so Python was restarted. Run starts afresh.`
              : "Stopped by restarting Python (this page cannot interrupt a running program).",
          );
        case "failed":
          return append("error", update.message);
      }
    },
    [append],
  );

  useEffect(() => {
    setCanAnswerInput(sharedMemoryAvailable());
    return () => {
      runner.current?.dispose();
      runner.current = null;
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    };
  }, []);

  const run = useCallback(
    (code: string) => {
      runner.current ??= new PythonRunner(onUpdate);
      if (!runner.current.run(code)) return;
      log.current = [];
      publish();
    },
    [onUpdate, publish],
  );

  const answer = useCallback(
    (line: string) => {
      append("input", `${line}\n`);
      runner.current?.answer(line);
    },
    [append],
  );

  const lastLine = entries.at(-1)?.kind === "stdout" ? (entries.at(-1)!.text.split("\n").at(-1) ?? "") : "";
  return {
    status,
    entries,
    askedForInput,
    prompt: lastLine.trim(),
    canAnswerInput,
    run,
    stop: useCallback(() => runner.current?.stop(), []),
    answer,
    endInput: useCallback(() => runner.current?.endInput(), []),
  };
}
