// Monaco as every Chalkroom editor uses it: Python only, its editor worker built by Vite, the system's
// light or dark theme, LF line endings. Client-only: Monaco cannot load on the server.
import "monaco-editor/features/register.all";
import "monaco-editor/languages/definitions/python/register";
import * as monaco from "monaco-editor/editor";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(): Worker };
  }
}
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

// vs-dark's comments (#608b4e on #1e1e1e, 4.2:1) fail WCAG AA contrast; VS Code's Dark+ green passes (5:1).
monaco.editor.defineTheme("chalkroom-dark", { base: "vs-dark", inherit: true, rules: [{ token: "comment", foreground: "6A9955" }], colors: {} });

export { monaco };

export const prefersDark = () => window.matchMedia("(prefers-color-scheme: dark)").matches;

export function createPythonEditor(host: HTMLElement, options: { value: string; readOnly: boolean; ariaLabel: string }): monaco.editor.IStandaloneCodeEditor {
  const editor = monaco.editor.create(host, {
    value: options.value,
    language: "python",
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    readOnly: options.readOnly,
    theme: prefersDark() ? "chalkroom-dark" : "vs",
    // Headless Chromium drops keystrokes into Monaco 0.57's EditContext.
    editContext: false,
    ariaLabel: options.ariaLabel,
  });
  // Windows and Unix clients would otherwise drift apart on line endings.
  editor.getModel()!.setEOL(monaco.editor.EndOfLineSequence.LF);
  return editor;
}
