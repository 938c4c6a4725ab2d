// Every form answers bad input inline, next to the field, and keeps the user on the page.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { expectFieldError, logIn, newContext, signUp, useServerAndBrowser } from "./support.ts";

const env = useServerAndBrowser({ seed: true });
let teacher: Page;

beforeAll(async () => {
  teacher = await (await newContext(env.browser, env.server.url)).newPage();
  await logIn(teacher, "teacher@example.com", "chalkroom-demo");
});

async function openGroup(page: Page) {
  await page.goto("/dashboard");
  await page.getByRole("navigation", { name: "Groups" }).getByRole("link", { name: "Python 101 · Monday" }).click();
  await page.getByTestId("join-code").waitFor();
}

describe("bad input shows inline errors", () => {
  it("sign up", async () => {
    const page = await (await newContext(env.browser, env.server.url)).newPage();
    await page.goto("/signup");
    await page.getByLabel("Email").fill("not an email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Sign up" }).click();
    await expectFieldError(page, /Enter your name/);
    await expectFieldError(page, /valid email/);
    await expectFieldError(page, /at least 8/);
    await expectFieldError(page, /teacher or student/);
    expect(new URL(page.url()).pathname).toBe("/signup");
    await page.getByLabel("Teacher", { exact: true }).check();
    await page.getByLabel("Name").fill("Dup");
    await page.getByLabel("Email").fill("teacher@example.com");
    await page.getByLabel("Password").fill("a good long password");
    await page.getByRole("button", { name: "Sign up" }).click();
    await expectFieldError(page, /already exists/);
  });

  it("new group", async () => {
    await teacher.goto("/groups/new");
    await teacher.getByRole("button", { name: "Create group" }).click();
    await expectFieldError(teacher, /at least 2 characters/);
  });

  it("join code: malformed and unknown codes", async () => {
    const page = await (await newContext(env.browser, env.server.url)).newPage();
    await logIn(page, "linus@example.com", "chalkroom-demo");
    await page.goto("/join");
    await page.getByLabel("Join code").fill("0O1");
    await page.getByRole("button", { name: "Join" }).click();
    await expectFieldError(page, /not a valid join code/);
    await page.getByLabel("Join code").fill("AAAAAAA");
    await page.getByRole("button", { name: "Join" }).click();
    await expectFieldError(page, /No group has this code/);
  });

  it("rotated and disabled codes", async () => {
    await openGroup(teacher);
    const oldCode = (await teacher.getByTestId("join-code").innerText()).trim();
    await teacher.getByRole("button", { name: "New code" }).click();
    await expect.poll(async () => (await teacher.getByTestId("join-code").innerText()).trim()).not.toBe(oldCode);
    await teacher.getByRole("button", { name: "Turn off joining" }).click();
    await teacher.getByText("turned off", { exact: true }).waitFor();
    const newCode = (await teacher.getByTestId("join-code").innerText()).trim();

    const student = await (await newContext(env.browser, env.server.url)).newPage();
    await signUp(student, { name: "Late Larry", email: "larry@example.com", role: "Student" });
    await student.goto("/join");
    await student.getByLabel("Join code").fill(oldCode);
    await student.getByRole("button", { name: "Join" }).click();
    await expectFieldError(student, /No group has this code/);
    await student.getByLabel("Join code").fill(newCode);
    await student.getByRole("button", { name: "Join" }).click();
    await expectFieldError(student, /not accepting new members/);

    await teacher.getByRole("button", { name: "Turn on joining" }).click();
    await teacher.getByText("accepting students", { exact: true }).waitFor();
    await student.getByRole("button", { name: "Join" }).click();
    await student.getByRole("heading", { name: "Python 101 · Monday" }).waitFor();
  });

  it("co-teacher by email", async () => {
    await openGroup(teacher);
    await teacher.getByLabel("Add a co-teacher by email").fill("ada@example.com");
    await teacher.getByRole("button", { name: "Add co-teacher" }).click();
    await expectFieldError(teacher, /student account/);
    await teacher.getByLabel("Add a co-teacher by email").fill("ghost@example.com");
    await teacher.getByRole("button", { name: "Add co-teacher" }).click();
    await expectFieldError(teacher, /No Chalkroom account/);
  });

  it("new challenge: missing fields and a non-JSON expected value", async () => {
    await teacher.goto("/challenges/new");
    await teacher.getByLabel("Expression").fill("add(1, 2)");
    await teacher.getByLabel("Expected value (JSON)").fill("three");
    await teacher.getByRole("button", { name: "Create challenge" }).click();
    await expectFieldError(teacher, /title of at least 3/);
    await expectFieldError(teacher, /Describe the task/);
    await expectFieldError(teacher, /must be JSON/);
    expect(new URL(teacher.url()).pathname).toBe("/challenges/new");
  });

  it("assignment: due before opening, and no challenge chosen", async () => {
    await openGroup(teacher);
    await teacher.getByRole("link", { name: "Assign a challenge" }).first().click();
    await teacher.getByRole("button", { name: "Assign" }).click();
    await expectFieldError(teacher, /Choose a challenge|Choose one of your challenges/);
    await teacher.getByLabel("Challenge", { exact: true }).selectOption({ index: 1 });
    await teacher.getByLabel("Opens at").fill("2030-05-02T09:00");
    await teacher.getByLabel("Due at (optional)").fill("2030-05-01T09:00");
    await teacher.getByRole("button", { name: "Assign" }).click();
    await expectFieldError(teacher, /due date must be after/);
  });

  it("deleting an assigned challenge is refused with a reason", async () => {
    await teacher.goto("/dashboard");
    await openGroup(teacher);
    await teacher.getByRole("link", { name: "Initials with dots" }).click();
    await teacher.getByRole("link", { name: /View challenge/ }).click();
    await teacher.getByRole("button", { name: "Delete" }).click();
    await teacher.getByRole("dialog").getByRole("button", { name: "Delete challenge" }).click();
    await teacher.getByRole("alert").filter({ hasText: "cannot be deleted" }).waitFor();
  });

  // Last: the lockout blocks every login from this address for a minute.
  it("log in: one message for a wrong password and an unknown email, then a lockout", async () => {
    const page = await (await newContext(env.browser, env.server.url)).newPage();
    const attempt = async (email: string) => {
      await page.goto("/login");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("wrong password");
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("alert").waitFor();
      return page.getByRole("alert").innerText();
    };
    const wrongPassword = await attempt("ada@example.com");
    const unknown = await attempt("nobody@example.com");
    expect(wrongPassword).toBe("Email or password is incorrect.");
    expect(unknown).toBe(wrongPassword);
    for (let i = 0; i < 3; i++) await attempt("ada@example.com");
    expect(await attempt("ada@example.com")).toMatch(/Too many failed attempts\. Try again in \d+ seconds?\./);
  });
});
