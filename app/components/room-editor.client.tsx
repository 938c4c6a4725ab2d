// The room's editor: Monaco bound to the room's Yjs document over the stock y-websocket provider.
// Client-only (Monaco cannot render on the server); loaded lazily by the room page.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from "react";
import { MonacoBinding } from "y-monaco";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { createPythonEditor, prefersDark } from "./monaco.client.ts";
import { userColor } from "./user-color.ts";

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline" | "refused";
export interface Presence {
  clientId: number;
  userId: string;
  name: string;
  color: string;
  typing: boolean;
  self: boolean;
}

interface Props {
  roomId: string;
  user: { id: string; name: string };
  readOnly: boolean;
  /** A share link's token, for visitors who reached the room through one. */
  shareToken?: string;
  /** `reason` is the server's explanation when it refused the connection (a revoked link, say). */
  onStatus(status: ConnectionStatus, reason?: string): void;
  onPresence(people: Presence[]): void;
}

/** What the page may ask of the editor: the room's code as it is now (the shared Yjs text). */
export interface RoomEditorHandle {
  code(): string;
}

const escapeCss = (text: string) => text.replace(/["\\\n]/g, (c) => (c === "\n" ? " " : `\\${c}`));

export default forwardRef<RoomEditorHandle, Props>(function RoomEditor({ roomId, user, readOnly, shareToken, onStatus, onPresence }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const sharedText = useRef<Y.Text | null>(null);
  const [cursorCss, setCursorCss] = useState("");
  const dark = typeof window !== "undefined" && prefersDark();
  useImperativeHandle(ref, () => ({ code: () => sharedText.current?.toString() ?? "" }), []);

  useEffect(() => {
    const doc = new Y.Doc();
    const text = doc.getText("code");
    sharedText.current = text;
    const protocol = location.protocol === "https:" ? "wss" : "ws";
    const provider = new WebsocketProvider(`${protocol}://${location.host}/collab`, roomId, doc, {
      params: { ...(readOnly ? { readonly: "1" } : {}), ...(shareToken ? { share: shareToken } : {}) },
      maxBackoffTime: 5_000,
    });
    const color = userColor(user.id);
    provider.awareness.setLocalStateField("user", { id: user.id, name: user.name, color });
    provider.awareness.setLocalStateField("typing", false);

    const editor = createPythonEditor(host.current!, { value: "", readOnly, ariaLabel: readOnly ? "Code (read only)" : "Code editor" });
    const binding = new MonacoBinding(text, editor.getModel()!, new Set([editor]), provider.awareness);

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

    const publishPresence = () => {
      const people: Presence[] = [];
      const css: string[] = [];
      provider.awareness.getStates().forEach((state, clientId) => {
        const who = state.user as { id: string; name: string; color: string } | undefined;
        if (!who) return;
        people.push({ clientId, userId: who.id, name: who.name, color: who.color, typing: Boolean(state.typing), self: clientId === doc.clientID });
        if (clientId !== doc.clientID) {
          css.push(
            `.yRemoteSelection-${clientId}{background-color:${who.color};opacity:.25}`,
            `.yRemoteSelectionHead-${clientId}{position:absolute;border-left:2px solid ${who.color};height:100%;box-sizing:border-box}`,
            `.yRemoteSelectionHead-${clientId}::after{content:"${escapeCss(who.name)}";position:absolute;top:-1.3em;left:-2px;padding:0 4px;border-radius:3px;font:11px/1.3em system-ui,sans-serif;white-space:nowrap;color:#fff;background:${who.color};z-index:10}`,
          );
        }
      });
      onPresence(people);
      setCursorCss(css.join("\n"));
    };
    provider.awareness.on("change", publishPresence);
    publishPresence();

    let connected = false;
    let refusal: string | undefined;
    const report = () => {
      if (refusal !== undefined) return onStatus("refused", refusal);
      onStatus(!navigator.onLine ? "offline" : connected ? "connected" : provider.wsconnecting && !provider.synced ? "connecting" : "reconnecting");
    };
    provider.on("status", ({ status }: { status: string }) => {
      connected = status === "connected";
      report();
    });
    // Refusals (logged out, removed from the group, link revoked) are final: retrying would only repeat them.
    provider.on("connection-close", (event: CloseEvent | null) => {
      if (!event || ![4401, 4403, 4404].includes(event.code)) return;
      refusal = event.reason || "The server refused the connection";
      provider.disconnect();
      report();
    });
    window.addEventListener("online", report);
    window.addEventListener("offline", report);
    report();

    return () => {
      clearTimeout(typingTimer);
      doc.off("update", onUpdate);
      window.removeEventListener("online", report);
      window.removeEventListener("offline", report);
      binding.destroy();
      editor.dispose();
      provider.destroy();
      doc.destroy();
      sharedText.current = null;
    };
  }, [roomId, user.id, user.name, readOnly, shareToken, onStatus, onPresence]);

  return (
    <>
      <style>{cursorCss}</style>
      <div ref={host} className="h-[26rem] w-full overflow-hidden rounded-md ring-1 ring-slate-200 dark:ring-slate-700" data-testid="code-editor" data-theme={dark ? "dark" : "light"} />
    </>
  );
});
