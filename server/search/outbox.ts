// Applies search-outbox rows (written in the same transaction as each challenge change) to the engine.
// Rows only name a challenge: applying reads its current state, so replays and retries are harmless.
import type { Db } from "~/utils/db.server.ts";
import { loadSearchDocuments } from "./documents.ts";
import type { SearchEngine } from "./types.ts";

export interface OutboxPass {
  applied: number;
  failed: boolean;
}

/** One pass over pending rows, oldest first. On failure the rows stay pending, with the error recorded. */
export async function applyOutbox(db: Db, engine: SearchEngine, batchSize = 200): Promise<OutboxPass> {
  const rows = await db.searchOutbox.findMany({ where: { processedAt: null }, orderBy: { id: "asc" }, take: batchSize, select: { id: true, challengeId: true } });
  if (!rows.length) return { applied: 0, failed: false };
  const ids = [...new Set(rows.map((r) => r.challengeId))];
  try {
    const documents = await loadSearchDocuments(db, ids);
    const present = new Set(documents.map((d) => d.id));
    await engine.upsert(documents);
    await engine.remove(ids.filter((id) => !present.has(id)));
  } catch (error) {
    await db.searchOutbox.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { attempts: { increment: 1 }, lastError: String((error as Error).message ?? error).slice(0, 500) },
    });
    return { applied: 0, failed: true };
  }
  await db.searchOutbox.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { processedAt: new Date(), lastError: null } });
  return { applied: rows.length, failed: false };
}

export interface OutboxWorker {
  /** Runs passes until nothing is pending (tests and shutdown use it). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** Polls for pending rows; after a failure it waits longer each time (up to 30 s) and retries. */
export function startOutboxWorker(db: Db, engine: SearchEngine, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): OutboxWorker {
  const interval = options.intervalMs ?? 250;
  let delay = interval;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const pass = async () => {
    for (;;) {
      const result = await applyOutbox(db, engine);
      if (result.failed) {
        delay = Math.min(delay * 2, 30_000);
        return;
      }
      delay = interval;
      if (result.applied === 0) return;
    }
  };
  const tick = () => {
    running = pass().catch((error) => {
      delay = Math.min(delay * 2, 30_000);
      options.onError?.(error);
    });
    void running.then(() => {
      if (!stopped) timer = setTimeout(tick, delay);
    });
  };
  timer = setTimeout(tick, 0);

  return {
    async drain() {
      await running;
      await pass();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
