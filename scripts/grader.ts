// `npm run grader`: a grading worker for deployments with REDIS_URL. It takes submissions from the BullMQ
// queue (any app instance may have enqueued them), grades them in its own sandboxed grader process and
// stores the results in PostgreSQL; statuses reach the pages through Redis. Run as many as you like.
import { loadConfig } from "~/utils/config.server.ts";
import { closeDb, db } from "~/utils/db.server.ts";
import { startRedisGradingWorker } from "../server/grading/queue.ts";
import { runSubmission } from "../server/grading/run-submission.ts";
import { startGrader } from "../server/grading/sandbox.server.ts";
import { createLiveHub } from "../server/live/hub.ts";

const config = loadConfig();
if (!config.REDIS_URL || !config.DATABASE_URL) {
  console.error("npm run grader needs REDIS_URL and DATABASE_URL: without Redis the app grades in its own process.");
  process.exit(1);
}
const concurrency = Number(process.env.GRADER_CONCURRENCY ?? 2);
const grader = await startGrader({ concurrency, allowNetwork: config.GRADER_ALLOW_NETWORK === "1" });
const live = await createLiveHub(config.REDIS_URL);
const worker = startRedisGradingWorker(config.REDIS_URL, (id) => runSubmission({ db, grader, live }, id), concurrency * 2);
console.log(`Grader ready: taking submissions from ${config.REDIS_URL.replace(/\/\/[^@]*@/, "//")} (${concurrency} at a time).`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await worker.close();
    await grader.close();
    await live.close();
    await closeDb();
    process.exit(0);
  });
}
