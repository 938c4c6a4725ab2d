// Live events (a submission changed status, a chat message, who is in a room's voice) published on topics such as
// "room:<id>" and "assignment:<id>". In one process they go through an EventEmitter; with REDIS_URL they
// also cross processes (other app instances, `npm run grader` workers) over Redis pub/sub.
import { EventEmitter } from "node:events";
import { connectRedisPair } from "../redis-pair.ts";
import { z } from "zod";

const ChatMessageView = z.object({
  id: z.string(),
  channel: z.string(),
  author: z.object({ id: z.string(), name: z.string(), teacher: z.boolean() }),
  html: z.string(),
  body: z.string(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  deleted: z.boolean(),
  pinned: z.boolean(),
});

export const LiveEvent = z.discriminatedUnion("type", [
  // A chat message was posted, edited, deleted or (un)pinned: its current state.
  z.object({ type: z.literal("chat"), message: ChatMessageView }),
  z.object({
    type: z.literal("submission"),
    submissionId: z.string(),
    roomId: z.string(),
    assignmentId: z.string(),
    status: z.enum(["QUEUED", "RUNNING", "GRADED", "ERROR"]),
  }),
  // Who is in a room's voice now (the whole list, so that a missed event is repaired by the next one).
  z.object({
    type: z.literal("voice"),
    roomId: z.string(),
    assignmentId: z.string(),
    participants: z.array(z.object({ identity: z.string(), name: z.string() })).max(500),
  }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;

const ID = "[A-Za-z0-9_-]{1,64}";
export const TOPIC = new RegExp(`^(?:(?:room|assignment|group):${ID}|dm:${ID}:${ID}:${ID})$`);
export const roomTopic = (roomId: string) => `room:${roomId}`;
export const assignmentTopic = (assignmentId: string) => `assignment:${assignmentId}`;

export interface LiveHub {
  publish(topics: string[], event: LiveEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(topic: string, handler: (event: LiveEvent) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = "chalkroom:live";

export async function createLiveHub(redisUrl: string | undefined, onError: (error: Error) => void = (e) => console.error("live:", e.message)): Promise<LiveHub> {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const deliver = (topics: string[], event: LiveEvent) => {
    for (const topic of topics) local.emit(topic, event);
  };
  if (!redisUrl) {
    return {
      publish: deliver,
      subscribe(topic, handler) {
        local.on(topic, handler);
        return () => local.off(topic, handler);
      },
      async close() {
        local.removeAllListeners();
      },
    };
  }

  // One channel for every topic: instances see all events and deliver those someone here follows.
  const Envelope = z.object({ topics: z.array(z.string().regex(TOPIC)).max(10), event: LiveEvent });
  const { publisher, subscriber, close } = await connectRedisPair(redisUrl, onError);
  await subscriber.subscribe(CHANNEL);
  subscriber.on("message", (_channel: string, message: string) => {
    let parsed;
    try {
      parsed = Envelope.safeParse(JSON.parse(message));
    } catch {
      return;
    }
    if (parsed.success) deliver(parsed.data.topics, parsed.data.event);
  });
  return {
    publish(topics, event) {
      publisher.publish(CHANNEL, JSON.stringify({ topics, event })).catch(onError);
    },
    subscribe(topic, handler) {
      local.on(topic, handler);
      return () => local.off(topic, handler);
    },
    async close() {
      local.removeAllListeners();
      await close();
    },
  };
}
