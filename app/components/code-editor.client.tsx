// A Python editor of one's own (the playground's): Monaco, not shared with anyone. Client-only, loaded lazily.
import { forwardRef, useEffect, useImperativeHandle, useRef } from "react";
import { createPythonEditor, prefersDark, type monaco } from "./monaco.client.ts";

export interface CodeEditorHandle {
  code(): string;
}

interface Props {
  initialCode: string;
  ariaLabel: string;
  onChange(code: string): void;
}

export default forwardRef<CodeEditorHandle, Props>(function CodeEditor({ initialCode, ariaLabel, onChange }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const latestOnChange = useRef(onChange);
  latestOnChange.current = onChange;
  useImperativeHandle(ref, () => ({ code: () => editor.current?.getValue() ?? "" }), []);

  useEffect(() => {
    const created = createPythonEditor(host.current!, { value: initialCode, readOnly: false, ariaLabel });
    editor.current = created;
    const changes = created.onDidChangeModelContent(() => latestOnChange.current(created.getValue()));
    return () => {
      changes.dispose();
      created.dispose();
      editor.current = null;
    };
  }, [initialCode, ariaLabel]);

  return <div ref={host} className="h-[26rem] w-full overflow-hidden rounded-md ring-1 ring-slate-200 dark:ring-slate-700" data-testid="code-editor" data-theme={prefersDark() ? "dark" : "light"} />;
});
