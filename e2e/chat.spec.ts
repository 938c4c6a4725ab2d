// Chat in the browser: two students in one room talk without reloading; a teacher's direct message shows
// as unread for the student until they open it; Markdown-lite renders.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { logIn, newContext, useServerAndBrowser, openTeamRoom } from "./support.ts";

const env = useServerAndBrowser({ seed: true });

async function send(page: Page, text: string) {
  await page.locator("#chat-draft").fill(text);
  await page.keyboard.press("Enter");
}

describe("chat", () => {
  it("a message in the room reaches the other student live; a teacher's direct message is unread until opened", async () => {
    const ada = await (await newContext(env.browser, env.server.url)).newPage();
    const alan = await (await newContext(env.browser, env.server.url)).newPage();
    const teacher = await (await newContext(env.browser, env.server.url)).newPage();
    await logIn(ada, "ada@example.com", "chalkroom-demo");
    await logIn(alan, "alan@example.com", "chalkroom-demo");
    await logIn(teacher, "teacher@example.com", "chalkroom-demo");
    await openTeamRoom(ada);
    await openTeamRoom(alan);
    await expect.poll(() => alan.getByRole("tablist", { name: "Chat channels" }).getByRole("tab", { selected: true }).innerText()).toContain("This room");

    await send(ada, "Shall we use a **loop**?");
    const message = alan.getByTestId("chat-message").filter({ hasText: "Shall we use a" });
    await message.waitFor({ timeout: 15_000 });
    expect(await message.locator("strong").innerText()).toBe("loop");
    await send(alan, "Yes, a `for` loop");
    await ada.getByTestId("chat-message").filter({ hasText: "Yes, a for loop" }).waitFor({ timeout: 15_000 });

    // The teacher writes to Ada directly from the group page; Ada sees it as unread, then reads it.
    await teacher.goto("/dashboard");
    await teacher.getByRole("navigation", { name: "Groups" }).getByRole("link", { name: "Python 101 · Monday" }).click();
    await teacher.getByRole("tab", { name: /Ada Student/ }).click();
    await send(teacher, "Nice work on the frame");
    const dmTab = ada.getByRole("tab", { name: /Grace Teacher/ });
    await expect.poll(() => dmTab.innerText(), { timeout: 15_000 }).toMatch(/1/);
    await dmTab.click();
    await ada.getByTestId("chat-message").filter({ hasText: "Nice work on the frame" }).waitFor();
    await expect.poll(() => dmTab.getByLabel(/unread/).count()).toBe(0);
  });
});
