// A room visit's one live connection: the room's Yjs document (its code and its whiteboard) over the stock
// y-websocket provider, with awareness saying who is here. The editor and the whiteboard both work on it,
// so a room page holds one socket however many views it shows. Client-only; the room view opens it after
// hydration.
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { CODE_TEXT, WHITEBOARD_RECORDS } from "~/utils/room-document.ts";
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

/** Who a visitor is, as awareness carries it to everyone in the room. */
export interface RoomUser {
  id: string;
  name: string;
  color: string;
}

export interface RoomConnection {
  doc: Y.Doc;
  provider: WebsocketProvider;
  code: Y.Text;
  whiteboard: Y.Map<unknown>;
  user: RoomUser;
  readOnly: boolean;
  close(): void;
}

interface ConnectionOptions {
  roomId: string;
  user: { id: string; name: string };
  readOnly: boolean;
  /** A share link's token, for visitors who reached the room through one. */
  shareToken?: string;
}

interface ConnectionEvents {
  /** `reason` is the server's explanation when it refused the connection (a revoked link, say). */
  onStatus(status: ConnectionStatus, reason?: string): void;
  onPeople(people: Presence[]): void;
}

export function openRoomConnection({ roomId, user, readOnly, shareToken }: ConnectionOptions, { onStatus, onPeople }: ConnectionEvents): RoomConnection {
  const doc = new Y.Doc();
  const protocol = location.protocol === "https:" ? "wss" : "ws";
  const provider = new WebsocketProvider(`${protocol}://${location.host}/collab`, roomId, doc, {
    params: { ...(readOnly ? { readonly: "1" } : {}), ...(shareToken ? { share: shareToken } : {}) },
    maxBackoffTime: 5_000,
  });
  const me: RoomUser = { id: user.id, name: user.name, color: userColor(user.id) };
  provider.awareness.setLocalStateField("user", me);
  provider.awareness.setLocalStateField("typing", false);

  // Awareness changes with every pointer move on the whiteboard: tell the page only when the list changes.
  let shownPeople = "";
  const publishPeople = () => {
    const people: Presence[] = [];
    provider.awareness.getStates().forEach((state, clientId) => {
      const who = state.user as RoomUser | undefined;
      if (who) people.push({ clientId, userId: who.id, name: who.name, color: who.color, typing: Boolean(state.typing), self: clientId === doc.clientID });
    });
    const serialized = JSON.stringify(people);
    if (serialized === shownPeople) return;
    shownPeople = serialized;
    onPeople(people);
  };
  provider.awareness.on("change", publishPeople);
  publishPeople();

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

  return {
    doc,
    provider,
    code: doc.getText(CODE_TEXT),
    whiteboard: doc.getMap(WHITEBOARD_RECORDS),
    user: me,
    readOnly,
    close() {
      window.removeEventListener("online", report);
      window.removeEventListener("offline", report);
      provider.awareness.off("change", publishPeople);
      provider.destroy();
      doc.destroy();
    },
  };
}
