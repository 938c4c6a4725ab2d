// The room's whiteboard in Chromium: two students draw and see each other's shapes and named pointers, a
// read-only teacher watches and cannot draw, a reload keeps the drawing, tldraw's fonts and icons come from
// our server (nothing leaves 127.0.0.1); and a peer writing junk into the room document cannot break it.
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { WHITEBOARD_RECORDS } from "~/utils/room-document.ts";
import { rectangle } from "../tests/whiteboard-fixtures.ts";
import { editorText, logIn, newContext, openTeamRoom, useServerAndBrowser } from "./support.ts";

const env = useServerAndBrowser({ seed: true });

async function openBoard(page: Page) {
  await page.getByRole("tab", { name: "Whiteboard" }).click();
  await page.locator("[data-testid=whiteboard] .tl-canvas").waitFor({ timeout: 30_000 });
}

const shapes = (page: Page) => page.locator("[data-testid=whiteboard] .tl-shape");

/** What the page logs as errors, and whether tldraw had to show its error screen for the board or a shape. */
function watchForErrors(page: Page) {
  const errors: string[] = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  return async () => ({ errors, errorScreens: await page.locator(".tl-error-boundary, .tl-shape-error-boundary").count() });
}

/** Drags across the board from one point to another (offsets inside the board, in CSS pixels). */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.getByTestId("whiteboard").scrollIntoViewIfNeeded(); // the mouse only reaches what is on screen
  const board = (await page.getByTestId("whiteboard").boundingBox())!;
  await page.mouse.move(board.x + from.x, board.y + from.y);
  await page.mouse.down();
  await page.mouse.move(board.x + to.x, board.y + to.y, { steps: 10 });
  await page.mouse.up();
}

async function drawRectangle(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.getByTestId("tools.rectangle").click();
  await drag(page, from, to);
}

/** Every request the context's pages make, and the responses to tldraw's asset files. */
function recordTraffic(context: BrowserContext) {
  const urls: string[] = [];
  const assets: { url: string; status: number }[] = [];
  context.on("request", (request) => urls.push(request.url()));
  context.on("response", (response) => {
    if (/\.(woff2|svg)(\?|$)/.test(response.url())) assets.push({ url: response.url(), status: response.status() });
  });
  return { elsewhere: () => urls.filter((url) => !/^(data|blob):/.test(url) && new URL(url).hostname !== "127.0.0.1"), assets };
}

