// One room of the teacher's live view: a read-only connection showing the room's code and who is there.
import { useEffect, useState } from "react";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { CODE_TEXT } from "~/utils/room-document.ts";

interface Props {
  roomId: string;
}

export default function LiveTile({ roomId }: Props) {
  const [code, setCode] = useState("");
  const [present, setPresent] = useState<{ name: string; color: string }[]>([]);
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const doc = new Y.Doc();
    const text = doc.getText(CODE_TEXT);
    const protocol = location.protocol === "https:" ? "wss" : "ws";
    // Read-only seat: the server drops anything this connection sends; it announces no presence.
    const provider = new WebsocketProvider(`${protocol}://${location.host}/collab`, roomId, doc, { params: { readonly: "1" }, maxBackoffTime: 5_000 });
    provider.awareness.setLocalState(null);
    const showCode = () => setCode(text.toString());
    const showPresence = () => {
      const people: { name: string; color: string }[] = [];
      provider.awareness.getStates().forEach((state) => {
        const user = state.user as { name?: string; color?: string } | undefined;
        if (user?.name) people.push({ name: user.name, color: user.color ?? "gray" });
      });
      setPresent(people);
    };
    text.observe(showCode);
    provider.awareness.on("change", showPresence);
    provider.on("status", ({ status }: { status: string }) => setConnected(status === "connected"));
    showCode();
    return () => {
      text.unobserve(showCode);
      provider.destroy();
      doc.destroy();
    };
  }, [roomId]);

  return (
    <div>
      <ul className="mb-2 flex min-h-6 flex-wrap gap-1.5 text-xs" aria-label="Here now">
        {present.length ? present.map((p, i) => (
          <li key={i} className="flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 dark:bg-slate-800">
            <span aria-hidden className="h-2 w-2 rounded-full" style={{ background: p.color }} />{p.name}
          </li>
        )) : <li className="text-slate-600 dark:text-slate-400">{connected ? "nobody here" : "connecting…"}</li>}
      </ul>
      <pre className="h-48 overflow-auto rounded-md bg-slate-100 p-2 font-mono text-xs leading-snug dark:bg-slate-950" data-testid="live-code">{code}</pre>
    </div>
  );
}
