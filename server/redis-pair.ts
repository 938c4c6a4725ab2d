// Redis pub/sub needs two connections: a subscribed connection can do nothing else, so publishing (and
// any other command) goes through the first. Errors are reported, never thrown: ioredis reconnects.
import { Redis } from "ioredis";

export async function connectRedisPair(url: string, onError: (error: Error) => void): Promise<{ publisher: Redis; subscriber: Redis; close(): Promise<void> }> {
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const subscriber = publisher.duplicate();
  publisher.on("error", onError);
  subscriber.on("error", onError);
  await Promise.all([publisher.connect(), subscriber.connect()]);
  return {
    publisher,
    subscriber,
    async close() {
      subscriber.disconnect();
      await publisher.quit().catch(() => publisher.disconnect());
    },
  };
}
