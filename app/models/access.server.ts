// Who may read or write what: the one place that decides. Loaders, actions and (later) the WebSocket
// upgrade all call these functions.
import { db } from "~/utils/db.server.ts";
import { requireUser, type SessionUser } from "~/utils/session.server.ts";
import { visitorFromCookieHeader, type Visitor } from "~/utils/visitor.server.ts";
import { openShareLink } from "./share-link.server.ts";

export type Access = "none" | "read" | "write" | "manage";
const RANK: Record<Access, number> = { none: 0, read: 1, write: 2, manage: 3 };

export const atLeast = (have: Access, need: Access) => RANK[have] >= RANK[need];

/** Teachers of a group manage it; its students read it; nobody else sees it. */
export async function groupAccess(user: SessionUser | null, groupId: string): Promise<Access> {
  if (!user) return "none";
  const membership = await db.membership.findUnique({
    where: { groupId_userId: { groupId, userId: user.id } },
    select: { role: true },
  });
  if (!membership) return "none";
  return membership.role === "TEACHER" ? "manage" : "read";
}

/**
 * Authors manage their challenges; any teacher reads public ones; teachers of a group read the private
 * challenges assigned to it. Students never see challenge pages (they hold hidden tests): they see an
 * assignment's prompt and visible tests through its room.
 */
export async function challengeAccess(user: SessionUser | null, challengeId: string): Promise<Access> {
  if (!user || user.role !== "TEACHER") return "none";
  const challenge = await db.challenge.findUnique({ where: { id: challengeId }, select: { authorId: true, visibility: true } });
  if (!challenge) return "none";
  if (challenge.authorId === user.id) return "manage";
  if (challenge.visibility === "PUBLIC") return "read";
  const taught = await db.assignment.count({
    where: { challengeId, group: { members: { some: { userId: user.id, role: "TEACHER" } } } },
  });
  return taught > 0 ? "read" : "none";
}

/**
 * Hidden tests and reference solutions: the author and teachers of a group the challenge is assigned to.
 * Anyone may sign up as a teacher, so "public" shares the task, never its answers.
 */
export async function canSeeChallengeAnswers(user: SessionUser, challengeId: string): Promise<boolean> {
  const challenge = await db.challenge.findUnique({ where: { id: challengeId }, select: { authorId: true } });
  if (!challenge) return false;
  if (challenge.authorId === user.id) return true;
  const taught = await db.assignment.count({ where: { challengeId, group: { members: { some: { userId: user.id, role: "TEACHER" } } } } });
  return taught > 0;
}

/** Visible to students once it opens and until it is withdrawn; teachers of the group manage it. */
export async function assignmentAccess(user: SessionUser | null, assignmentId: string): Promise<Access> {
  if (!user) return "none";
  const assignment = await db.assignment.findUnique({
    where: { id: assignmentId },
    select: { groupId: true, opensAt: true, withdrawnAt: true },
  });
  if (!assignment) return "none";
  const group = await groupAccess(user, assignment.groupId);
  if (group === "manage") return "manage";
  if (group === "read" && isLive(assignment)) return "read";
  return "none";
}

/** A room's members write in it; teachers of its group manage it; other students do not see it. */
export async function roomAccess(user: SessionUser | null, roomId: string): Promise<Access> {
  if (!user) return "none";
  const room = await db.room.findUnique({
    where: { id: roomId },
    select: {
      assignment: { select: { groupId: true, opensAt: true, withdrawnAt: true } },
      members: { where: { userId: user.id }, select: { userId: true } },
    },
  });
  if (!room) return "none";
  const group = await groupAccess(user, room.assignment.groupId);
  if (group === "manage") return "manage";
  if (group === "read" && room.members.length > 0 && isLive(room.assignment)) return "write";
  return "none";
}

export type RoomVisit =
  | { access: Access; shareLinkId: string | null }
  | { access: "none"; shareLinkId: null; linkProblem: "unknown" | "revoked" | "expired" };

/**
 * A room seen by a visitor who may hold a share link: a read link gives "read", an edit link "write", to
 * anyone holding it (guests included) while the room's assignment is live; members keep their own access
 * when it is more. The link's id is returned when the link is what grants the access (so revoking it can
 * close what it opened).
 */
export async function roomVisitorAccess(visitor: Visitor | null, roomId: string, shareToken: string | null): Promise<RoomVisit> {
  const own = visitor?.kind === "user" ? await roomAccess(visitor.user, roomId) : "none";
  if (!shareToken) return { access: own, shareLinkId: null };
  const link = await openShareLink(shareToken);
  if (link.status !== "open" || link.roomId !== roomId) {
    if (own !== "none") return { access: own, shareLinkId: null };
    return { access: "none", shareLinkId: null, linkProblem: link.status === "open" ? "unknown" : link.status };
  }
  const room = await db.room.findUnique({ where: { id: roomId }, select: { assignment: { select: { opensAt: true, withdrawnAt: true } } } });
  const granted: Access = room && isLive(room.assignment) ? (link.mode === "EDIT" ? "write" : "read") : "none";
  return atLeast(own, granted) ? { access: own, shareLinkId: null } : { access: granted, shareLinkId: link.id };
}

/**
 * Voice in a room follows a person's own place in it: members speak, the group's teachers moderate (mute others,
 * move between the assignment's rooms). Share links never include voice: "link" marks someone who sees the room
 * only through one (a guest, or an account outside the room), who is told no rather than "not found".
 */
export type VoiceAccess = "none" | "link" | "speak" | "moderate";

export const voiceRight = (own: Access): "speak" | "moderate" | null => (own === "manage" ? "moderate" : own === "write" ? "speak" : null);

