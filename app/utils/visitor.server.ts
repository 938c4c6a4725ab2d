// Who is looking at a room: a signed-in user, or a guest who arrived by a share link and chose a display
// name. Guests have no account; their name and a random id live in a signed cookie.
import { createCookie, redirect } from "@remix-run/node";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { loadConfig } from "./config.server.ts";
import { userFromCookieHeader, type SessionUser } from "./session.server.ts";

export type Visitor = { kind: "user"; id: string; name: string; user: SessionUser } | { kind: "guest"; id: string; name: string };

export const GuestName = z.string().trim().min(1, "Enter the name others will see.").max(40, "Keep your name under 40 characters.");
const GuestCookie = z.object({ id: z.string().regex(/^guest_[A-Za-z0-9_-]{16}$/), name: GuestName });

let cookie: ReturnType<typeof createCookie> | undefined;
function guestCookie() {
  if (!cookie) {
    const config = loadConfig();
    if (!config.SESSION_SECRET) throw new Error("SESSION_SECRET is not set: guest names cannot be signed");
    cookie = createCookie("__chalkroom_guest", {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: config.PUBLIC_URL?.startsWith("https://") ?? false,
      secrets: [config.SESSION_SECRET],
      maxAge: 7 * 24 * 3600,
    });
  }
  return cookie;
}

/** The visitor behind a cookie header: the session's user first, else the guest cookie, else nobody. */
export async function visitorFromCookieHeader(cookieHeader: string | null | undefined): Promise<Visitor | null> {
  const user = await userFromCookieHeader(cookieHeader);
  if (user) return { kind: "user", id: user.id, name: user.name, user };
  const guest = GuestCookie.safeParse(await guestCookie().parse(cookieHeader ?? null));
  return guest.success ? { kind: "guest", ...guest.data } : null;
}

/** Remembers a guest's display name (keeping their id if they had one) and sends them back to `to`. */
export async function rememberGuest(request: Request, name: string, to: string): Promise<Response> {
  const previous = await visitorFromCookieHeader(request.headers.get("Cookie"));
  const id = previous?.kind === "guest" ? previous.id : `guest_${randomBytes(12).toString("base64url")}`;
  return redirect(to, { headers: { "Set-Cookie": await guestCookie().serialize({ id, name }) } });
}
