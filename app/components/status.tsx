import { Badge } from "./ui.tsx";

const TONES = { "not started": "slate", "in progress": "indigo", submitted: "amber", graded: "green", overdue: "red" } as const;

export function StatusBadge({ status }: { status: keyof typeof TONES }) {
  return <Badge tone={TONES[status]}>{status}</Badge>;
}

export function DifficultyBadge({ difficulty }: { difficulty: string }) {
  return <Badge>{difficulty.toLowerCase()}</Badge>;
}