export async function roomVoiceAccess(visitor: Visitor | null, roomId: string, shareToken: string | null): Promise<VoiceAccess> {
  if (!visitor) return "none";
  const right = visitor.kind === "user" ? voiceRight(await roomAccess(visitor.user, roomId)) : null;
  if (right) return right;
  return (await roomVisitorAccess(visitor, roomId, shareToken)).access === "none" ? "none" : "link";
}

/** The signed-in user with at least `need` in a room's voice, or a thrown redirect to log in / 403 / 404. */
export async function requireRoomVoice(request: Request, roomId: string, need: "speak" | "moderate", shareToken: string | null): Promise<{ user: SessionUser; access: "speak" | "moderate" }> {
  const visitor = await visitorFromCookieHeader(request.headers.get("Cookie"));
  if (!visitor) await requireUser(request);
  const access = await roomVoiceAccess(visitor, roomId, shareToken);
  if (access === "none") throw new Response("Room not found.", { status: 404 });
  if (access === "link" || visitor?.kind !== "user") throw new Response("Voice is for the room's members and the group's teachers; a share link does not include it.", { status: 403 });
  if (need === "moderate" && access !== "moderate") throw new Response("Only the group's teachers can mute people in voice.", { status: 403 });
  return { user: visitor.user, access };
}

/** A student's results in a group: the group's teachers, and the student themself; nobody else. */
export async function studentResultsAccess(user: SessionUser | null, groupId: string, studentId: string): Promise<Access> {
  if (!user) return "none";
  const [viewer, student] = await Promise.all([
    groupAccess(user, groupId),
    db.membership.findUnique({ where: { groupId_userId: { groupId, userId: studentId } }, select: { role: true } }),
  ]);
  if (student?.role !== "STUDENT") return "none";
  if (viewer === "manage") return "read";
  return viewer === "read" && user.id === studentId ? "read" : "none";
}

function isLive(assignment: { opensAt: Date; withdrawnAt: Date | null }) {
  return !assignment.withdrawnAt && assignment.opensAt <= new Date();
}

/**
 * The signed-in user with at least `need` on a resource, or a thrown Response: a redirect to log in for
 * anonymous visitors, 404 for those who may not know it exists, 403 for those who see it but lack the right.
 */
async function requireAccess(
  request: Request,
  need: Access,
  decide: (user: SessionUser) => Promise<Access>,
  what: string,
): Promise<{ user: SessionUser; access: Access }> {
  const user = await requireUser(request);
  const access = await decide(user);
  if (access === "none") throw new Response(`${what} not found.`, { status: 404 });
  if (!atLeast(access, need)) throw new Response(`You do not have permission to do this in this ${what.toLowerCase()}.`, { status: 403 });
  return { user, access };
}

export const requireGroupAccess = (request: Request, groupId: string, need: Access) =>
  requireAccess(request, need, (user) => groupAccess(user, groupId), "Group");

export const requireChallengeAccess = (request: Request, challengeId: string, need: Access) =>
  requireAccess(request, need, (user) => challengeAccess(user, challengeId), "Challenge");

export const requireAssignmentAccess = (request: Request, assignmentId: string, need: Access) =>
  requireAccess(request, need, (user) => assignmentAccess(user, assignmentId), "Assignment");

export const requireStudentResultsAccess = (request: Request, groupId: string, studentId: string) =>
  requireAccess(request, "read", (user) => studentResultsAccess(user, groupId, studentId), "Student");

export const requireRoomAccess = (request: Request, roomId: string, need: Access) =>
  requireAccess(request, need, (user) => roomAccess(user, roomId), "Room");

export type ChatChannel =
  | { kind: "group"; groupId: string }
  | { kind: "room"; roomId: string }
  | { kind: "dm"; groupId: string; userIds: [string, string] };

/**
 * Chat: a group's channel is its members' (teachers "manage": they pin and delete anything); a room's
 * channel is the room's (its members write, the group's teachers manage); a direct channel joins one
 * student and one teacher of a group, and only those two see it (each "write": they delete their own).
 */
export async function chatChannelAccess(user: SessionUser | null, channel: ChatChannel): Promise<Access> {
  if (!user) return "none";
  if (channel.kind === "group") {
    const access = await groupAccess(user, channel.groupId);
    return access === "read" ? "write" : access;
  }
  if (channel.kind === "room") return roomAccess(user, channel.roomId);
  if (!channel.userIds.includes(user.id)) return "none";
  const members = await db.membership.findMany({ where: { groupId: channel.groupId, userId: { in: channel.userIds } }, select: { role: true } });
  const roles = members.map((m) => m.role).sort();
  return roles.length === 2 && roles[0] === "STUDENT" && roles[1] === "TEACHER" ? "write" : "none";
}

/**
 * Live topics follow the pages they belong to: a room's events reach those who see the room (its
 * members and the group's teachers), an assignment's events reach the group's teachers (the live view).
 */
export async function canFollowTopic(visitor: Visitor, topic: string): Promise<boolean> {
  if (visitor.kind !== "user") return false;
  const [kind, id, a, b] = topic.split(":");
  if (kind === "room") return atLeast(await roomAccess(visitor.user, id), "read");
  if (kind === "assignment") return atLeast(await assignmentAccess(visitor.user, id), "manage");
  if (kind === "group") return atLeast(await groupAccess(visitor.user, id), "read");
  if (kind === "dm" && a && b) return atLeast(await chatChannelAccess(visitor.user, { kind: "dm", groupId: id, userIds: [a, b] }), "write");
  return false;
}
