// The room's code editor: Monaco bound to the room document's shared text, with everyone's cursor and
// selection labelled. Client-only (Monaco cannot render on the server); loaded lazily by the room view.
import { useEffect, useRef, useState } from "react";
import { MonacoBinding } from "y-monaco";
import { createPythonEditor, prefersDark } from "./monaco.client.ts";
import type { RoomConnection, RoomUser } from "./room-connection.client.ts";

const escapeCss = (text: string) => text.replace(/["\\\n]/g, (c) => (c === "\n" ? " " : `\\${c}`));
// A colour comes from a peer's awareness and goes into a style sheet: only a plain colour may (no `}`).
const cssColor = (color: unknown) => (typeof color === "string" && /^(#[0-9a-f]{3,8}|hsl\([\d. %]+\)|[a-z]+)$/i.test(color) ? color : "gray");

export default function RoomEditor({ connection }: { connection: RoomConnection }) {
  const host = useRef<HTMLDivElement>(null);
  const [cursorCss, setCursorCss] = useState("");
  const dark = typeof window !== "undefined" && prefersDark();

  useEffect(() => {
    const { doc, provider, code, readOnly } = connection;
    const editor = createPythonEditor(host.current!, { value: "", readOnly, ariaLabel: readOnly ? "Code (read only)" : "Code editor" });
    const binding = new MonacoBinding(code, editor.getModel()!, new Set([editor]), provider.awareness);

    // "Typing" means edits made here: y-monaco writes them with the binding as the transaction origin.
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== binding || readOnly) return;
      // Outside Monaco's event: an awareness change makes y-monaco redraw decorations, which Monaco
      // refuses to do from inside its own content-change handler.
      setTimeout(() => provider.awareness.setLocalStateField("typing", true), 0);
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => provider.awareness.setLocalStateField("typing", false), 1_500);
    };
    doc.on("update", onUpdate);

    // y-monaco marks remote selections with per-client classes; colour and label them.
    let shownCss = "";
    const styleCursors = () => {
      const css: string[] = [];
      provider.awareness.getStates().forEach((state, clientId) => {
        const who = state.user as RoomUser | undefined;
        if (!who || clientId === doc.clientID) return;
        const color = cssColor(who.color);
        css.push(
          `.yRemoteSelection-${clientId}{background-color:${color};opacity:.25}`,
          `.yRemoteSelectionHead-${clientId}{position:absolute;border-left:2px solid ${color};height:100%;box-sizing:border-box}`,
          `.yRemoteSelectionHead-${clientId}::after{content:"${escapeCss(String(who.name))}";position:absolute;top:-1.3em;left:-2px;padding:0 4px;border-radius:3px;font:11px/1.3em system-ui,sans-serif;white-space:nowrap;color:#fff;background:${color};z-index:10}`,
        );
      });
      const next = css.join("\n");
      if (next !== shownCss) setCursorCss((shownCss = next));
    };
    provider.awareness.on("change", styleCursors);
    styleCursors();

    return () => {
      clearTimeout(typingTimer);
      doc.off("update", onUpdate);
      provider.awareness.off("change", styleCursors);
      binding.destroy();
      editor.dispose();
    };
  }, [connection]);

  return (
    <>
      <style>{cursorCss}</style>
      <div ref={host} className="h-[26rem] w-full overflow-hidden rounded-md ring-1 ring-slate-200 dark:ring-slate-700" data-testid="code-editor" data-theme={dark ? "dark" : "light"} />
    </>
  );
}
