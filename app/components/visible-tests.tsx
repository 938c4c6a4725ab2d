interface TestView {
  id: string;
  kind: string;
  visible: boolean;
  points: number;
  timeLimitMs: number;
  expression: string | null;
  expected: string | null;
  stdin: string | null;
  expectedStdout: string | null;
  code: string | null;
}

/** A challenge's tests as a reader sees them: what is run and what is expected. */
export function VisibleTests({ tests, showVisibility = false }: { tests: TestView[]; showVisibility?: boolean }) {
  if (!tests.length) return <p className="text-sm">No visible tests.</p>;
  return (
    <ol className="space-y-3">
      {tests.map((t, i) => (
        <li key={t.id} className="rounded-md p-3 text-sm ring-1 ring-slate-200 dark:ring-slate-700" data-testid="test-case">
          <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
            Test {i + 1} · {t.kind === "CALL" ? "call" : t.kind === "STDIO" ? "input → output" : "assert"} · {t.points} pt{t.points === 1 ? "" : "s"} · {t.timeLimitMs} ms{showVisibility ? ` · ${t.visible ? "visible" : "hidden"}` : ""}
          </p>
          {t.kind === "CALL" ? <pre className="font-mono whitespace-pre-wrap">{t.expression} → {t.expected}</pre> : null}
          {t.kind === "STDIO" ? (
            <div className="grid gap-2 sm:grid-cols-2">
              <div><p className="text-xs">stdin</p><pre className="rounded bg-slate-100 p-2 font-mono dark:bg-slate-950">{t.stdin || "(empty)"}</pre></div>
              <div><p className="text-xs">expected stdout</p><pre className="rounded bg-slate-100 p-2 font-mono dark:bg-slate-950">{t.expectedStdout}</pre></div>
            </div>
          ) : null}
          {t.kind === "ASSERT" ? <pre className="font-mono whitespace-pre-wrap">{t.code}</pre> : null}
        </li>
      ))}
    </ol>
  );
}
