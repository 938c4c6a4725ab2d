import type { Collab } from "../server/collab/index.ts";
import type { GradingQueue } from "../server/grading/queue.ts";
import type { SubmissionAnnouncement } from "../server/grading/run-submission.ts";
import type { LiveHub } from "../server/live/hub.ts";
import type { CatalogSearch } from "../server/search/index.ts";
import type { Voice } from "../server/voice/index.ts";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as Express sees it (honours X-Forwarded-For only behind a configured proxy). */
    clientIp: string;
    /** The challenge catalog's search engine, kept in sync through the outbox. */
    search: CatalogSearch;
    /** Live room documents: versions (snapshots) and restores go through the process that holds them. */
    collab: Pick<Collab, "snapshot" | "restore" | "closeShareLink" | "currentCode">;
    /** Where submissions wait for the sandboxed grader, and how their status reaches the room and its teachers. */
    grading: Pick<GradingQueue, "enqueue"> & { announce(submission: SubmissionAnnouncement): void };
    /** Live events (submission status, who is in voice) to the pages following them. */
    live: LiveHub;
    /** LiveKit voice; null when LIVEKIT_URL is not configured. */
    voice: Voice | null;
  }
}

export {};
