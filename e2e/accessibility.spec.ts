// axe on the pages teachers and students see first: no serious or critical violations, light and dark.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { logIn, newContext, useServerAndBrowser } from "./support.ts";

const env = useServerAndBrowser({ seed: true });

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

describe.each(["light", "dark"] as const)("accessibility in %s mode", (colorScheme) => {
  it("login, dashboard, group, challenge, catalog, room (code and whiteboard tabs) and playground pages have no serious or critical violations", async () => {
    const context = await newContext(env.browser, env.server.url);
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme });
    // The playground, as a visitor without an account, with its console asking the program's input.
    await page.goto("/playground");
    await page.locator("[data-testid=code-editor] .view-lines").waitFor();
    expect(await seriousViolations(page), "playground").toEqual([]);
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await page.getByRole("textbox", { name: /^Input for/ }).waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page), "playground console asking for input").toEqual([]);

    await page.goto("/login");
    expect(await seriousViolations(page), "login").toEqual([]);

    await logIn(page, "teacher@example.com", "chalkroom-demo");
    expect(await seriousViolations(page), "teacher dashboard").toEqual([]);

    await page.getByRole("navigation", { name: "Groups" }).getByRole("link", { name: "Python 101 · Monday" }).click();
    await page.getByTestId("join-code").waitFor();
    expect(await seriousViolations(page), "group").toEqual([]);

    await page.goto("/challenges");
    expect(await seriousViolations(page), "challenge list").toEqual([]);
    await page.getByRole("link", { name: "Initials with dots" }).click();
    await page.getByRole("heading", { name: "Initials with dots" }).waitFor();
    expect(await seriousViolations(page), "challenge").toEqual([]);

    await page.goto("/challenges/new");
    expect(await seriousViolations(page), "challenge form").toEqual([]);

    await page.goto("/catalog?q=recursoin");
    await page.getByRole("list", { name: "Search results" }).waitFor();
    expect(await seriousViolations(page), "catalog").toEqual([]);

    const student = await (await newContext(env.browser, env.server.url)).newPage();
    await student.emulateMedia({ colorScheme });
    await logIn(student, "ada@example.com", "chalkroom-demo");
    expect(await seriousViolations(student), "student dashboard").toEqual([]);
    await student.getByRole("link", { name: "Open room" }).first().click();
    await student.waitForURL(/\/rooms\//);
    await student.locator("[data-testid=code-editor] .view-lines").waitFor();
    expect(await seriousViolations(student), "room").toEqual([]);
    await student.getByRole("tab", { name: "Whiteboard" }).click();
    await student.locator("[data-testid=whiteboard] .tl-canvas").waitFor({ timeout: 30_000 });
    expect(await seriousViolations(student), "room whiteboard").toEqual([]);
  });
});
