// The app's live WebSocket at /live: a page follows topics ("room:<id>", "assignment:<id>") and receives
// their events as they happen. Each follow is authorized with the same access rules as the pages.
import type { Server } from "node:http";
import { WebSocket, WebSocketServer } from "ws";
import { z } from "zod";
import type { Visitor } from "~/utils/visitor.server.ts";
import { TOPIC, type LiveHub } from "./hub.ts";

export const LIVE_PATH = "/live";
const MAX_TOPICS = 50;

const ClientMessage = z.object({ type: z.literal("follow"), topics: z.array(z.string().regex(TOPIC)).min(1).max(MAX_TOPICS) });

export interface LiveSocketOptions {
  hub: LiveHub;
  authenticate(cookieHeader: string | undefined): Promise<Visitor | null>;
  canFollow(visitor: Visitor, topic: string): Promise<boolean>;
}

export function attachLiveSocket(http: Server, options: LiveSocketOptions): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 });
  http.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://localhost").pathname !== LIVE_PATH) return;
    wss.handleUpgrade(req, socket, head, async (ws) => {
      const early: Buffer[] = [];
      const hold = (data: Buffer) => early.push(data);
      ws.on("message", hold);
      ws.on("error", () => ws.terminate());
      const visitor = await options.authenticate(req.headers.cookie).catch(() => null);
      if (ws.readyState !== WebSocket.OPEN) return; // left while we checked
      if (!visitor) return ws.close(4401, "Log in to follow live updates");
      ws.off("message", hold);
      serve(ws, visitor, early);
    });
  });

  function serve(ws: WebSocket, visitor: Visitor, early: Buffer[]) {
    const following = new Map<string, () => void>();
    ws.on("close", () => following.forEach((unfollow) => unfollow()));
    const handle = async (data: Buffer) => {
      let parsed;
      try {
        parsed = ClientMessage.safeParse(JSON.parse(data.toString()));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) return ws.close(4400, "Malformed message");
      const topics = parsed.data.topics.filter((t) => !following.has(t));
      if (following.size + topics.length > MAX_TOPICS) return ws.close(4429, `Follow at most ${MAX_TOPICS} topics`);
      const allowed = await Promise.all(topics.map((t) => options.canFollow(visitor, t).catch(() => false)));
      if (ws.readyState !== WebSocket.OPEN) return; // closed while we checked: nothing to subscribe for
      const refused: string[] = [];
      topics.forEach((topic, i) => {
        if (!allowed[i]) return void refused.push(topic);
        following.set(topic, options.hub.subscribe(topic, (event) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "event", topic, event }));
        }));
      });
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "following", topics: [...following.keys()], refused }));
    };
    // One message at a time, so two follows cannot both pass the checks for the same topic.
    let queue = Promise.resolve();
    const receive = (data: Buffer) => void (queue = queue.then(() => handle(data)));
    ws.on("message", receive);
    for (const data of early) receive(data);
    // Keeps idle connections open through proxies, and notices dead peers.
    let alive = true;
    ws.on("pong", () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, 30_000);
    ws.on("close", () => clearInterval(heartbeat));
  }

  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.close(1001, "The server is restarting");
        wss.close(() => resolve());
      }),
  };
}
