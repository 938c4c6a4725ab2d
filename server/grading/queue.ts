// The grading queue, one interface with two implementations: BullMQ on Redis when REDIS_URL is set
// (graders are separate processes, on any machine: `npm run grader`), or an in-process queue feeding
// this process's own sandboxed grader. Jobs carry only a submission id; the submission is in PostgreSQL.
import { Queue, Worker } from "bullmq";
import PQueue from "p-queue";
import type { Db } from "~/utils/db.server.ts";

export interface GradingQueue {
  enqueue(submissionId: string): Promise<void>;
  /** Waits for the jobs this process runs (in-process queue) and disconnects. */
  close(): Promise<void>;
}

const QUEUE_NAME = "chalkroom-grading";

export function createLocalGradingQueue(run: (submissionId: string) => Promise<void>, concurrency: number): GradingQueue {
  const queue = new PQueue({ concurrency });
  return {
    async enqueue(submissionId) {
      void queue.add(() => run(submissionId)).catch((error) => console.error(`grading: submission ${submissionId} failed`, error));
    },
    async close() {
      // Waiting submissions stay QUEUED in the database and are taken back at the next start.
      queue.clear();
      await queue.onIdle();
    },
  };
}

/** Submissions left waiting or half-run when the process stopped, for the in-process queue to take again. */
export async function unfinishedSubmissions(db: Db): Promise<string[]> {
  const rows = await db.submission.findMany({ where: { status: { in: ["QUEUED", "RUNNING"] } }, orderBy: { createdAt: "asc" }, select: { id: true } });
  return rows.map((r) => r.id);
}

export function createRedisGradingQueue(redisUrl: string): GradingQueue {
  const queue = new Queue(QUEUE_NAME, { connection: { url: redisUrl, maxRetriesPerRequest: 2 } });
  queue.on("error", (error) => console.error("grading queue:", error.message)); // without a listener, an error event would crash the process
  return {
    async enqueue(submissionId) {
      // The job id is the submission's: enqueuing twice grades once.
      await queue.add("grade", { submissionId }, { jobId: submissionId, attempts: 3, backoff: { type: "exponential", delay: 1_000 }, removeOnComplete: 1_000, removeOnFail: 5_000 });
    },
    close: () => queue.close(),
  };
}

/** A grading worker on Redis: takes jobs from any app instance and runs them here. */
export function startRedisGradingWorker(redisUrl: string, run: (submissionId: string) => Promise<void>, concurrency: number): { close(): Promise<void> } {
  const worker = new Worker<{ submissionId: string }>(QUEUE_NAME, (job) => run(job.data.submissionId), { connection: { url: redisUrl, maxRetriesPerRequest: null }, concurrency });
  worker.on("error", (error) => console.error("grading worker:", error.message));
  return { close: () => worker.close() };
}
