// Anyone can sign up as a teacher, so public challenges share their task, never their answers.
import { describe, expect, it } from "vitest";
import { createSearch } from "../server/search/index.ts";
import { loadConfig } from "~/utils/config.server.ts";
import { db } from "~/utils/db.server.ts";
import { loader } from "~/routes/challenges.$challengeId._index.tsx";
import { makeAssignment, makeChallenge, makeGroup, makeUser, requestAs } from "./fixtures.ts";

async function pageAs(user: Awaited<ReturnType<typeof makeUser>>, challengeId: string) {
  const search = await createSearch(loadConfig(), db);
  try {
    const request = await requestAs(user, `/challenges/${challengeId}`);
    return JSON.stringify(await loader({ request, params: { challengeId }, context: { clientIp: "127.0.0.1", search, collab: {} as never, grading: {} as never, live: {} as never, voice: null } }));
  } finally {
    await search.close();
  }
}

describe("challenge answers", () => {
  it("a teacher who neither wrote nor teaches a public challenge sees no hidden test and no reference solution", async () => {
    const author = await makeUser("TEACHER");
    const stranger = await makeUser("TEACHER");
    const { id } = await makeChallenge(author, { visibility: "public" });
    const page = await pageAs(stranger, id);
    expect(page).toContain("add(1, 2)");
    expect(page).not.toContain("add(-5, 5)");
    expect(page).not.toContain("return a + b");
    expect(page).toContain('"hiddenTestCount":1');
    const own = await pageAs(author, id);
    expect(own).toContain("add(-5, 5)");
    expect(own).toContain("return a + b");
  });

  it("a co-teacher of a group the challenge is assigned to sees everything", async () => {
    const author = await makeUser("TEACHER");
    const coTeacher = await makeUser("TEACHER");
    const { id } = await makeChallenge(author);
    const group = await makeGroup(author);
    await db.membership.create({ data: { groupId: group.id, userId: coTeacher.id, role: "TEACHER" } });
    await makeAssignment(author, group.id, id);
    expect(await pageAs(coTeacher, id)).toContain("add(-5, 5)");
  });
});

describe("malformed requests", () => {
  it("an action posted as JSON gets 400, not a crash", async () => {
    const teacher = await makeUser("TEACHER");
    const { action } = await import("~/routes/groups.new.tsx");
    const request = await requestAs(teacher, "/groups/new", { method: "POST" });
    const json = new Request(request.url, { method: "POST", headers: { Cookie: request.headers.get("Cookie")!, "Content-Type": "application/json" }, body: "{" });
    await expect(action({ request: json, params: {}, context: { clientIp: "127.0.0.1" } as never })).rejects.toMatchObject({ status: 400 });
  });
});
