// The collaboration endpoint: the standard y-websocket protocol (sync + awareness) on the app's own HTTP
// server at /collab/<roomId>, so the stock `y-websocket` WebsocketProvider is the client. The upgrade is
// authorized by the same `roomAccess` the Remix loaders use.
import type { IncomingMessage, Server } from "node:http";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { applyAwarenessUpdate, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import * as Y from "yjs";
import type { RoomVisit } from "~/models/access.server.ts";
import type { Db } from "~/utils/db.server.ts";
import { CODE_TEXT } from "~/utils/room-document.ts";
import type { Visitor } from "~/utils/visitor.server.ts";
import { collabMetrics } from "../metrics.ts";
import { RoomDocuments, type RoomDocument } from "./documents.ts";
import { snapshotCode } from "./persistence.ts";
import type { RoomBus } from "./room-bus.ts";

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

export const CLOSE = {
  unauthenticated: 4401,
  forbidden: 4403,
  noSuchRoom: 4404,
  malformed: 4400,
  tooManyUpdates: 4429,
  documentTooLarge: 4413,
  serverError: 4500,
} as const;

export interface CollabLimits {
  /** Largest frame accepted; larger ones close the socket (1009, by ws). */
  maxMessageBytes: number;
  /** Document updates per second per connection, with a burst of twice that. */
  updatesPerSecond: number;
  /** Largest a room's document may grow. */
  maxDocumentBytes: number;
}

export interface CollabOptions {
  db: Db;
  authenticate(cookieHeader: string | undefined): Promise<Visitor | null>;
  roomExists(roomId: string): Promise<boolean>;
  /** The same rule the room's pages use, share links included. */
  access(visitor: Visitor, roomId: string, shareToken: string | null): Promise<RoomVisit>;
  initialCode(roomId: string): Promise<string>;
  limits?: Partial<CollabLimits>;
  flushWindowMs?: number;
  snapshotEveryMs?: number;
  /** Shares rooms with other server instances (Redis pub/sub); without it, rooms live in this process. */
  bus?: RoomBus;
}

export interface Collab {
  documents: RoomDocuments;
  connectionCount(): number;
  /** Keeps the room's current document as a version (on submission, or when someone saves one). */
  snapshot(roomId: string, reason: "SUBMISSION" | "MANUAL", takenById?: string): Promise<{ id: string; createdAt: Date }>;
  /**
   * Puts an earlier version's code back as a new change that every client receives; history is not
   * rewritten (the restore is itself kept as a version).
   */
  restore(roomId: string, snapshotId: string, userId: string): Promise<"restored" | "no such version">;
  /** The room's code as the server holds it now (what a submission grades). */
  currentCode(roomId: string): Promise<string>;
  /** Closes the connections a share link opened (it was revoked). */
  closeShareLink(shareLinkId: string): void;
  /** Stops accepting connections, closes them, and writes every pending change. */
  close(): Promise<void>;
}

interface Peer {
  ws: WebSocket;
  room: RoomDocument;
  readOnly: boolean;
  shareLinkId: string | null;
  awarenessClients: Set<number>;
  tokens: number;
  refilledAt: number;
}

const LINK_REFUSALS = { unknown: "This share link is not valid", revoked: "This share link was revoked", expired: "This share link has expired" } as const;

const ROOM_PATH = /^\/collab\/([A-Za-z0-9_-]{1,64})$/;

/** A y-websocket frame: the message type, then what `write` puts after it. */
function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function presenceFrame(room: RoomDocument, clients: number[]): Uint8Array {
  return frame(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, encodeAwarenessUpdate(room.awareness, clients)));
}

