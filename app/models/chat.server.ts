// Chat: a group channel (teachers pin announcements), a channel per room, and direct channels between a
// student and a teacher of their group. Messages are stored here and delivered live through the event hub;
// who may read, write, edit, delete and pin is decided by `chatChannelAccess`.
import { RateLimiterMemory } from "rate-limiter-flexible";
import { z } from "zod";
import { atLeast, chatChannelAccess, groupAccess, type ChatChannel } from "~/models/access.server.ts";
import { db } from "~/utils/db.server.ts";
import { renderChatMarkdown } from "~/utils/markdown.server.ts";
import type { SessionUser } from "~/utils/session.server.ts";

export const MAX_MESSAGE_CHARS = 2_000;
export const MESSAGES_PER_10_SECONDS = 8;
export const PAGE_SIZE = 30;

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** "group:<id>", "room:<id>" or "dm:<groupId>:<userId>:<userId>" (the two ids in order). */
export const ChannelKey = z.string().max(200).transform((key, ctx): ChatChannel => {
  const [kind, ...ids] = key.split(":");
  if (ids.every((id) => ID.test(id))) {
    if (kind === "group" && ids.length === 1) return { kind, groupId: ids[0] };
    if (kind === "room" && ids.length === 1) return { kind, roomId: ids[0] };
    if (kind === "dm" && ids.length === 3 && ids[1] < ids[2]) return { kind, groupId: ids[0], userIds: [ids[1], ids[2]] };
  }
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: "There is no such channel." });
  return z.NEVER;
});

export const MessageBody = z.string().trim().min(1, "Write something first.").max(MAX_MESSAGE_CHARS, `Keep messages under ${MAX_MESSAGE_CHARS} characters.`);

export function channelKey(channel: ChatChannel): string {
  if (channel.kind === "group") return `group:${channel.groupId}`;
  if (channel.kind === "room") return `room:${channel.roomId}`;
  return `dm:${channel.groupId}:${channel.userIds[0]}:${channel.userIds[1]}`;
}

export const directChannel = (groupId: string, a: string, b: string): ChatChannel => ({ kind: "dm", groupId, userIds: a < b ? [a, b] : [b, a] });

async function groupOf(channel: ChatChannel): Promise<string> {
  if (channel.kind !== "room") return channel.groupId;
  const room = await db.room.findUniqueOrThrow({ where: { id: channel.roomId }, select: { assignment: { select: { groupId: true } } } });
  return room.assignment.groupId;
}

const messageSelect = {
  id: true, channel: true, groupId: true, roomId: true, recipientId: true, body: true, pinned: true, createdAt: true, editedAt: true, deletedAt: true,
  author: { select: { id: true, name: true, role: true } },
} as const;

type Row = { id: string; channel: "GROUP" | "ROOM" | "DIRECT"; groupId: string; roomId: string | null; recipientId: string | null; body: string; pinned: boolean; createdAt: Date; editedAt: Date | null; deletedAt: Date | null; author: { id: string; name: string; role: "TEACHER" | "STUDENT" } };

function channelOfRow(row: Row): ChatChannel {
  if (row.channel === "GROUP") return { kind: "group", groupId: row.groupId };
  if (row.channel === "ROOM") return { kind: "room", roomId: row.roomId! };
  return directChannel(row.groupId, row.author.id, row.recipientId!);
}

export type ChatMessageView = ReturnType<typeof view>;

/** A message as readers get it: rendered safely; a deleted one keeps its place but not its text. */
function view(row: Row) {
  const deleted = row.deletedAt !== null;
  return {
    id: row.id,
    channel: channelKey(channelOfRow(row)),
    author: { id: row.author.id, name: row.author.name, teacher: row.author.role === "TEACHER" },
    html: deleted ? "" : renderChatMarkdown(row.body),
    body: deleted ? "" : row.body,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deleted,
    pinned: row.pinned && !deleted,
  };
}

function whereChannel(channel: ChatChannel) {
  if (channel.kind === "group") return { groupId: channel.groupId, channel: "GROUP" as const };
  if (channel.kind === "room") return { roomId: channel.roomId, channel: "ROOM" as const };
  const [a, b] = channel.userIds;
  return { groupId: channel.groupId, channel: "DIRECT" as const, OR: [{ authorId: a, recipientId: b }, { authorId: b, recipientId: a }] };
}

export type ChatOutcome<T> = { ok: true; value: T } | { ok: false; status: 400 | 403 | 404 | 429; message: string };
const refuse = (status: 400 | 403 | 404 | 429, message: string) => ({ ok: false as const, status, message });

