// Submitting from a room: two students in one room, one submits, both (and the teacher's live view) see the
// result arrive; no response the room page or the submission produces carries a hidden test.
import pg from "pg";
import type { Page, Response } from "playwright-core";
import { describe, expect, it } from "vitest";
import { editorText, logIn, newContext, useServerAndBrowser, openTeamRoom } from "./support.ts";

const env = useServerAndBrowser({ seed: true });

const SOLUTION = 'text = input().strip()\nborder = "*" * (len(text) + 4)\nprint(border)\nprint("* " + text + " *")\nprint(border)\n';

/** Lines of the hidden tests' inputs and outputs that appear nowhere in the prompt or the visible tests. */
async function hiddenSecrets(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT t.visible, t.stdin, t."expectedStdout", c.prompt FROM "ChallengeTest" t JOIN "Challenge" c ON c.id = t."challengeId" WHERE c.title = 'Frame a line of text'`,
    );
    const publicText = [rows[0].prompt, ...rows.filter((r) => r.visible).flatMap((r) => [r.stdin, r.expectedStdout])].join("\n");
    const lines = rows.filter((r) => !r.visible).flatMap((r) => `${r.stdin}\n${r.expectedStdout}`.split("\n"));
    return [...new Set(lines.filter((l) => l.trim().length > 1 && !publicText.includes(l)))];
  } finally {
    await client.end();
  }
}

describe("grading from the room", () => {
  it("one student submits, both see the result arrive live, the teacher's live view too, and no hidden test reaches the browser", async () => {
    const secrets = await hiddenSecrets(env.server.databaseUrl);
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    const ada = await (await newContext(env.browser, env.server.url)).newPage();
    const alan = await (await newContext(env.browser, env.server.url)).newPage();
    const teacher = await (await newContext(env.browser, env.server.url)).newPage();
    const bodies: string[] = [];
    const keep = (response: Response) => void response.text().then((body) => bodies.push(body), () => {});
    ada.on("response", keep);
    alan.on("response", keep);

    await logIn(ada, "ada@example.com", "chalkroom-demo");
    await logIn(alan, "alan@example.com", "chalkroom-demo");
    await logIn(teacher, "teacher@example.com", "chalkroom-demo");
    await openTeamRoom(ada);
    await openTeamRoom(alan);
    await teacher.goto(`/assignments/${await assignmentIdOf(ada)}/live`);
    const tile = teacher.getByRole("list", { name: "Rooms" }).getByRole("listitem").filter({ hasText: "Team 1" }).first();
    await tile.getByTestId("latest-submission").getByText("Nothing submitted yet").waitFor();

    await ada.locator("[data-testid=code-editor] .view-lines").click();
    await ada.keyboard.press("Control+A");
    await ada.keyboard.press("Delete");
    await ada.keyboard.insertText(SOLUTION);
    await expect.poll(() => editorText(alan), { timeout: 15_000 }).toBe(SOLUTION);

    await ada.getByRole("button", { name: "Submit for grading" }).click();
    for (const page of [ada, alan]) {
      await expect.poll(() => page.getByTestId("submissions").innerText(), { timeout: 30_000 }).toContain("8 / 8");
      expect(await page.getByTestId("submissions").innerText()).toContain("by Ada Student");
    }
    await expect.poll(() => tile.getByTestId("latest-submission").innerText(), { timeout: 15_000 }).toContain("8 / 8");
    // Hidden tests are listed by verdict only.
    expect(await alan.getByTestId("submission-results").innerText()).toMatch(/Test 3 \(hidden\)/);

    await ada.reload();
    await ada.getByTestId("submissions").getByText("8 / 8").waitFor();
    for (const secret of secrets) {
      const escaped = JSON.stringify(secret).slice(1, -1);
      expect(bodies.filter((b) => b.includes(secret) || b.includes(escaped)), `hidden "${secret}" was sent to the browser`).toEqual([]);
    }
    expect(bodies.length).toBeGreaterThan(5);
  });
});

async function assignmentIdOf(page: Page): Promise<string> {
  const roomId = new URL(page.url()).pathname.split("/").pop()!;
  const client = new pg.Client({ connectionString: env.server.databaseUrl });
  await client.connect();
  try {
    return (await client.query(`SELECT "assignmentId" FROM "Room" WHERE id = $1`, [roomId])).rows[0].assignmentId;
  } finally {
    await client.end();
  }
}
