// Several server instances serve the same rooms: each instance's document changes and presence reach the
// others through Redis pub/sub (one channel per loaded room, one for control messages). Messages carry
// the sender's instance id so an instance ignores its own.
import { randomBytes } from "node:crypto";
import { connectRedisPair } from "../redis-pair.ts";
import { z } from "zod";

export const BUS = { update: 0, awareness: 1, syncRequest: 2 } as const;
export type BusKind = (typeof BUS)[keyof typeof BUS];

const ControlMessage = z.object({ type: z.literal("close-share-link"), shareLinkId: z.string().min(1).max(64) });
export type ControlMessage = z.infer<typeof ControlMessage>;

export interface RoomBus {
  /** Receives the room's messages from other instances; resolves once the subscription is live. */
  join(roomId: string, receive: (kind: BusKind, payload: Uint8Array) => void): Promise<void>;
  /** Stops receiving for `receive` (a later `join` of the same room by a reloaded document is kept). */
  leave(roomId: string, receive: (kind: BusKind, payload: Uint8Array) => void): Promise<void>;
  publish(roomId: string, kind: BusKind, payload: Uint8Array): void;
  publishControl(message: ControlMessage): void;
  onControl(handler: (message: ControlMessage) => void): void;
  /** Called after the connection to Redis came back: messages may have been missed meanwhile. */
  onReconnect(handler: () => void): void;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const ID_BYTES = 8;
const PREFIX = "chalkroom:collab:";
const CONTROL = `${PREFIX}control`;
const roomChannel = (roomId: string) => `${PREFIX}room:${roomId}`;

export async function connectRoomBus(url: string, onError: (error: Error) => void): Promise<RoomBus> {
  const instance = randomBytes(ID_BYTES);
  const { publisher, subscriber, close } = await connectRedisPair(url, onError);
  await subscriber.subscribe(CONTROL);

  const rooms = new Map<string, (kind: BusKind, payload: Uint8Array) => void>();
  const controlHandlers: ((message: ControlMessage) => void)[] = [];
  const reconnectHandlers: (() => void)[] = [];
  let connectedOnce = false;
  subscriber.on("ready", () => {
    if (connectedOnce) for (const handler of reconnectHandlers) handler();
    connectedOnce = true;
  });
  connectedOnce = subscriber.status === "ready";

  subscriber.on("messageBuffer", (channelBytes: Buffer, message: Buffer) => {
    if (message.length < ID_BYTES + 1 || message.subarray(0, ID_BYTES).equals(instance)) return;
    const channel = channelBytes.toString();
    const body = message.subarray(ID_BYTES);
    if (channel === CONTROL) {
      const parsed = ControlMessage.safeParse(safeJson(body.toString()));
      if (parsed.success) for (const handler of controlHandlers) handler(parsed.data);
      return;
    }
    const receive = rooms.get(channel);
    const kind = body[0];
    if (receive && (kind === BUS.update || kind === BUS.awareness || kind === BUS.syncRequest)) {
      receive(kind, new Uint8Array(body.buffer, body.byteOffset + 1, body.length - 1));
    }
  });

  const send = (channel: string, body: Buffer) => {
    publisher.publish(channel, Buffer.concat([instance, body])).catch(onError);
  };

  return {
    async join(roomId, receive) {
      rooms.set(roomChannel(roomId), receive);
      await subscriber.subscribe(roomChannel(roomId));
    },
    async leave(roomId, receive) {
      if (rooms.get(roomChannel(roomId)) !== receive) return;
      rooms.delete(roomChannel(roomId));
      await subscriber.unsubscribe(roomChannel(roomId));
    },
    publish(roomId, kind, payload) {
      send(roomChannel(roomId), Buffer.concat([Buffer.from([kind]), payload]));
    },
    publishControl(message) {
      send(CONTROL, Buffer.from(JSON.stringify(message)));
    },
    onControl: (handler) => void controlHandlers.push(handler),
    onReconnect: (handler) => void reconnectHandlers.push(handler),
    async ping() {
      await publisher.ping();
    },
    close,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
