import type { MetaFunction } from "@remix-run/node";
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import type { CodeEditorHandle } from "~/components/code-editor.client.tsx";
import { EditorPlaceholder } from "~/components/editor-placeholder.tsx";
import { RunPanel } from "~/components/run-panel.tsx";
import { FormError, PageHeader } from "~/components/ui.tsx";

// Monaco cannot load on the server: the editor module is client-only and fetched after hydration.
const CodeEditor = lazy(() => import("~/components/code-editor.client.tsx"));

export const meta: MetaFunction = () => [{ title: "Python playground · Chalkroom" }];

// The playground needs no account: its code lives in this browser's localStorage, nowhere else.
const STORAGE_KEY = "chalkroom.playground.code";
const STARTER_CODE = `# Your code is kept in this browser. Run it with Ctrl+Enter.
name = input("What's your name? ")
print(f"Hello, {name}!")
`;

function storedCode(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? STARTER_CODE;
  } catch {
    return STARTER_CODE; // storage blocked by the browser's settings
  }
}

export default function Playground() {
  const editor = useRef<CodeEditorHandle>(null);
  const [initialCode, setInitialCode] = useState<string | null>(null);
  const [notKept, setNotKept] = useState(false);
  useEffect(() => setInitialCode(storedCode()), []);
  const keep = useCallback((code: string) => {
    try {
      localStorage.setItem(STORAGE_KEY, code);
      setNotKept(false);
    } catch {
      setNotKept(true);
    }
  }, []);

  return (
    <>
      <PageHeader title="Python playground" subtitle="Write and run Python in your browser, no account needed. Your code stays in this browser." />
      <div className="min-w-0 space-y-6">
        {notKept ? <FormError error="This browser is not keeping your code (its storage is full or turned off): copy it somewhere before you leave." /> : null}
        {initialCode === null ? (
          <EditorPlaceholder />
        ) : (
          <Suspense fallback={<EditorPlaceholder />}>
            <CodeEditor ref={editor} initialCode={initialCode} ariaLabel="Code editor" onChange={keep} />
          </Suspense>
        )}
        <RunPanel readCode={() => editor.current?.code() ?? ""} />
      </div>
    </>
  );
}
