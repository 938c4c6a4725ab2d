import { Badge, LocalTime } from "./ui.tsx";

export type SubmissionStatus = "QUEUED" | "RUNNING" | "GRADED" | "ERROR";

export interface ShapedResult {
  visible: boolean;
  position: number;
  verdict: string;
  points: number;
  maxPoints: number;
  durationMs: number;
  what?: string | null;
  expected?: string | null;
  actual?: string | null;
  message?: string | null;
}

export interface SubmissionView {
  id: string;
  status: SubmissionStatus;
  score: number | null;
  maxScore: number;
  error: string | null;
  createdAt: string | Date;
  user: { name: string };
  results: ShapedResult[];
}

const STATUS: Record<SubmissionStatus, { label: string; tone: "slate" | "amber" | "green" | "red" }> = {
  QUEUED: { label: "queued", tone: "slate" },
  RUNNING: { label: "running", tone: "amber" },
  GRADED: { label: "graded", tone: "green" },
  ERROR: { label: "not graded", tone: "red" },
};

const VERDICT: Record<string, { label: string; tone: "green" | "red" | "amber" }> = {
  PASSED: { label: "passed", tone: "green" },
  FAILED: { label: "failed", tone: "red" },
  ERROR: { label: "error", tone: "red" },
  TIMEOUT: { label: "time limit", tone: "amber" },
  MEMORY: { label: "memory limit", tone: "amber" },
};

export function SubmissionStatusBadge({ status }: { status: SubmissionStatus }) {
  return <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>;
}

export function SubmissionScore({ submission }: { submission: Pick<SubmissionView, "status" | "score" | "maxScore"> }) {
  if (submission.status !== "GRADED" || submission.score === null) return <SubmissionStatusBadge status={submission.status} />;
  return <span className="font-semibold tabular-nums">{submission.score} / {submission.maxScore}</span>;
}

/** A submission's per-test results: visible tests with expected and actual, hidden tests by verdict only. */
export function SubmissionResults({ submission }: { submission: SubmissionView }) {
  return (
    <div className="space-y-2" data-testid="submission-results">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <SubmissionScore submission={submission} />
        <span className="text-slate-600 dark:text-slate-400">by {submission.user.name} · <LocalTime value={submission.createdAt} /></span>
      </p>
      {submission.error ? <p className="text-sm text-red-800 dark:text-red-300">{submission.error}</p> : null}
      {submission.results.length ? (
        <ol className="space-y-1.5 text-sm">
          {submission.results.map((r) => (
            <li key={r.position} className="rounded-md p-2 ring-1 ring-slate-200 dark:ring-slate-700">
              <p className="flex items-center gap-2">
                <Badge tone={VERDICT[r.verdict]?.tone ?? "red"}>{VERDICT[r.verdict]?.label ?? r.verdict}</Badge>
                <span>Test {r.position + 1}{r.visible ? "" : " (hidden)"}</span>
                <span className="ml-auto tabular-nums text-xs text-slate-600 dark:text-slate-400">{r.points}/{r.maxPoints} pt · {r.durationMs} ms</span>
              </p>
              {r.visible && r.verdict !== "PASSED" ? (
                <div className="mt-1 space-y-1 font-mono text-xs">
                  {r.what ? <p>{r.what}</p> : null}
                  {r.expected !== null && r.expected !== undefined ? <p>expected: <span className="whitespace-pre-wrap">{r.expected}</span></p> : null}
                  {r.actual !== null && r.actual !== undefined ? <p>got: <span className="whitespace-pre-wrap">{r.actual}</span></p> : null}
                  {r.message ? <p className="whitespace-pre-wrap text-red-800 dark:text-red-300">{r.message}</p> : null}
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
