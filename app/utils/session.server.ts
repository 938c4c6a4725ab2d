import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { db } from "./db.server.ts";
import { loadConfig } from "./config.server.ts";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: "TEACHER" | "STUDENT";
}

const SESSION_DAYS = 30;

let storage: ReturnType<typeof createCookieSessionStorage<{ sessionId: string }>> | undefined;
function sessionStorage() {
  if (!storage) {
    const config = loadConfig();
    if (!config.SESSION_SECRET) throw new Error("SESSION_SECRET is not set: sessions cannot be signed");
    storage = createCookieSessionStorage<{ sessionId: string }>({
      cookie: {
        name: "__chalkroom",
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: config.PUBLIC_URL?.startsWith("https://") ?? false,
        secrets: [config.SESSION_SECRET],
        maxAge: SESSION_DAYS * 24 * 3600,
      },
    });
  }
  return storage;
}

/** The signed-in user behind a request's cookie, or null. Sessions live in the database so logout revokes them. */
export async function getSessionUser(request: Request): Promise<SessionUser | null> {
  return userFromCookieHeader(request.headers.get("Cookie"));
}

/** Same check for a WebSocket upgrade, which has headers but no Fetch Request. */
export async function userFromCookieHeader(cookieHeader: string | null | undefined): Promise<SessionUser | null> {
  const session = await sessionStorage().getSession(cookieHeader);
  const sessionId = session.get("sessionId");
  if (typeof sessionId !== "string") return null;
  const row = await db.session.findUnique({
    where: { id: sessionId },
    select: { expiresAt: true, user: { select: { id: true, email: true, name: true, role: true } } },
  });
  if (!row || row.expiresAt < new Date()) return null;
  return row.user;
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
  }
  return user;
}

export async function requireTeacher(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.role !== "TEACHER") throw new Response("Only teachers can do this.", { status: 403 });
  return user;
}

/** Starts a session and returns the Set-Cookie header value. */
export async function startSession(userId: string): Promise<string> {
  const row = await db.session.create({
    data: { userId, expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000) },
  });
  const session = await sessionStorage().getSession();
  session.set("sessionId", row.id);
  return sessionStorage().commitSession(session);
}

/** Revokes the request's session and returns the Set-Cookie header value that clears it. */
export async function endSession(request: Request): Promise<string> {
  const session = await sessionStorage().getSession(request.headers.get("Cookie"));
  const sessionId = session.get("sessionId");
  if (typeof sessionId === "string") await db.session.deleteMany({ where: { id: sessionId } });
  return sessionStorage().destroySession(session);
}

/** Only same-site relative paths: an attacker-supplied redirectTo must not send users elsewhere. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/dashboard"): string {
  // Browsers drop tabs and newlines and read "\" as "/" in Location, so "/\t/evil.example" would leave the site.
  if (typeof to !== "string" || !to.startsWith("/") || /[\s\\\x00-\x1f\x7f]/.test(to)) return fallback;
  const base = "http://chalkroom.invalid";
  const url = new URL(to, base);
  return url.origin === base ? url.pathname + url.search + url.hash : fallback;
}
