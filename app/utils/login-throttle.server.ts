import { RateLimiterMemory } from "rate-limiter-flexible";
import { loadConfig } from "./config.server.ts";

// Failed logins are counted per account and per client address; either reaching the limit within a
// minute refuses further attempts until the window passes.
let limiter: RateLimiterMemory | undefined;
function failures() {
  limiter ??= new RateLimiterMemory({ keyPrefix: "login-fail", points: loadConfig().LOGIN_ATTEMPTS_PER_MINUTE, duration: 60 });
  return limiter;
}

const keys = (email: string, ip: string) => [`account:${email.toLowerCase()}`, `ip:${ip}`];

/** Seconds until another attempt is allowed, or 0 when attempts are allowed now. */
export async function loginBlockedFor(email: string, ip: string): Promise<number> {
  const limit = loadConfig().LOGIN_ATTEMPTS_PER_MINUTE;
  let waitMs = 0;
  for (const key of keys(email, ip)) {
    const state = await failures().get(key);
    if (state && state.consumedPoints >= limit) waitMs = Math.max(waitMs, state.msBeforeNext);
  }
  return Math.ceil(waitMs / 1000);
}

export async function recordLoginFailure(email: string, ip: string): Promise<void> {
  for (const key of keys(email, ip)) await failures().penalty(key, 1);
}

export async function clearAccountFailures(email: string): Promise<void> {
  await failures().delete(keys(email, "")[0]);
}
