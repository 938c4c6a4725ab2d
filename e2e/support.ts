import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { cloneTemplateDatabase } from "../scripts/services/test-database.ts";
import { freePort } from "../scripts/services/ports.ts";
import { SERVER_NODE_FLAGS } from "../scripts/bootstrap.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface TestServer {
  url: string;
  port: number;
  databaseUrl: string;
  /** Graceful stop (SIGTERM): the server flushes and exits. */
  stop(): Promise<void>;
  /** A crash (SIGKILL): nothing is flushed. */
  kill(): Promise<void>;
}

export interface TestServerOptions {
  seed?: boolean;
  /** Another server's database, to run a second instance (or a restart) on the same data. */
  databaseUrl?: string;
  port?: number;
  env?: Record<string, string>;
}

function runToEnd(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
    child.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`${args.join(" ")} exited ${code}`))));
  });
}

/** The production build on 127.0.0.1 and a free port, with its own database (optionally with the demo seed). */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const adminUrl = process.env.TEST_PG_URL;
  if (!adminUrl) throw new Error("TEST_PG_URL is not set: run with `npm test`");
  const databaseUrl = options.databaseUrl ?? (await cloneTemplateDatabase(adminUrl, process.env.TEST_PG_TEMPLATE ?? "chalkroom_template"));
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, PORT: String(port), HOST: "127.0.0.1", SESSION_SECRET: "e2e-session-secret-0123456789", ...options.env };
  if (options.seed) await runToEnd(["--import", "tsx", "seed/index.ts"], env);
  const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, "--import", "tsx", "server/index.ts"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("server did not start within 30 s");
    await new Promise((r) => setTimeout(r, 150));
  }
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill(name);
    await exited;
  };
  return { url, port, databaseUrl, stop: () => signal("SIGTERM"), kill: () => signal("SIGKILL") };
}

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** A browser context that fails the test on any uncaught page error. */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 720 } });
  context.on("weberror", (e) => {
    throw e.error();
  });
  return context;
}

export async function signUp(page: Page, user: { name: string; email: string; role?: "Teacher" | "Student"; password?: string }, start = "/signup") {
  await page.goto(start);
  if (user.role) await page.getByLabel(user.role, { exact: true }).check();
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password ?? "a good long password");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signup"));
}

export async function logIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL("**/dashboard");
}

export async function expectFieldError(page: Page, text: string | RegExp) {
  await expect.poll(async () => page.locator("[data-field-error], [role=alert]").allInnerTexts(), { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringMatching(text)]));
}

/** A spec's server and browser: started before its tests, stopped after. Read the fields inside tests. */
export function useServerAndBrowser(options: { seed?: boolean } = {}): { server: TestServer; browser: Browser } {
  const env = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    env.server = await startTestServer(options);
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** What a page's Monaco editor shows, with Monaco's non-breaking spaces made plain. */
export async function editorText(page: Page): Promise<string> {
  const lines = await page.locator("[data-testid=code-editor] .view-lines .view-line").evaluateAll((els) =>
    els.map((el) => ({ top: parseFloat((el as HTMLElement).style.top) || 0, text: el.textContent ?? "" })),
  );
  return lines.sort((a, b) => a.top - b.top).map((l) => l.text.replace(/\u00a0/g, " ")).join("\n");
}

/**
 * Opens the demo's "Frame a line of text" team room (Ada and Alan's) from the dashboard, connected, editor
 * ready; `query` (such as "?readonly=1") is added to the room's address.
 */
export async function openTeamRoom(page: Page, query = "") {
  await page.goto("/dashboard");
  await page.getByRole("listitem").filter({ hasText: "Frame a line of text" }).getByRole("link", { name: "Open room" }).click();
  await page.waitForURL(/\/rooms\/[^/?]+$/);
  if (query) await page.goto(page.url() + query);
  await page.getByTestId("connection-status").getByText("connected", { exact: true }).waitFor();
  await page.locator("[data-testid=code-editor] .view-lines").waitFor();
}
