// Follows live topics over the app's WebSocket (/live), reconnecting with backoff. `onEvent` gets each
// event; `onEvent(null)` after a reconnect, since events may have been missed meanwhile.
import { useEffect, useRef } from "react";

export interface LiveEventMessage {
  topic: string;
  event: { type: string; [key: string]: unknown };
}

export function useLiveEvents(topics: string[], onEvent: (message: LiveEventMessage | null) => void) {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = topics.join(" ");
  useEffect(() => {
    if (!key) return;
    let socket: WebSocket | null = null;
    let stopped = false;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const protocol = location.protocol === "https:" ? "wss" : "ws";
      socket = new WebSocket(`${protocol}://${location.host}/live`);
      socket.onopen = () => {
        socket!.send(JSON.stringify({ type: "follow", topics: key.split(" ") }));
        if (attempt > 0) handler.current(null);
        attempt = 0;
      };
      socket.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as { type: string } & Partial<LiveEventMessage>;
        if (data.type === "event" && data.topic && data.event) handler.current({ topic: data.topic, event: data.event });
      };
      socket.onclose = (event) => {
        if (stopped || event.code === 4401) return;
        attempt++;
        retry = setTimeout(open, Math.min(10_000, 250 * 2 ** attempt));
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, [key]);
}
