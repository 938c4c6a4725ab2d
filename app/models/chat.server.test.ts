// Chat rules against a real database: who reads and writes which channel, limits, edit/delete/pin rules,
// pagination, unread counts, safe rendering; and the live socket refusing topics a user may not follow.
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createLiveHub } from "../../server/live/hub.ts";
import { attachLiveSocket } from "../../server/live/socket.ts";
import { canFollowTopic } from "~/models/access.server.ts";
import { db } from "~/utils/db.server.ts";
import { startSession } from "~/utils/session.server.ts";
import { visitorFromCookieHeader } from "~/utils/visitor.server.ts";
import { joinAs, makeAssignment, makeChallenge, makeGroup, makeUser } from "../../tests/fixtures.ts";
import { channelKey, deleteMessage, directChannel, editMessage, listChannels, listMessages, markRead, MESSAGES_PER_10_SECONDS, pinMessage, postMessage, PAGE_SIZE } from "./chat.server.ts";

async function classroom() {
  const teacher = await makeUser("TEACHER", "Teacher");
  const [ada, alan, outsider] = [await makeUser("STUDENT", "Ada"), await makeUser("STUDENT", "Alan"), await makeUser("STUDENT", "Outsider")];
  const group = await makeGroup(teacher);
  await joinAs(ada, group);
  await joinAs(alan, group);
  await joinAs(outsider, await makeGroup(await makeUser("TEACHER")));
  const challenge = await makeChallenge(teacher);
  const assignment = await makeAssignment(teacher, group.id, challenge.id);
  const adaRoom = (await db.room.findFirstOrThrow({ where: { assignmentId: assignment.id, members: { some: { userId: ada.id } } } })).id;
  return { teacher, ada, alan, outsider, groupId: group.id, adaRoom };
}

const ok = <T,>(outcome: { ok: true; value: T } | { ok: false; message: string }) => {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
};

