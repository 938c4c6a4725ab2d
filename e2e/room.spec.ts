// Two students edit one room: each sees the other's text and labelled cursor, a reload keeps the text,
// and a teacher watching read-only sees it live but cannot change it.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { editorText, logIn, newContext, useServerAndBrowser, openTeamRoom } from "./support.ts";

const env = useServerAndBrowser({ seed: true });

async function typeAtTop(page: Page, text: string) {
  await page.locator("[data-testid=code-editor] .view-lines").click();
  await page.keyboard.press("Control+Home");
  await page.keyboard.type(text, { delay: 20 });
}

describe("live room", () => {
  it("two students see each other's text and labelled cursor; reload keeps it; a read-only watcher cannot change it", async () => {
    const ada = await (await newContext(env.browser, env.server.url)).newPage();
    const alan = await (await newContext(env.browser, env.server.url)).newPage();
    await logIn(ada, "ada@example.com", "chalkroom-demo");
    await logIn(alan, "alan@example.com", "chalkroom-demo");
    await openTeamRoom(ada);
    await openTeamRoom(alan);
    expect(ada.url()).toBe(alan.url()); // teams of two: Ada and Alan share a room
    // This server runs without LiveKit: the voice bar says so and how to turn it on; the room works regardless.
    await expect.poll(() => ada.getByTestId("voice-not-configured").innerText()).toContain("LIVEKIT_URL");

    await typeAtTop(ada, "# Ada was here\n");
    await expect.poll(() => editorText(alan)).toContain("# Ada was here");
    await typeAtTop(alan, "# Alan too\n");
    await expect.poll(() => editorText(ada)).toContain("# Alan too");

    // Each sees the other in the room, typing, and the other's cursor labelled with their name.
    await expect.poll(() => ada.getByTestId("presence").innerText()).toContain("Alan Student");
    await ada.waitForTimeout(1_600); // Ada's own typing indicator has expired
    await typeAtTop(alan, "#");
    await expect.poll(() => ada.getByTestId("presence").getByRole("listitem").filter({ hasText: "Alan Student" }).innerText()).toContain("typing…");
    expect(await ada.getByTestId("presence").getByRole("listitem").filter({ hasText: "Ada Student (you)" }).innerText()).not.toContain("typing…");
    await expect.poll(() => ada.locator("[class*=yRemoteSelectionHead-]").count()).toBeGreaterThan(0);
    const labels = await ada.locator("style").allInnerTexts();
    expect(labels.join("\n")).toContain('content:"Alan Student"');

    // A reload keeps the text.
    const before = await editorText(ada);
    await ada.reload();
    await ada.getByTestId("connection-status").getByText("connected", { exact: true }).waitFor();
    await expect.poll(() => editorText(ada)).toBe(before);

    // The teacher watches read-only: sees new text live, and their typing changes nothing.
    const teacher = await (await newContext(env.browser, env.server.url)).newPage();
    await logIn(teacher, "teacher@example.com", "chalkroom-demo");
    await teacher.goto(`${ada.url()}?readonly=1`);
    await teacher.getByTestId("connection-status").getByText("read only").waitFor();
    await expect.poll(() => editorText(teacher)).toContain("# Alan too");
    await typeAtTop(teacher, "# teacher scribble\n");
    await typeAtTop(alan, "# live for the teacher\n");
    await expect.poll(() => editorText(teacher)).toContain("# live for the teacher");
    expect(await editorText(teacher)).not.toContain("teacher scribble");
    expect(await editorText(alan)).not.toContain("teacher scribble");

    // History: save a version, make a mistake, preview the version read-only and restore it for both.
    await ada.getByRole("button", { name: "Save a version" }).click();
    await ada.getByTestId("history").getByRole("listitem").filter({ hasText: "saved by hand by Ada Student" }).waitFor();
    const saved = await editorText(ada);
    await typeAtTop(alan, "# a mistake\n");
    await expect.poll(() => editorText(ada)).toContain("# a mistake");
    await ada.getByTestId("history").getByRole("listitem").filter({ hasText: "saved by hand" }).first().getByRole("button", { name: /Preview/ }).click();
    await expect.poll(() => ada.getByTestId("version-preview").innerText().catch(() => "")).toContain("# live for the teacher");
    expect(await ada.getByTestId("version-preview").innerText()).not.toContain("# a mistake");
    await ada.getByRole("button", { name: "Restore this version" }).click();
    await expect.poll(() => editorText(alan)).toBe(saved);
    await expect.poll(() => editorText(ada)).toBe(saved);
    await expect.poll(() => editorText(teacher)).toBe(saved);
    await ada.getByTestId("history").getByRole("listitem").filter({ hasText: "restored an earlier version by Ada Student" }).waitFor();

    // The server's metrics see the three open connections and the dropped read-only edits.
    const metrics = await (await teacher.request.get("/metrics")).text();
    expect(metrics).toMatch(/^chalkroom_collab_connections 3$/m);
    expect(metrics).toMatch(/^chalkroom_collab_updates_dropped_total [1-9]\d*$/m);

    // The teacher's live view: a tile per room, updating as students type, with who is there.
    await teacher.goto("/dashboard");
    await teacher.getByRole("navigation", { name: "Groups" }).getByRole("link", { name: "Python 101 · Monday" }).click();
    await teacher.getByRole("link", { name: "Frame a line of text" }).click();
    await teacher.getByRole("link", { name: "Live view" }).click();
    const tile = teacher.getByRole("list", { name: "Rooms" }).getByRole("listitem").filter({ hasText: "Team 1" }).first();
    await expect.poll(() => tile.getByTestId("live-code").innerText()).toContain("# Ada was here");
    await expect.poll(() => tile.getByRole("list", { name: "Here now" }).innerText()).toContain("Alan Student");
    await typeAtTop(alan, "# watched live\n");
    await expect.poll(() => tile.getByTestId("live-code").innerText()).toContain("# watched live");
    expect(await teacher.getByRole("list", { name: "Rooms" }).getByRole("listitem").count()).toBeGreaterThanOrEqual(2);
  });

  it("share links: a guest with a watch link sees the code live but cannot change it; an edit link edits; revoking cuts them off", async () => {
    const ada = await (await newContext(env.browser, env.server.url)).newPage();
    await logIn(ada, "ada@example.com", "chalkroom-demo");
    await openTeamRoom(ada);
    await ada.getByLabel("People can").selectOption("READ");
    await ada.getByRole("button", { name: "Create a link" }).click();
    const watchLink = await ada.getByLabel("Link that lets people watch").inputValue();
    await ada.getByLabel("People can").selectOption("EDIT");
    await ada.getByLabel("Expires").selectOption("1h");
    await ada.getByRole("button", { name: "Create a link" }).click();
    const editLink = await ada.getByLabel("Link that lets people edit").inputValue();
    expect(watchLink).toMatch(/\/share\/[A-Za-z0-9_-]{32}$/);

    // A visitor without an account chooses a name, then watches.
    const guest = await (await newContext(env.browser, env.server.url)).newPage();
    await guest.goto(watchLink);
    await guest.getByLabel("Your name").fill("Grace Guest");
    await guest.getByRole("button", { name: "Join the room" }).click();
    await guest.getByTestId("connection-status").getByText("read only").waitFor();
    await guest.getByTestId("connection-status").getByText("connected", { exact: true }).waitFor();
    await typeAtTop(ada, "# shared live\n");
    await expect.poll(() => editorText(guest)).toContain("# shared live");
    await typeAtTop(guest, "# guest scribble\n");
    await expect.poll(() => ada.getByTestId("presence").innerText()).toContain("Grace Guest");
    await ada.waitForTimeout(500);
    expect(await editorText(ada)).not.toContain("guest scribble");

    // Another guest edits through the edit link.
    const helper = await (await newContext(env.browser, env.server.url)).newPage();
    await helper.goto(editLink);
    await helper.getByLabel("Your name").fill("Hedy Helper");
    await helper.getByRole("button", { name: "Join the room" }).click();
    await helper.getByTestId("connection-status").getByText("connected", { exact: true }).waitFor();
    await helper.locator("[data-testid=code-editor] .view-lines").waitFor();
    await typeAtTop(helper, "# a hint from Hedy\n");
    await expect.poll(() => editorText(ada)).toContain("# a hint from Hedy");
    await expect.poll(() => editorText(guest)).toContain("# a hint from Hedy");

    // Revoking the watch link disconnects the guest at once and the link stops working.
    await ada.getByTestId("share-links").getByRole("listitem").filter({ hasText: "can watch" }).getByRole("button", { name: "Revoke" }).click();
    await guest.getByRole("alert").filter({ hasText: "This share link was revoked" }).waitFor();
    const reopened = await guest.goto(watchLink);
    expect(reopened?.status()).toBe(410);
    expect(await guest.getByText("This share link was revoked").count()).toBeGreaterThan(0);
  });
});