/** A page of the channel's messages, oldest first, before `before` (a message id) or the newest. */
export async function listMessages(user: SessionUser, channel: ChatChannel, before?: string): Promise<ChatOutcome<{ messages: ChatMessageView[]; more: boolean; pinned: ChatMessageView | null }>> {
  if ((await chatChannelAccess(user, channel)) === "none") return refuse(404, "There is no such channel.");
  const cursor = before ? await db.chatMessage.findFirst({ where: { id: before, ...whereChannel(channel) }, select: { createdAt: true, id: true } }) : null;
  if (before && !cursor) return refuse(400, "That message is not in this channel.");
  const rows = await db.chatMessage.findMany({
    where: { ...whereChannel(channel), ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: PAGE_SIZE + 1,
    select: messageSelect,
  });
  const pinned = channel.kind === "group" ? await db.chatMessage.findFirst({ where: { ...whereChannel(channel), pinned: true, deletedAt: null }, select: messageSelect }) : null;
  return { ok: true, value: { messages: rows.slice(0, PAGE_SIZE).reverse().map(view), more: rows.length > PAGE_SIZE, pinned: pinned ? view(pinned) : null } };
}

let limiter: RateLimiterMemory | undefined;
const rateLimiter = () => (limiter ??= new RateLimiterMemory({ keyPrefix: "chat", points: MESSAGES_PER_10_SECONDS, duration: 10 }));

export async function postMessage(user: SessionUser, channel: ChatChannel, body: string): Promise<ChatOutcome<ChatMessageView>> {
  const access = await chatChannelAccess(user, channel);
  if (access === "none") return refuse(404, "There is no such channel.");
  if (!atLeast(access, "write")) return refuse(403, "You can read this channel but not write in it.");
  const text = MessageBody.safeParse(body);
  if (!text.success) return refuse(400, text.error.issues[0]!.message);
  try {
    await rateLimiter().consume(user.id);
  } catch (rejection) {
    const wait = Math.ceil(((rejection as { msBeforeNext?: number }).msBeforeNext ?? 10_000) / 1000);
    return refuse(429, `You are sending messages too fast: wait ${wait} s.`);
  }
  const groupId = await groupOf(channel);
  const row = await db.chatMessage.create({
    data: {
      groupId,
      channel: channel.kind === "group" ? "GROUP" : channel.kind === "room" ? "ROOM" : "DIRECT",
      roomId: channel.kind === "room" ? channel.roomId : null,
      recipientId: channel.kind === "dm" ? channel.userIds.find((id) => id !== user.id)! : null,
      authorId: user.id,
      body: text.data,
    },
    select: messageSelect,
  });
  return { ok: true, value: view(row) };
}

/** Loads a message with what `user` may do to it: authors edit and delete their own; teachers of the group delete any. */
async function messageFor(user: SessionUser, messageId: string) {
  const row = await db.chatMessage.findUnique({ where: { id: messageId }, select: messageSelect });
  if (!row) return null;
  const access = await chatChannelAccess(user, channelOfRow(row));
  if (access === "none") return null;
  const teachesGroup = (await groupAccess(user, row.groupId)) === "manage";
  return { row, own: row.author.id === user.id, teachesGroup };
}

export async function editMessage(user: SessionUser, messageId: string, body: string): Promise<ChatOutcome<ChatMessageView>> {
  const found = await messageFor(user, messageId);
  if (!found || found.row.deletedAt) return refuse(404, "There is no such message.");
  if (!found.own) return refuse(403, "You can only edit your own messages.");
  const text = MessageBody.safeParse(body);
  if (!text.success) return refuse(400, text.error.issues[0]!.message);
  const row = await db.chatMessage.update({ where: { id: messageId }, data: { body: text.data, editedAt: new Date() }, select: messageSelect });
  return { ok: true, value: view(row) };
}

export async function deleteMessage(user: SessionUser, messageId: string): Promise<ChatOutcome<ChatMessageView>> {
  const found = await messageFor(user, messageId);
  if (!found || found.row.deletedAt) return refuse(404, "There is no such message.");
  if (!found.own && !found.teachesGroup) return refuse(403, "You can only delete your own messages.");
  const row = await db.chatMessage.update({ where: { id: messageId }, data: { deletedAt: new Date(), pinned: false }, select: messageSelect });
  return { ok: true, value: view(row) };
}

/** Pins a group-channel message (teachers), replacing the pinned one; or unpins it. Returns every message that changed. */
export async function pinMessage(user: SessionUser, messageId: string, pinned: boolean): Promise<ChatOutcome<ChatMessageView[]>> {
  const found = await messageFor(user, messageId);
  if (!found || found.row.deletedAt) return refuse(404, "There is no such message.");
  if (found.row.channel !== "GROUP") return refuse(400, "Only messages in the group channel can be pinned.");
  if (!found.teachesGroup) return refuse(403, "Only the group's teachers can pin messages.");
  const changed = await db.$transaction(async (tx) => {
    const previous = pinned ? await tx.chatMessage.findMany({ where: { groupId: found.row.groupId, channel: "GROUP", pinned: true, id: { not: messageId } }, select: { id: true } }) : [];
    await tx.chatMessage.updateMany({ where: { id: { in: previous.map((p) => p.id) } }, data: { pinned: false } });
    await tx.chatMessage.update({ where: { id: messageId }, data: { pinned } });
    return tx.chatMessage.findMany({ where: { id: { in: [messageId, ...previous.map((p) => p.id)] } }, select: messageSelect });
  });
  return { ok: true, value: changed.map(view) };
}

export async function markRead(user: SessionUser, channel: ChatChannel): Promise<ChatOutcome<null>> {
  if ((await chatChannelAccess(user, channel)) === "none") return refuse(404, "There is no such channel.");
  const key = channelKey(channel);
  await db.channelRead.upsert({ where: { userId_channelKey: { userId: user.id, channelKey: key } }, create: { userId: user.id, channelKey: key, lastReadAt: new Date() }, update: { lastReadAt: new Date() } });
  return { ok: true, value: null };
}

export interface ChannelSummary {
  key: string;
  label: string;
  kind: ChatChannel["kind"];
  unread: number;
}

/**
 * The channels `user` has in a group (and in a room, when given): the group's, the room's, and a direct
 * channel with each teacher (for students) or each student (for teachers), with unread counts.
 */
export async function listChannels(user: SessionUser, groupId: string, roomId?: string): Promise<ChannelSummary[]> {
  const members = await db.membership.findMany({ where: { groupId }, select: { role: true, user: { select: { id: true, name: true } } }, orderBy: { user: { name: "asc" } } });
  const me = members.find((m) => m.user.id === user.id);
  if (!me) return [];
  const channels: { channel: ChatChannel; label: string }[] = [];
  if (roomId && (await chatChannelAccess(user, { kind: "room", roomId })) !== "none") channels.push({ channel: { kind: "room", roomId }, label: "This room" });
  channels.push({ channel: { kind: "group", groupId }, label: "Whole group" });
  const partners = members.filter((m) => m.role !== me.role);
  for (const partner of partners) channels.push({ channel: directChannel(groupId, user.id, partner.user.id), label: partner.user.name });
  const keys = channels.map((c) => channelKey(c.channel));
  const reads = new Map((await db.channelRead.findMany({ where: { userId: user.id, channelKey: { in: keys } }, select: { channelKey: true, lastReadAt: true } })).map((r) => [r.channelKey, r.lastReadAt]));
  const readAt = (channel: ChatChannel) => reads.get(channelKey(channel)) ?? new Date(0);
  const unreadIn = (channel: ChatChannel) => db.chatMessage.count({ where: { ...whereChannel(channel), deletedAt: null, authorId: { not: user.id }, createdAt: { gt: readAt(channel) } } });
  // Direct channels are counted in one query, whatever the number of partners (a teacher has one per student).
  const unreadDirect = async (): Promise<Map<string, number>> => {
    if (!partners.length) return new Map();
    const rows = await db.chatMessage.groupBy({
      by: ["authorId"],
      where: {
        groupId,
        channel: "DIRECT",
        recipientId: user.id,
        deletedAt: null,
        OR: partners.map((partner) => ({ authorId: partner.user.id, createdAt: { gt: readAt(directChannel(groupId, user.id, partner.user.id)) } })),
      },
      _count: { _all: true },
    });
    return new Map(rows.map((row) => [row.authorId, row._count._all]));
  };
  const direct = unreadDirect();
  const unread = await Promise.all(
    channels.map(async ({ channel }) => (channel.kind === "dm" ? ((await direct).get(channel.userIds.find((id) => id !== user.id)!) ?? 0) : unreadIn(channel))),
  );
  return channels.map((c, i) => ({ key: keys[i], label: c.label, kind: c.channel.kind, unread: unread[i] }));
}