describe("chat", () => {
  it("keeps channels to their people: the group's to its members, a room's to the room and the teachers, a direct channel to its two people", async () => {
    const { teacher, ada, alan, outsider, groupId, adaRoom } = await classroom();
    const group = { kind: "group" as const, groupId };
    ok(await postMessage(ada, group, "hello everyone"));
    expect(await listMessages(outsider, group)).toMatchObject({ ok: false, status: 404 });
    expect(await postMessage(outsider, group, "let me in")).toMatchObject({ ok: false, status: 404 });

    const room = { kind: "room" as const, roomId: adaRoom };
    ok(await postMessage(ada, room, "note to self"));
    expect(ok(await listMessages(teacher, room)).messages.map((m) => m.body)).toEqual(["note to self"]);
    expect(await listMessages(alan, room)).toMatchObject({ ok: false, status: 404 }); // not Alan's room

    const adaAndTeacher = directChannel(groupId, ada.id, teacher.id);
    ok(await postMessage(ada, adaAndTeacher, "I am stuck on part 2"));
    expect(ok(await listMessages(teacher, adaAndTeacher)).messages[0]).toMatchObject({ body: "I am stuck on part 2", author: { name: "Ada" } });
    expect(await listMessages(alan, adaAndTeacher)).toMatchObject({ ok: false, status: 404 });
    expect(await postMessage(ada, directChannel(groupId, ada.id, alan.id), "students cannot DM each other")).toMatchObject({ ok: false, status: 404 });

    // Channel lists: a student has the room, the group and each teacher; a teacher has each student.
    expect((await listChannels(ada, groupId, adaRoom)).map((c) => c.label)).toEqual(["This room", "Whole group", "Teacher"]);
    expect((await listChannels(teacher, groupId)).map((c) => c.label)).toEqual(["Whole group", "Ada", "Alan"]);
  });

  it("limits length and rate with clear messages, and renders Markdown-lite without scripts", async () => {
    const { ada, groupId } = await classroom();
    const group = { kind: "group" as const, groupId };
    expect(await postMessage(ada, group, "x".repeat(2001))).toMatchObject({ ok: false, status: 400, message: "Keep messages under 2000 characters." });
    expect(await postMessage(ada, group, "   ")).toMatchObject({ ok: false, status: 400, message: "Write something first." });
    const rendered = ok(await postMessage(ada, group, "**bold** `code` <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"));
    expect(rendered.html).toContain("<strong>bold</strong>");
    expect(rendered.html).toContain("<code>code</code>");
    expect(rendered.html).not.toMatch(/<script|<img|onerror|javascript:/);
    const results = [];
    for (let i = 0; i < MESSAGES_PER_10_SECONDS; i++) results.push(await postMessage(ada, group, `message ${i}`));
    expect(results.at(-1)).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/too fast: wait \d+ s/) });
  });

  it("lets students edit and delete their own messages, and teachers delete any and pin one announcement", async () => {
    const { teacher, ada, alan, groupId, adaRoom } = await classroom();
    const group = { kind: "group" as const, groupId };
    const adas = ok(await postMessage(ada, group, "first draft"));
    expect(await editMessage(alan, adas.id, "hijacked")).toMatchObject({ ok: false, status: 403 });
    expect(await deleteMessage(alan, adas.id)).toMatchObject({ ok: false, status: 403 });
    expect(ok(await editMessage(ada, adas.id, "second draft"))).toMatchObject({ body: "second draft", editedAt: expect.any(String) });
    expect(await editMessage(teacher, adas.id, "teachers do not rewrite students")).toMatchObject({ ok: false, status: 403 });

    const inRoom = ok(await postMessage(ada, { kind: "room", roomId: adaRoom }, "oops"));
    expect(ok(await deleteMessage(teacher, inRoom.id))).toMatchObject({ deleted: true, body: "", html: "" });
    expect(ok(await deleteMessage(ada, adas.id)).deleted).toBe(true);

    const one = ok(await postMessage(teacher, group, "Quiz on Friday"));
    const two = ok(await postMessage(teacher, group, "Bring a laptop"));
    expect(await pinMessage(ada, one.id, true)).toMatchObject({ ok: false, status: 403 });
    ok(await pinMessage(teacher, one.id, true));
    const changed = ok(await pinMessage(teacher, two.id, true));
    expect(changed.map((m) => [m.body, m.pinned]).sort()).toEqual([["Bring a laptop", true], ["Quiz on Friday", false]]);
    expect(ok(await listMessages(alan, group)).pinned?.body).toBe("Bring a laptop");
    expect(await pinMessage(teacher, inRoom.id, true)).toMatchObject({ ok: false });
  });

  it("pages history from the newest backwards and counts unread messages until read", async () => {
    const { teacher, ada, groupId } = await classroom();
    const channel = directChannel(groupId, ada.id, teacher.id);
    for (let i = 0; i < PAGE_SIZE + 5; i++) {
      await db.chatMessage.create({ data: { groupId, channel: "DIRECT", authorId: teacher.id, recipientId: ada.id, body: `m${i}`, createdAt: new Date(Date.now() - (100 - i) * 1000) } });
    }
    const newest = ok(await listMessages(ada, channel));
    expect(newest.more).toBe(true);
    expect(newest.messages.map((m) => m.body)).toEqual(Array.from({ length: PAGE_SIZE }, (_, i) => `m${i + 5}`));
    const older = ok(await listMessages(ada, channel, newest.messages[0].id));
    expect(older).toMatchObject({ more: false });
    expect(older.messages.map((m) => m.body)).toEqual(["m0", "m1", "m2", "m3", "m4"]);

    const unread = async () => (await listChannels(ada, groupId)).find((c) => c.key === channelKey(channel))?.unread;
    expect(await unread()).toBe(PAGE_SIZE + 5);
    ok(await markRead(ada, channel));
    expect(await unread()).toBe(0);
    ok(await postMessage(teacher, channel, "one more"));
    expect(await unread()).toBe(1);
  });

  it("counts a teacher's unread direct messages per student, not their own, each until that channel is read", async () => {
    const { teacher, ada, alan, groupId } = await classroom();
    const withAda = directChannel(groupId, ada.id, teacher.id);
    const withAlan = directChannel(groupId, alan.id, teacher.id);
    ok(await postMessage(ada, withAda, "question 1"));
    ok(await postMessage(ada, withAda, "question 2"));
    ok(await postMessage(alan, withAlan, "hello"));
    ok(await postMessage(teacher, withAlan, "hi Alan")); // the teacher's own message is never unread for them
    const unread = async () => Object.fromEntries((await listChannels(teacher, groupId)).map((c) => [c.label, c.unread]));
    expect(await unread()).toEqual({ "Whole group": 0, Ada: 2, Alan: 1 });
    ok(await markRead(teacher, withAda));
    expect(await unread()).toEqual({ "Whole group": 0, Ada: 0, Alan: 1 });
    ok(await postMessage(ada, withAda, "question 3"));
    ok(await postMessage(ada, { kind: "group", groupId }, "to everyone"));
    expect(await unread()).toEqual({ "Whole group": 1, Ada: 1, Alan: 1 });
  });

  it("the live socket follows only topics the user may see", async () => {
    const { ada, groupId, outsider } = await classroom();
    const hub = await createLiveHub(undefined);
    const http = createServer();
    const socket = attachLiveSocket(http, { hub, authenticate: visitorFromCookieHeader, canFollow: canFollowTopic });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const port = (http.address() as { port: number }).port;
    const cookie = (await startSession(outsider.id)).split(";")[0];
    const ws = new WebSocket(`ws://127.0.0.1:${port}/live`, { headers: { cookie } });
    await new Promise((r) => ws.once("open", r));
    const reply = new Promise<{ topics: string[]; refused: string[] }>((r) => ws.once("message", (d) => r(JSON.parse(d.toString()))));
    ws.send(JSON.stringify({ type: "follow", topics: [`group:${groupId}`, channelKey(directChannel(groupId, ada.id, outsider.id))] }));
    expect(await reply).toMatchObject({ topics: [], refused: [`group:${groupId}`, expect.stringMatching(/^dm:/)] });
    const anonymous = new WebSocket(`ws://127.0.0.1:${port}/live`);
    expect(await new Promise((r) => anonymous.once("close", (code) => r(code)))).toBe(4401);
    ws.close();
    await socket.close();
    await hub.close();
    await new Promise((r) => http.close(r));
  });
});
