// Applies search-outbox rows (written in the same transaction as each challenge change) to the engine.
// Rows only name a challenge: applying reads its current state, so replays and retries are harmless.
import type { Db } from "~/utils/db.server.ts";
import { loadSearchDocuments } from "./documents.ts";
import type { SearchEngine } from "./types.ts";

export interface OutboxPass {
  applied: number;
  failed: boolean;
}

// Several app instances may run workers: one pass at a time, across instances, so an older read of a
// challenge can never be written to the index after a newer one.
const OUTBOX_LOCK = 74_311;

/** One pass over pending rows, oldest first. On failure the rows stay pending, with the error recorded. */
export async function applyOutbox(db: Db, engine: SearchEngine, batchSize = 200): Promise<OutboxPass> {
  if (!(await db.searchOutbox.findFirst({ where: { processedAt: null }, select: { id: true } }))) return { applied: 0, failed: false };
  return db.$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${OUTBOX_LOCK}) AS locked`;
      if (!locked) return { applied: 0, failed: false };
      return applyPending(tx as unknown as Db, engine, batchSize);
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

async function applyPending(db: Db, engine: SearchEngine, batchSize: number): Promise<OutboxPass> {
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

/**
 * Rebuilds the index from the database. Rows the worker applied to the old index while the rebuild read
 * the database are set pending again, so nothing done meanwhile is lost with the swap.
 */
export async function rebuildIndex(db: Db, engine: SearchEngine): Promise<number> {
  const startedAt = new Date();
  const documents = await loadSearchDocuments(db);
  await engine.replaceAll(documents);
  await db.searchOutbox.updateMany({ where: { processedAt: { gte: startedAt } }, data: { processedAt: null } });
  return documents.length;
}

export interface OutboxWorker {
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
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
