// Catalog search in the browser: a misspelled query still finds the challenge, a difficulty filter narrows
// it, and a result is assigned to a group from the results list.
import { describe, expect, it } from "vitest";
import { logIn, newContext, useServerAndBrowser } from "./support.ts";

const env = useServerAndBrowser({ seed: true });

describe("catalog search", () => {
  it("a teacher types a misspelled query, filters by difficulty and assigns a result to a group", async () => {
    const page = await (await newContext(env.browser, env.server.url)).newPage();
    await logIn(page, "teacher@example.com", "chalkroom-demo");
    await page.getByRole("link", { name: "Catalog" }).click();
    await page.getByRole("heading", { name: "Challenge catalog" }).waitFor();

    // "/" focuses the search box; typing a misspelling finds recursion challenges, with the match highlighted.
    await page.locator("body").press("/");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("catalog-q");
    // Pause mid-word past the debounce: the search runs, and the box keeps focus and what was typed.
    await page.keyboard.type("recur", { delay: 30 });
    await page.waitForURL(/q=recur(&|$)/);
    await page.keyboard.type("soin", { delay: 30 });
    await page.waitForURL(/q=recursoin/);
    expect(await page.locator("#catalog-q").inputValue()).toBe("recursoin");
    const results = page.getByRole("list", { name: "Search results" });
    await expect.poll(() => results.getByRole("listitem").count()).toBeGreaterThan(0);
    const marks = await results.locator("mark").allInnerTexts();
    expect(marks.map((m) => m.toLowerCase())).toContain("recursion");

    // Facet counts are shown; filtering by one difficulty keeps only that difficulty.
    const filters = page.getByRole("complementary", { name: "Filters" });
    const difficulties = await filters.getByRole("group", { name: "Difficulty" }).getByRole("checkbox").evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value));
    expect(difficulties.length).toBeGreaterThan(1);
    const chosen = difficulties.includes("medium") ? "medium" : difficulties[0];
    await filters.getByRole("checkbox", { name: new RegExp(`^${chosen}`) }).check();
    await page.waitForURL(new RegExp(`difficulty=${chosen}`));
    await expect.poll(async () => {
      const badges = await results.getByRole("listitem").locator("p span.rounded-full").first().allInnerTexts();
      return badges.every((b) => b === chosen);
    }).toBe(true);
    const title = (await results.getByRole("link").first().innerText()).trim();

    // Keyboard: arrow down from the search box reaches the first result.
    await page.locator("#catalog-q").focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(title);

    // Assign the first result to a group straight from the list.
    await results.getByRole("button", { name: `Assign ${title} to a group` }).click();
    await page.getByRole("menuitem", { name: "Python 101 · Thursday" }).click();
    await page.getByRole("heading", { name: "Assign a challenge" }).waitFor();
    const selected = await page.getByLabel("Challenge", { exact: true }).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0].textContent);
    expect(selected).toContain(title);
    await page.getByRole("button", { name: "Assign" }).click();
    await page.waitForURL(/\/assignments\/[^/]+$/);
    await page.getByRole("heading", { name: title }).waitFor();
  });

  it("says so when nothing matches, and finds nothing from another teacher's private challenges", async () => {
    const page = await (await newContext(env.browser, env.server.url)).newPage();
    await logIn(page, "teacher@example.com", "chalkroom-demo");
    await page.goto("/catalog?q=xylophonic");
    await page.getByText("No challenges match “xylophonic”").waitFor();
    const response = await page.request.get("/api/search?q=initials");
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(body.total).toBeGreaterThan(0);
    expect(body.hits[0].title).toBe("Initials with dots");
  });
});