export function attachCollab(http: Server, options: CollabOptions): Collab {
  const limits: CollabLimits = { maxMessageBytes: 1024 * 1024, updatesPerSecond: 50, maxDocumentBytes: 2 * 1024 * 1024, ...options.limits };
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  const documents = new RoomDocuments({
    db: options.db,
    flushWindowMs: options.flushWindowMs,
    snapshotEveryMs: options.snapshotEveryMs,
    initialCode: options.initialCode,
    bus: options.bus,
    onFlushError: (roomId, error) => console.error(`collab: could not save room ${roomId}; will retry`, error),
  });
  // Keyed by the loaded document: when an idle room is unloaded, its entry goes with it.
  const peersByRoom = new WeakMap<RoomDocument, Set<Peer>>();
  const openPeers = new Set<Peer>();
  const closeLinkHere = (shareLinkId: string) => {
    for (const peer of openPeers) if (peer.shareLinkId === shareLinkId) peer.ws.close(CLOSE.forbidden, LINK_REFUSALS.revoked);
  };
  options.bus?.onControl((message) => closeLinkHere(message.shareLinkId));

  http.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = ROOM_PATH.exec(url.pathname);
    if (!match) return; // not ours: other upgrade handlers (Vite's HMR in development) may take it
    const wantsReadOnly = url.searchParams.get("readonly") === "1";
    const shareToken = url.searchParams.get("share");
    wss.handleUpgrade(req, socket, head, (ws) => void accept(ws, req, match[1], wantsReadOnly, shareToken));
  });

  async function accept(ws: WebSocket, req: IncomingMessage, roomId: string, wantsReadOnly: boolean, shareToken: string | null) {
    // The client speaks as soon as the socket opens: hold its frames until the room is ready.
    const early: RawData[] = [];
    const hold = (data: RawData) => early.push(data);
    ws.on("message", hold);
    ws.on("error", () => ws.terminate());
    try {
      const visitor = await options.authenticate(req.headers.cookie);
      if (!visitor) return ws.close(CLOSE.unauthenticated, shareToken ? "Choose a display name to join this room" : "Log in to join this room");
      if (!(await options.roomExists(roomId))) return ws.close(CLOSE.noSuchRoom, "There is no such room");
      const visit = await options.access(visitor, roomId, shareToken);
      if (visit.access === "none") return ws.close(CLOSE.forbidden, "linkProblem" in visit ? LINK_REFUSALS[visit.linkProblem] : "You are not a member of this room");
      if (ws.readyState !== WebSocket.OPEN) return;
      const room = await documents.acquire(roomId);
      if (ws.readyState !== WebSocket.OPEN) return void (await documents.release(room, [])); // left while the room loaded
      const peer: Peer = { ws, room, readOnly: visit.access === "read" || wantsReadOnly, shareLinkId: visit.shareLinkId, awarenessClients: new Set(), tokens: limits.updatesPerSecond * 2, refilledAt: Date.now() };
      join(peer);
      collabMetrics.connections.inc();
      ws.once("close", () => collabMetrics.connections.dec());
      ws.off("message", hold);
      ws.on("message", (data) => receive(peer, data));
      for (const data of early) receive(peer, data);
    } catch (error) {
      console.error("collab: upgrade failed", error);
      ws.close(CLOSE.serverError, "The server could not open this room");
    }
  }

  function join(peer: Peer) {
    let peers = peersByRoom.get(peer.room);
    if (!peers) {
      peers = new Set();
      peersByRoom.set(peer.room, peers);
      const room = peer.room;
      const roomPeers = peers;
      room.doc.on("update", (update: Uint8Array, origin: unknown) => {
        const message = frame(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
        for (const other of roomPeers) if (other !== origin) send(other, message);
      });
      room.awareness.on("update", ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const changed = [...added, ...updated, ...removed];
        if (origin && typeof origin === "object" && "awarenessClients" in origin) {
          const owner = origin as Peer;
          for (const id of [...added, ...updated]) owner.awarenessClients.add(id);
          for (const id of removed) owner.awarenessClients.delete(id);
        }
        const message = presenceFrame(room, changed);
        for (const other of roomPeers) send(other, message);
      });
    }
    peers.add(peer);
    openPeers.add(peer);
    peer.ws.on("close", () => {
      peers!.delete(peer);
      openPeers.delete(peer);
      void documents.release(peer.room, [...peer.awarenessClients]);
    });
    // Our state vector (sync step 1) and everyone's presence.
    send(peer, frame(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, peer.room.doc)));
    const states = [...peer.room.awareness.getStates().keys()];
    if (states.length) send(peer, presenceFrame(peer.room, states));
  }

  function takeToken(peer: Peer): boolean {
    const now = Date.now();
    peer.tokens = Math.min(limits.updatesPerSecond * 2, peer.tokens + ((now - peer.refilledAt) / 1000) * limits.updatesPerSecond);
    peer.refilledAt = now;
    if (peer.tokens < 1) return false;
    peer.tokens -= 1;
    return true;
  }

  function receive(peer: Peer, data: RawData) {
    try {
      const bytes = data instanceof Buffer ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data as ArrayBuffer);
      const decoder = decoding.createDecoder(bytes);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) {
        const syncType = decoding.readVarUint(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          send(peer, frame(MESSAGE_SYNC, (e) => syncProtocol.readSyncStep1(decoder, e, peer.room.doc)));
        } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          if (peer.readOnly) {
            collabMetrics.updatesDropped.inc(); // read-only peers get the document, but nothing they send changes it
            return;
          }
          if (!takeToken(peer)) return closeFor(peer, CLOSE.tooManyUpdates, "Too many edits per second: slow down and reconnect", "rate");
          const update = decoding.readVarUint8Array(decoder);
          const wouldExceed = (size: number) => size + update.length > limits.maxDocumentBytes;
          if (wouldExceed(peer.room.sizeBytes) && wouldExceed(documents.measure(peer.room))) {
            return closeFor(peer, CLOSE.documentTooLarge, "This room's document is full: remove some text first", "document-size");
          }
          applyChecked(peer, update);
        } else {
          throw new Error(`unknown sync message ${syncType}`);
        }
      } else if (type === MESSAGE_AWARENESS) {
        applyAwarenessUpdate(peer.room.awareness, decoding.readVarUint8Array(decoder), peer);
      } else if (type === MESSAGE_QUERY_AWARENESS) {
        send(peer, presenceFrame(peer.room, [...peer.room.awareness.getStates().keys()]));
      } else {
        throw new Error(`unknown message type ${type}`);
      }
    } catch {
      closeFor(peer, CLOSE.malformed, "Malformed message", "malformed"); // this socket only
    }
  }

  function closeFor(peer: Peer, code: number, reason: string, label: string) {
    collabMetrics.closedForLimits.inc({ reason: label });
    peer.ws.close(code, reason);
  }

  /** Applies a peer's update. Decoding first makes corrupt bytes fail before any part is applied. */
  function applyChecked(peer: Peer, update: Uint8Array) {
    const timer = collabMetrics.broadcastSeconds.startTimer();
    Y.decodeUpdate(update);
    Y.applyUpdate(peer.room.doc, update, peer); // the doc's update handler sends it to the room
    collabMetrics.updatesApplied.inc();
    timer();
  }

  function send(peer: Peer, message: Uint8Array) {
    if (peer.ws.readyState === WebSocket.OPEN) peer.ws.send(message, (error) => error && peer.ws.terminate());
  }

  /** Runs `work` with the room loaded, without counting as a connection afterwards. */
  async function withRoom<T>(roomId: string, work: (room: RoomDocument) => Promise<T>): Promise<T> {
    const room = await documents.acquire(roomId);
    try {
      return await work(room);
    } finally {
      await documents.release(room, []);
    }
  }

  return {
    documents,
    connectionCount: () => wss.clients.size,
    snapshot: (roomId, reason, takenById) => withRoom(roomId, (room) => documents.snapshot(room, reason, takenById)),
    restore: (roomId, snapshotId, userId) =>
      withRoom(roomId, async (room) => {
        const stored = await options.db.snapshot.findFirst({ where: { id: snapshotId, roomId }, select: { state: true } });
        if (!stored) return "no such version" as const;
        const code = snapshotCode(new Uint8Array(stored.state), CODE_TEXT);
        const text = room.doc.getText(CODE_TEXT);
        room.doc.transact(() => {
          text.delete(0, text.length);
          text.insert(0, code);
        }, "restore");
        await documents.snapshot(room, "RESTORE", userId);
        return "restored" as const;
      }),
    currentCode: (roomId) => withRoom(roomId, async (room) => room.doc.getText(CODE_TEXT).toString()),
    closeShareLink(shareLinkId) {
      closeLinkHere(shareLinkId);
      options.bus?.publishControl({ type: "close-share-link", shareLinkId });
    },
    async close() {
      for (const ws of wss.clients) ws.close(1001, "The server is restarting");
      await documents.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