describe("room whiteboard", () => {
  it("two students see each other's shapes and named pointers; a read-only teacher watches live and cannot draw; a reload keeps the drawing", async () => {
    const contexts = await Promise.all([0, 1, 2].map(() => newContext(env.browser, env.server.url)));
    const traffic = contexts.map(recordTraffic);
    const [ada, alan, teacher] = await Promise.all(contexts.map((c) => c.newPage()));
    const health = [ada, alan, teacher].map(watchForErrors);
    await logIn(ada, "ada@example.com", "chalkroom-demo");
    await logIn(alan, "alan@example.com", "chalkroom-demo");
    await openTeamRoom(ada);
    await openTeamRoom(alan);
    await openBoard(ada);
    // Alan opens it from the keyboard: arrow keys move along the tabs and select them.
    await alan.getByRole("tab", { name: "Code" }).focus();
    await alan.keyboard.press("ArrowRight");
    expect(await alan.getByRole("tab", { name: "Whiteboard" }).evaluate((tab) => [tab.getAttribute("aria-selected"), tab === document.activeElement])).toEqual(["true", true]);
    await alan.locator("[data-testid=whiteboard] .tl-canvas").waitFor({ timeout: 30_000 });

    await drawRectangle(ada, { x: 200, y: 150 }, { x: 320, y: 230 });
    await expect.poll(() => shapes(alan).count()).toBe(1);
    await drawRectangle(alan, { x: 420, y: 250 }, { x: 520, y: 330 });
    await expect.poll(() => shapes(ada).count()).toBe(2);
    expect(await shapes(alan).count()).toBe(2);

    // Alan's pointer shows on Ada's board with his name.
    const board = (await alan.getByTestId("whiteboard").boundingBox())!;
    await alan.mouse.move(board.x + 300, board.y + 300, { steps: 5 });
    await expect.poll(() => ada.locator("[data-testid=whiteboard] .tl-nametag").allInnerTexts()).toContain("Alan Student");

    // The teacher watches read-only: no drawing tools, and dragging on the board draws nothing for anyone.
    await logIn(teacher, "teacher@example.com", "chalkroom-demo");
    await teacher.goto(`${ada.url()}?readonly=1`);
    await teacher.getByTestId("connection-status").getByText("read only").waitFor();
    await openBoard(teacher);
    await expect.poll(() => shapes(teacher).count()).toBe(2);
    expect(await teacher.getByTestId("tools.rectangle").count()).toBe(0);
    await drag(teacher, { x: 100, y: 100 }, { x: 250, y: 200 });
    await teacher.keyboard.press("r");
    await drag(teacher, { x: 100, y: 300 }, { x: 250, y: 380 });
    await drawRectangle(ada, { x: 600, y: 100 }, { x: 700, y: 180 });
    await expect.poll(() => shapes(teacher).count()).toBe(3);
    await ada.waitForTimeout(500);
    expect(await shapes(teacher).count()).toBe(3);
    expect(await shapes(ada).count()).toBe(3);
    expect(await shapes(alan).count()).toBe(3);

    // A reload keeps the drawing (it lives in the room's document on the server).
    await ada.reload();
    await ada.getByTestId("connection-status").getByText("connected", { exact: true }).waitFor();
    await openBoard(ada);
    await expect.poll(() => shapes(ada).count()).toBe(3);

    // The code editor still shares the same connection: what Ada types reaches Alan.
    await ada.getByRole("tab", { name: "Code" }).click();
    await ada.locator("[data-testid=code-editor] .view-lines").click();
    await ada.keyboard.press("Control+Home");
    await ada.keyboard.type("# drawn and typed\n", { delay: 20 });
    await alan.getByRole("tab", { name: "Code" }).click();
    await expect.poll(() => editorText(alan)).toContain("# drawn and typed");

    // tldraw's fonts and icons load from our server on a cross-origin isolated page; nothing else is asked for.
    expect(await ada.evaluate(() => crossOriginIsolated)).toBe(true);
    await openBoard(ada);
    await expect.poll(() => ada.evaluate(() => [...document.fonts].filter((f) => f.family.includes("tldraw") && f.status === "loaded").length)).toBeGreaterThan(0);
    const assets = traffic.flatMap((t) => t.assets);
    expect(assets.filter((a) => a.url.endsWith(".woff2")).length).toBeGreaterThan(0);
    expect(assets.filter((a) => /0_merged.*\.svg/.test(a.url)).length).toBeGreaterThan(0);
    expect(assets.filter((a) => a.status >= 400)).toEqual([]);
    expect(traffic.flatMap((t) => t.elsewhere())).toEqual([]);
    for (const check of health) expect(await check()).toEqual({ errors: [], errorScreens: 0 });
  });

  it("a peer with edit rights who writes junk into the room document cannot break anyone's board", async () => {
    const adaContext = await newContext(env.browser, env.server.url);
    const traffic = recordTraffic(adaContext);
    const ada = await adaContext.newPage();
    const warnings: string[] = [];
    ada.on("console", (message) => message.type() === "warning" && warnings.push(message.text()));
    const health = watchForErrors(ada);
    await logIn(ada, "ada@example.com", "chalkroom-demo");
    await openTeamRoom(ada);
    await openBoard(ada);
    const before = await shapes(ada).count();

    // Alan's own session, through a stock y-websocket client with no tldraw at all.
    const alan = await (await newContext(env.browser, env.server.url)).newPage();
    await logIn(alan, "alan@example.com", "chalkroom-demo");
    const cookie = (await alan.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    class SessionSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { cookie } });
      }
    }
    const roomId = new URL(ada.url()).pathname.split("/").pop()!;
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`ws://127.0.0.1:${env.server.port}/collab`, roomId, doc, { WebSocketPolyfill: SessionSocket as never, disableBc: true });
    await new Promise<void>((resolve) => provider.once("sync", () => resolve()));
    // Awareness is the peer's own word too: a colour that tries to escape into a style sheet, a pointer.
    provider.awareness.setLocalState({
      user: { id: "mallory", name: 'Mallory"}*{background:url(https://evil.example/name)}', color: "red}*{background:url(https://evil.example/color)}" },
      whiteboard: { cursor: { x: 150, y: 150, type: "default", rotation: 0 }, currentPageId: "page:page", lastActivityTimestamp: Date.now(), camera: null, screenBounds: null, selectedShapeIds: [], brush: null, scribbles: [], followingUserId: null, chatMessage: "", meta: {} },
    });
    await expect.poll(() => ada.locator("[data-testid=whiteboard] .tl-nametag").allInnerTexts()).toContain('Mallory"}*{background:url(https://evil.example/name)}');
    const records = doc.getMap<unknown>(WHITEBOARD_RECORDS);
    const frame = { ...rectangle("mallory's frame", { x: 50, y: 50 }), type: "frame", props: { w: 300, h: 200, name: "Frame", color: "black" } };
    doc.transact(() => {
      records.set("shape:no-props", { ...rectangle("no-props"), props: { geo: "rectangle" } });
      records.set("shape:own-parent", { ...rectangle("own-parent"), parentId: "shape:own-parent" });
      records.set("shape:loop-a", { ...rectangle("loop-a"), parentId: "shape:loop-b" });
      records.set("shape:loop-b", { ...rectangle("loop-b"), parentId: "shape:loop-a" });
      records.set("shape:tracker", { ...rectangle("tracker"), type: "image", props: { w: 10, h: 10, assetId: null, playing: true, url: "https://tracker.example/pixel.png", crop: null, flipX: false, flipY: false, altText: "" } });
      records.set("instance:instance", { id: "instance:instance", typeName: "instance", isReadonly: true });
      records.set("page:page", "not a page");
      records.set(frame.id, frame);
      records.set("shape:in-frame", { ...rectangle("in-frame", { x: 20, y: 20 }), id: "shape:in-frame", parentId: frame.id });
    });
    await expect.poll(() => shapes(ada).count()).toBe(before + 2); // the frame and the shape in it
    // The frame goes and leaves its child behind, then the page itself goes.
    doc.transact(() => records.delete(frame.id));
    doc.transact(() => records.delete("page:page"));
    await ada.waitForTimeout(500);
    expect(warnings.filter((w) => w.startsWith("whiteboard: ignored")).length).toBeGreaterThanOrEqual(8);
    expect(warnings).toContain("whiteboard: ignored page:page from a peer: the board's last page cannot be removed");

    // Ada's board still works: she draws, and the stock client sees her shape arrive in the document.
    const countBefore = await shapes(ada).count();
    await drawRectangle(ada, { x: 500, y: 300 }, { x: 600, y: 380 });
    await expect.poll(() => shapes(ada).count()).toBe(countBefore + 1);
    await expect.poll(() => [...records.values()].filter((r) => (r as { type?: string }).type === "geo").length).toBeGreaterThan(0);
    expect(await health()).toEqual({ errors: [], errorScreens: 0 });
    // The name stays inside its quoted label; the colour never reaches the style sheet.
    const styles = (await ada.locator("style").allInnerTexts()).join("\n");
    expect(styles).toContain('content:"Mallory\\"}*{background:url(https://evil.example/name)}"');
    expect(styles).not.toContain("evil.example/color");
    expect(traffic.elsewhere()).toEqual([]);
    provider.destroy();
  });
});
