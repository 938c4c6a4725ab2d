// Share links: a room's members hand out a URL that lets anyone (with or without an account) watch the
// room, or edit in it, until the link expires or is revoked.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "~/utils/db.server.ts";

export const SHARE_EXPIRIES = { "1h": 3600_000, "1d": 24 * 3600_000, "7d": 7 * 24 * 3600_000, never: null } as const;

export const ShareLinkInput = z.object({
  mode: z.enum(["READ", "EDIT"], { message: "Choose whether the link lets people edit or only watch." }),
  expiresIn: z.enum(["1h", "1d", "7d", "never"], { message: "Choose when the link expires." }),
});

/** 32 url-safe characters of randomness: long enough that links cannot be guessed. */
export const SHARE_TOKEN = /^[A-Za-z0-9_-]{32}$/;

export async function createShareLink(roomId: string, createdById: string, input: z.infer<typeof ShareLinkInput>) {
  const lifetime = SHARE_EXPIRIES[input.expiresIn];
  return db.shareLink.create({
    data: {
      roomId,
      createdById,
      mode: input.mode,
      token: randomBytes(24).toString("base64url"),
      expiresAt: lifetime === null ? null : new Date(Date.now() + lifetime),
    },
    select: { id: true, token: true },
  });
}

/** The room's links that still work, newest first. */
export async function listShareLinks(roomId: string) {
  return db.shareLink.findMany({
    where: { roomId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
    orderBy: { createdAt: "desc" },
    select: { id: true, token: true, mode: true, expiresAt: true, createdAt: true, createdBy: { select: { name: true } } },
  });
}

/** Revokes one of the room's links; returns its id (to close the sockets it opened), or null if there is none. */
export async function revokeShareLink(roomId: string, linkId: string): Promise<string | null> {
  const { count } = await db.shareLink.updateMany({ where: { id: linkId, roomId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count ? linkId : null;
}

export type OpenedShareLink =
  | { status: "open"; id: string; roomId: string; mode: "READ" | "EDIT" }
  | { status: "unknown" | "revoked" | "expired" };

/** What a token opens, if anything. */
export async function openShareLink(token: string): Promise<OpenedShareLink> {
  if (!SHARE_TOKEN.test(token)) return { status: "unknown" };
  const link = await db.shareLink.findUnique({ where: { token }, select: { id: true, roomId: true, mode: true, revokedAt: true, expiresAt: true } });
  if (!link) return { status: "unknown" };
  if (link.revokedAt) return { status: "revoked" };
  if (link.expiresAt && link.expiresAt <= new Date()) return { status: "expired" };
  return { status: "open", id: link.id, roomId: link.roomId, mode: link.mode };
}
