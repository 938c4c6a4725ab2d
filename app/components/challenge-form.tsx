import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Button, Card, Field, FormError, Input, Select, Textarea } from "./ui.tsx";

type Kind = "call" | "stdio" | "assert";
export interface TestDraft {
  kind: Kind;
  visible: boolean;
  points: number | string;
  timeLimitMs: number | string;
  expression?: string;
  expected?: string;
  stdin?: string;
  expectedStdout?: string;
  code?: string;
}

export interface ChallengeDraft {
  title: string;
  prompt: string;
  starterCode: string;
  referenceSolution?: string;
  tags: string[];
  difficulty: string;
  catalog?: string;
  visibility: string;
  tests: TestDraft[];
}

const newTest = (kind: Kind = "call", visible = true): TestDraft => ({ kind, visible, points: 1, timeLimitMs: 2000, expression: "", expected: "", stdin: "", expectedStdout: "", code: "" });

const EMPTY: ChallengeDraft = { title: "", prompt: "", starterCode: "", referenceSolution: "", tags: [], difficulty: "easy", catalog: "", visibility: "private", tests: [newTest()] };

/** The challenge editor. Tests are edited as a list and posted as one JSON field. */
export function ChallengeForm({ initial, errors, submitLabel }: { initial?: ChallengeDraft; errors: Record<string, string>; submitLabel: string }) {
  const start = initial ?? EMPTY;
  const [tests, setTests] = useState<TestDraft[]>(start.tests);
  const busy = useNavigation().state !== "idle";
  const update = (i: number, patch: Partial<TestDraft>) => setTests((ts) => ts.map((t, j) => (j === i ? { ...t, ...patch, ...(patch.kind === "assert" ? { visible: true } : {}) } : t)));
  const testError = (i: number, field: string) => errors[`tests.${i}.${field}`];
  return (
    <Form method="post" className="space-y-6" noValidate>
      <FormError error={errors.form} />
      <input type="hidden" name="tests" value={JSON.stringify(tests)} />
      <Card title="About">
        <div className="space-y-4">
          <Field label="Title" error={errors.title}>{(p) => <Input {...p} name="title" defaultValue={start.title} required />}</Field>
          <Field label="Prompt" error={errors.prompt} hint="Markdown: **bold**, `code`, lists and ```python fenced blocks```.">{(p) => <Textarea {...p} name="prompt" rows={8} defaultValue={start.prompt} />}</Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Difficulty" error={errors.difficulty}>
              {(p) => (
                <Select {...p} name="difficulty" defaultValue={start.difficulty}>
                  <option value="intro">Intro</option><option value="easy">Easy</option><option value="medium">Medium</option><option value="hard">Hard</option>
                </Select>
              )}
            </Field>
            <Field label="Visibility" error={errors.visibility}>
              {(p) => (
                <Select {...p} name="visibility" defaultValue={start.visibility}>
                  <option value="private">Private: only me</option><option value="public">Public: every teacher can find and assign it</option>
                </Select>
              )}
            </Field>
            <Field label="Tags" error={errors.tags ?? Object.entries(errors).find(([k]) => k.startsWith("tags."))?.[1]} hint="Comma separated, e.g. strings, loops.">{(p) => <Input {...p} name="tags" defaultValue={start.tags.join(", ")} />}</Field>
            <Field label="Catalog" error={errors.catalog} hint="A named collection, e.g. Python Foundations.">{(p) => <Input {...p} name="catalog" defaultValue={start.catalog ?? ""} />}</Field>
          </div>
        </div>
      </Card>
      <Card title="Code">
        <div className="space-y-4">
          <Field label="Starter code" error={errors.starterCode} hint="What students see in the editor when they start.">{(p) => <Textarea {...p} name="starterCode" rows={6} defaultValue={start.starterCode} />}</Field>
          <Field label="Reference solution (optional, never shown to students)" error={errors.referenceSolution}>{(p) => <Textarea {...p} name="referenceSolution" rows={6} defaultValue={start.referenceSolution ?? ""} />}</Field>
        </div>
      </Card>
      <Card title="Tests" actions={<Button type="button" variant="secondary" onClick={() => setTests((ts) => [...ts, newTest()])}>Add test</Button>}>
        {errors.tests ? <p className="mb-3 text-sm text-red-700 dark:text-red-400" data-field-error>{errors.tests}</p> : null}
        <ol className="space-y-4">
          {tests.map((t, i) => (
            <li key={i} className="rounded-md p-4 ring-1 ring-slate-200 dark:ring-slate-700" aria-label={`Test ${i + 1}`}>
              <div className="grid gap-3 sm:grid-cols-4">
                <Field label={`Test ${i + 1} kind`}>
                  {(p) => (
                    <Select {...p} value={t.kind} onChange={(e) => update(i, { kind: e.target.value as Kind })}>
                      <option value="call">Call: expression → expected value</option>
                      <option value="stdio">Program: stdin → expected stdout</option>
                      <option value="assert">Assert snippet (visible only)</option>
                    </Select>
                  )}
                </Field>
                <Field label="Shown to students" error={testError(i, "visible")}>
                  {(p) => (
                    <Select {...p} value={t.visible ? "visible" : "hidden"} onChange={(e) => update(i, { visible: e.target.value === "visible" })} disabled={t.kind === "assert"}>
                      <option value="visible">Visible</option><option value="hidden">Hidden</option>
                    </Select>
                  )}
                </Field>
                <Field label="Points" error={testError(i, "points")}>{(p) => <Input {...p} type="number" min={1} max={100} value={t.points} onChange={(e) => update(i, { points: e.target.value })} />}</Field>
                <Field label="Time limit (ms)" error={testError(i, "timeLimitMs")}>{(p) => <Input {...p} type="number" min={100} max={10000} step={100} value={t.timeLimitMs} onChange={(e) => update(i, { timeLimitMs: e.target.value })} />}</Field>
              </div>
              <div className="mt-3 grid gap-3 sm:grid-cols-2">
                {t.kind === "call" ? (
                  <>
                    <Field label="Expression" error={testError(i, "expression")} hint="e.g. add(2, 3)">{(p) => <Input {...p} className="font-mono" value={t.expression ?? ""} onChange={(e) => update(i, { expression: e.target.value })} />}</Field>
                    <Field label="Expected value (JSON)" error={testError(i, "expected")} hint='e.g. 5, "text", [1, 2], {"a": 1}, true, null'>{(p) => <Input {...p} className="font-mono" value={t.expected ?? ""} onChange={(e) => update(i, { expected: e.target.value })} />}</Field>
                  </>
                ) : null}
                {t.kind === "stdio" ? (
                  <>
                    <Field label="Standard input" error={testError(i, "stdin")}>{(p) => <Textarea {...p} rows={3} value={t.stdin ?? ""} onChange={(e) => update(i, { stdin: e.target.value })} />}</Field>
                    <Field label="Expected output" error={testError(i, "expectedStdout")}>{(p) => <Textarea {...p} rows={3} value={t.expectedStdout ?? ""} onChange={(e) => update(i, { expectedStdout: e.target.value })} />}</Field>
                  </>
                ) : null}
                {t.kind === "assert" ? (
                  <div className="sm:col-span-2">
                    <Field label="Assert snippet" error={testError(i, "code")} hint="Runs after the student's code, e.g. assert add(1, 1) == 2">{(p) => <Textarea {...p} rows={3} value={t.code ?? ""} onChange={(e) => update(i, { code: e.target.value })} />}</Field>
                  </div>
                ) : null}
              </div>
              <div className="mt-2 text-right">
                <Button type="button" variant="ghost" onClick={() => setTests((ts) => ts.filter((_, j) => j !== i))} disabled={tests.length === 1} aria-label={`Remove test ${i + 1}`}>Remove</Button>
              </div>
            </li>
          ))}
        </ol>
      </Card>
      <Button type="submit" busy={busy}>{submitLabel}</Button>
    </Form>
  );
}
