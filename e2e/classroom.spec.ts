// The core story: a teacher sets up a class and an assignment; a student joins and opens their room;
// a student of another group cannot reach it.
import { describe, expect, it } from "vitest";
import { editorText, newContext, signUp, useServerAndBrowser } from "./support.ts";

const env = useServerAndBrowser();

describe("a class from scratch", () => {
  it("teacher assigns a challenge with a hidden test; a student joins by invite link and opens the room; an outsider is refused", async () => {
    const teacher = await (await newContext(env.browser, env.server.url)).newPage();
    await signUp(teacher, { name: "Ms Rivera", email: "rivera@school.test", role: "Teacher" });
    await expect.poll(() => teacher.url()).toContain("/dashboard");

    // A group with a join code.
    await teacher.getByRole("link", { name: "New group" }).first().click();
    await teacher.getByLabel("Group name").fill("Period 3");
    await teacher.getByRole("button", { name: "Create group" }).click();
    await teacher.getByTestId("join-code").waitFor();
    const groupUrl = teacher.url();
    const code = (await teacher.getByTestId("join-code").innerText()).trim();
    expect(code).toMatch(/^[A-Z0-9]{6,8}$/);
    const inviteLink = (await teacher.getByTestId("invite-link").innerText()).trim();
    expect(inviteLink).toBe(`${env.server.url}/join/${code}`);

    // A challenge with one visible and one hidden test.
    await teacher.goto("/challenges/new");
    await teacher.getByLabel("Title").fill("Shout it");
    await teacher.getByLabel("Prompt").fill("Write `shout(word)` that returns the word in **capitals** with an exclamation mark.");
    await teacher.getByLabel("Starter code").fill("def shout(word):\n    pass\n");
    await teacher.getByLabel("Reference solution (optional, never shown to students)").fill("def shout(word):\n    return word.upper() + '!'\n");
    await teacher.getByLabel("Tags").fill("strings");
    await teacher.getByLabel("Expression").fill('shout("hi")');
    await teacher.getByLabel("Expected value (JSON)").fill('"HI!"');
    await teacher.getByRole("button", { name: "Add test" }).click();
    const second = teacher.getByRole("listitem", { name: "Test 2" });
    await second.getByLabel("Shown to students").selectOption("hidden");
    await second.getByLabel("Expression").fill('shout("secret sauce")');
    await second.getByLabel("Expected value (JSON)").fill('"SECRET SAUCE!"');
    await teacher.getByRole("button", { name: "Create challenge" }).click();
    await teacher.getByRole("heading", { name: "Shout it" }).waitFor();
    await expect.poll(() => teacher.getByRole("heading", { name: "Tests (2)" }).isVisible()).toBe(true);
    expect(await teacher.getByText("· hidden").count()).toBe(1);
    expect(await teacher.locator(".prose-chalk strong").innerText()).toBe("capitals");

    // Assign it to the group, individually.
    await teacher.goto(groupUrl);
    await teacher.getByRole("link", { name: "Assign a challenge" }).first().click();
    await teacher.getByLabel("Challenge", { exact: true }).selectOption({ label: "Shout it (easy)" });
    await teacher.getByRole("button", { name: "Assign" }).click();
    await teacher.waitForURL(/\/assignments\/[^/]+$/);
    await teacher.getByRole("heading", { name: "Shout it" }).waitFor();

    // A student follows the invite link, signs up on the way and joins.
    const student = await (await newContext(env.browser, env.server.url)).newPage();
    await student.goto(`/join/${code}`);
    await student.waitForURL(/\/signup\?/);
    await signUp(student, { name: "Sam Student", email: "sam@school.test" }, student.url().replace(env.server.url, ""));
    await student.waitForURL(`**/join/${code}`);
    await student.getByRole("button", { name: "Join the group" }).click();
    await student.waitForURL(groupUrl);
    await student.goto("/dashboard");
    const row = student.getByRole("listitem").filter({ hasText: "Shout it" });
    expect(await row.getByText("not started").isVisible()).toBe(true);
    await row.getByRole("link", { name: "Open room" }).click();
    await student.waitForURL(/\/rooms\/[^/]+$/);
    const roomUrl = student.url();
    await student.getByRole("heading", { name: "Shout it" }).waitFor();
    await expect.poll(() => editorText(student)).toContain("def shout(word):");
    expect(await student.getByTestId("test-case").count()).toBe(1);
    expect(await student.getByText("Plus 1 hidden test").isVisible()).toBe(true);
    const html = await student.content();
    expect(html).not.toContain("secret sauce");
    expect(html).not.toContain("SECRET SAUCE");
    expect(html).not.toContain("return word.upper()");

    // The teacher sees the student on the roster and a room for them.
    await teacher.goto(groupUrl);
    expect(await teacher.getByRole("cell", { name: "Sam Student", exact: true }).isVisible()).toBe(true);

    // A student of another group cannot reach the room, nor the group.
    await teacher.goto("/groups/new");
    await teacher.getByLabel("Group name").fill("Period 4");
    await teacher.getByRole("button", { name: "Create group" }).click();
    await teacher.getByRole("heading", { name: "Period 4" }).waitFor();
    const otherCode = (await teacher.getByTestId("join-code").innerText()).trim();
    const outsider = await (await newContext(env.browser, env.server.url)).newPage();
    await signUp(outsider, { name: "Olive Outsider", email: "olive@school.test", role: "Student" });
    await outsider.goto("/join");
    await outsider.getByLabel("Join code").fill(otherCode.toLowerCase());
    await outsider.getByRole("button", { name: "Join" }).click();
    await outsider.getByRole("heading", { name: "Period 4" }).waitFor();
    const roomResponse = await outsider.goto(roomUrl);
    expect(roomResponse?.status()).toBe(404);
    expect(await outsider.getByRole("heading", { name: "We couldn't find that page" }).isVisible()).toBe(true);
    expect(await outsider.content()).not.toContain("Shout it");
    expect((await outsider.goto(groupUrl))?.status()).toBe(404);

    // A student of the group cannot use teacher pages.
    expect((await student.goto(`${groupUrl}/assignments/new`))?.status()).toBe(403);
    expect(await student.getByRole("heading", { name: "You don't have access to this" }).isVisible()).toBe(true);
  });
});
