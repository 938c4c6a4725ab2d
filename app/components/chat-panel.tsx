// Chat: channel tabs with unread counts, the open channel's messages (older ones load when scrolled to the
// top), a composer (Enter sends, Shift+Enter breaks the line), and per-message edit, delete and pin.
// New messages arrive over the live WebSocket for every channel the viewer has.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { Badge, Button, Card, FormError } from "./ui.tsx";
import { useLiveEvents } from "./use-live-events.ts";

export interface ChannelSummary {
  key: string;
  label: string;
  kind: "group" | "room" | "dm";
  unread: number;
}

interface Message {
  id: string;
  channel: string;
  author: { id: string; name: string; teacher: boolean };
  html: string;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  pinned: boolean;
}

interface ChannelState {
  messages: Message[];
  more: boolean;
  pinned: Message | null;
  loading: boolean;
}

async function call(form: Record<string, string>): Promise<{ error?: string } & Record<string, unknown>> {
  const response = await fetch("/api/chat", { method: "POST", body: new URLSearchParams(form) });
  return response.json();
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

export function ChatPanel({ channels: initial, me }: { channels: ChannelSummary[]; me: { id: string; teacher: boolean } }) {
  const [channels, setChannels] = useState(initial);
  const [open, setOpen] = useState(initial[0]?.key ?? "");
  const [states, setStates] = useState<Record<string, ChannelState>>({});
  const [draft, setDraft] = useState("");
  const [editing, setEditing] = useState<Message | null>(null);
  const [error, setError] = useState<string | undefined>();
  const list = useRef<HTMLOListElement>(null);
  const keepScroll = useRef<number | null>(null);
  const stickToBottom = useRef(true);

  const load = useCallback(async (key: string, before?: string) => {
    setStates((s) => ({ ...s, [key]: { ...(s[key] ?? { messages: [], more: false, pinned: null }), loading: true } }));
    const query = new URLSearchParams({ channel: key, ...(before ? { before } : {}) });
    const page = (await (await fetch(`/api/chat?${query}`)).json()) as { messages?: Message[]; more?: boolean; pinned?: Message | null; error?: string };
    if (!page.messages) return setError(page.error ?? "Could not load the messages.");
    if (before && list.current) keepScroll.current = list.current.scrollHeight - list.current.scrollTop;
    setStates((s) => {
      const known = before ? (s[key]?.messages ?? []) : [];
      return { ...s, [key]: { messages: [...page.messages!, ...known], more: Boolean(page.more), pinned: page.pinned ?? null, loading: false } };
    });
  }, []);

  // Opening a channel loads it (once) and marks it read.
  useEffect(() => {
    if (!open) return;
    if (!states[open]) void load(open);
    stickToBottom.current = true;
    setChannels((cs) => cs.map((c) => (c.key === open ? { ...c, unread: 0 } : c)));
    void call({ intent: "read", channel: open });
  }, [open]);

  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    if (keepScroll.current !== null) {
      el.scrollTop = el.scrollHeight - keepScroll.current;
      keepScroll.current = null;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [states, open]);

  useLiveEvents(channels.map((c) => c.key), (live) => {
    if (!live) {
      // Reconnected: events may have been missed; reload what is loaded.
      for (const key of Object.keys(states)) void load(key);
      return;
    }
    if (live.event.type !== "chat") return;
    const message = live.event.message as Message;
    setStates((s) => {
      const state = s[message.channel];
      if (!state) return s;
      const exists = state.messages.some((m) => m.id === message.id);
      const messages = exists ? state.messages.map((m) => (m.id === message.id ? message : m)) : [...state.messages, message];
      const pinned = message.pinned ? message : state.pinned?.id === message.id ? null : state.pinned;
      return { ...s, [message.channel]: { ...state, messages, pinned } };
    });
    const isNew = !states[message.channel]?.messages.some((m) => m.id === message.id);
    if (message.channel === open && document.visibilityState === "visible") {
      if (isNew && message.author.id !== me.id) void call({ intent: "read", channel: open });
    } else if (isNew && !message.deleted && message.author.id !== me.id) {
      setChannels((cs) => cs.map((c) => (c.key === message.channel ? { ...c, unread: c.unread + 1 } : c)));
    }
  });

  async function send() {
    const body = draft.trim();
    if (!body) return;
    const result = editing ? await call({ intent: "edit", messageId: editing.id, body }) : await call({ intent: "post", channel: open, body });
    if (result.error) return setError(result.error);
    setError(undefined);
    setDraft("");
    setEditing(null);
    stickToBottom.current = true;
  }

  async function act(form: Record<string, string>) {
    const result = await call(form);
    setError(result.error);
  }

  const state = states[open];
  const current = channels.find((c) => c.key === open);
  return (
    <Card title="Chat">
      <div role="tablist" aria-label="Chat channels" className="mb-3 flex flex-wrap gap-1">
        {channels.map((c) => (
          <button
            key={c.key}
            role="tab"
            aria-selected={c.key === open}
            className={`rounded-md px-2 py-1 text-xs font-medium ${c.key === open ? "bg-indigo-700 text-white" : "bg-slate-100 text-slate-800 hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"}`}
            onClick={() => setOpen(c.key)}
          >
            {c.label}
            {c.unread ? <span className="ml-1 rounded-full bg-red-700 px-1.5 text-white" aria-label={`${c.unread} unread`}>{c.unread}</span> : null}
          </button>
        ))}
      </div>
      {state?.pinned ? (
        <div className="mb-2 rounded-md bg-amber-50 p-2 text-sm dark:bg-amber-950" data-testid="pinned-message">
          <p className="text-xs font-semibold">Pinned by the teacher</p>
          <div className="prose-chalk" dangerouslySetInnerHTML={{ __html: state.pinned.html }} />
        </div>
      ) : null}
      <ol
        ref={list}
        role="log"
        aria-label={`Messages: ${current?.label ?? ""}`}
        aria-live="polite"
        className="h-64 space-y-2 overflow-y-auto rounded-md p-2 text-sm ring-1 ring-slate-200 dark:ring-slate-700"
        data-testid="chat-messages"
        onScroll={(e) => {
          const el = e.currentTarget;
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          if (el.scrollTop < 32 && state?.more && !state.loading) void load(open, state.messages[0]?.id);
        }}
      >
        {state?.more ? <li className="text-center text-xs text-slate-600 dark:text-slate-400">Scroll up for older messages</li> : null}
        {state && !state.messages.length && !state.loading ? <li className="text-slate-600 dark:text-slate-400">No messages yet.</li> : null}
        {state?.messages.map((m) => (
          <li key={m.id} className="group" data-testid="chat-message">
            <p className="text-xs text-slate-600 dark:text-slate-400">
              <span className="font-semibold text-slate-900 dark:text-slate-100">{m.author.name}</span>
              {m.author.teacher ? <> <Badge tone="indigo">teacher</Badge></> : null} · {time(m.createdAt)}{m.editedAt ? " · edited" : ""}
            </p>
            {m.deleted ? <p className="italic text-slate-500 dark:text-slate-400">message deleted</p> : <div className="prose-chalk break-words" dangerouslySetInnerHTML={{ __html: m.html }} />}
            {!m.deleted ? (
              <div className="flex gap-2 text-xs">
                {m.author.id === me.id ? <button className="underline" onClick={() => { setEditing(m); setDraft(m.body); }}>Edit</button> : null}
                {m.author.id === me.id || me.teacher ? <button className="underline" onClick={() => void act({ intent: "delete", messageId: m.id })}>Delete</button> : null}
                {me.teacher && current?.kind === "group" ? <button className="underline" onClick={() => void act({ intent: "pin", messageId: m.id, pinned: String(!m.pinned) })}>{m.pinned ? "Unpin" : "Pin"}</button> : null}
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      <form
        className="mt-2 space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <label className="sr-only" htmlFor="chat-draft">{editing ? "Edit your message" : `Message ${current?.label ?? ""}`}</label>
        <textarea
          id="chat-draft"
          rows={2}
          value={draft}
          maxLength={2000}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              void send();
            }
            if (e.key === "Escape" && editing) {
              setEditing(null);
              setDraft("");
            }
          }}
          placeholder={editing ? "Edit your message (Esc cancels)" : "Write a message (Markdown: **bold**, *italic*, `code`)"}
          className="block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-600"
        />
        <FormError error={error} />
        <div className="flex justify-end gap-2">
          {editing ? <Button type="button" variant="ghost" onClick={() => { setEditing(null); setDraft(""); }}>Cancel</Button> : null}
          <Button type="submit" variant="secondary">{editing ? "Save" : "Send"}</Button>
        </div>
      </form>
    </Card>
  );
}
