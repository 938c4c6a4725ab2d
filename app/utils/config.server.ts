import { z } from "zod";

// Every setting the server reads, parsed once with zod: a wrong value stops start-up with a clear message.
const ConfigSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().default(".data/pglite"),
  // Required by anything that signs cookies (the web server); scripts such as the seed do without it.
  SESSION_SECRET: z.string().min(16, "SESSION_SECRET must be at least 16 characters").optional(),
  LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).default(5),
  // When set, GET /metrics requires "Authorization: Bearer <token>".
  METRICS_TOKEN: z.string().min(16).optional(),
  // Several app instances share live rooms (and the grading queue) through Redis when this is set.
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "REDIS_URL must start with redis:// or rediss://").optional(),
  // Meilisearch when MEILI_HOST is set; otherwise the embedded engine.
  MEILI_HOST: z.string().url().optional(),
  MEILI_API_KEY: z.string().optional(),
  MEILI_INDEX: z.string().regex(/^[A-Za-z0-9_-]+$/).default("challenges"),
  // Recent results the embedded engine keeps in memory (emptied on every index write); 0 turns it off.
  SEARCH_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(1000),
  // The grader sandbox refuses to start without a network namespace; "1" lifts that requirement, only for
  // containers that already have no network (docs/decisions/007-grader-sandbox.md).
  GRADER_ALLOW_NETWORK: z.enum(["0", "1"]).default("0"),
  // Voice through LiveKit: the URL browsers connect to (ws:// or wss://; the server reaches the same host over
  // http(s) for its room service) and an API key pair of that server. Unset: rooms say voice is not configured.
  LIVEKIT_URL: z.string().url().regex(/^(wss?|https?):\/\//, "LIVEKIT_URL must start with ws://, wss://, http:// or https://").optional(),
  LIVEKIT_API_KEY: z.string().min(1).optional(),
  LIVEKIT_API_SECRET: z.string().min(1).optional(),
  // tldraw's licence key, handed to the whiteboard in the page (it is not a secret from browsers). Without
  // one tldraw shows a watermark, and on an HTTPS production host it stops drawing after 5 s (README).
  TLDRAW_LICENSE_KEY: z.string().trim().min(1).optional(),
}).superRefine((config, ctx) => {
  if (!config.LIVEKIT_URL) return;
  for (const key of ["LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"] as const) {
    if (!config[key]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `${key} is required when LIVEKIT_URL is set` });
  }
});

export type Config = z.infer<typeof ConfigSchema>;

let cached: Config | undefined;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (cached && env === process.env) return cached;
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  if (env === process.env) cached = parsed.data;
  return parsed.data;
}
