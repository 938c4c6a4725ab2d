// Voice against a real `livekit-server --dev` on 127.0.0.1, in Chromium with fake microphones: two students
// hear each other and see who speaks, the teacher mutes one from the live view and moves between rooms, and the
// live view follows who is in each room's voice through LiveKit's webhooks.
import AxeBuilder from "@axe-core/playwright";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLivekitServer, startLivekit, type RunningLivekit } from "../scripts/services/livekit.ts";
import { freePort } from "../scripts/services/ports.ts";
import { launchBrowser, logIn, newContext, startTestServer, type TestServer } from "./support.ts";

/** Two seconds of a steady 440 Hz tone (16-bit mono WAV) that every fake microphone plays in a loop. */
function toneWav(): Buffer {
  const rate = 48_000;
  const samples = rate * 2;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write("RIFF", 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write("WAVEfmt ", 8);
  wav.writeUInt32LE(16, 16); // format chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per frame
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write("data", 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 16_000), 44 + i * 2);
  return wav;
}

// Fake microphones with no permission prompt, playing a steady tone (Chromium's default fake microphone beeps
// too briefly for LiveKit to call it speech); real host addresses in ICE candidates instead of mDNS names
// (nothing multicast on the network), loopback ones included so that media flows 127.0.0.1 to 127.0.0.1.
const mediaArgs = (wav: string) => [
  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-audio-capture=${wav}`,
  "--disable-features=WebRtcHideLocalIpsWithMdns", "--allow-loopback-in-peer-connection",
];
// Joining means ICE and DTLS on a loaded 2-core machine: generous, but every wait ends on what the page shows.
const VOICE_TIMEOUT = 45_000;

let livekit: RunningLivekit;
let server: TestServer;
let browser: Browser;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "chalkroom-voice-"));
  writeFileSync(join(scratch, "tone.wav"), toneWav());
  const binary = findLivekitServer();
  if (!binary) throw new Error("livekit-server is not installed: `npm test` installs it, or run `npm run livekit:install`.");
  const port = await freePort();
  livekit = await startLivekit({ binary, webhookUrl: `http://127.0.0.1:${port}/voice/webhook` });
  server = await startTestServer({ seed: true, port, env: { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret } });
  browser = await launchBrowser(mediaArgs(join(scratch, "tone.wav")));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await livekit?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function student(email: string): Promise<Page> {
  const page = await (await newContext(browser, server.url)).newPage();
  await logIn(page, email, "chalkroom-demo");
  await page.goto("/dashboard");
  await page.getByRole("listitem").filter({ hasText: "Frame a line of text" }).getByRole("link", { name: "Open room" }).click();
  await page.waitForURL(/\/rooms\/[^/?]+$/);
  return page;
}

const voicePeople = (page: Page) => page.getByTestId("voice-people").getByRole("listitem");
const inVoice = (page: Page, name: string) => voicePeople(page).filter({ hasText: name });
const attribute = (page: Page, name: string, attr: string) => inVoice(page, name).getAttribute(attr, { timeout: VOICE_TIMEOUT });

/** axe's serious and critical findings in the voice bar, in light and dark themes. */
async function voiceBarViolations(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).include("[data-testid=voice-bar]").analyze();
    for (const v of violations) if (v.impact === "serious" || v.impact === "critical") found.push(`${colorScheme}: ${v.id}: ${v.help}`);
  }
  return found;
}

async function joinVoice(page: Page) {
  await page.getByTestId("voice-bar").getByRole("button", { name: "Join voice" }).click();
  await page.getByTestId("voice-bar").getByRole("button", { name: "Leave voice" }).waitFor({ timeout: VOICE_TIMEOUT });
}

describe("voice", () => {
  it("two students hear each other and see who speaks; the teacher mutes one from the live view, moves between rooms, and the live view shows who is in voice", async () => {
    // The built server refuses a webhook that LiveKit did not sign.
    const forged = await fetch(`${server.url}/voice/webhook`, { method: "POST", headers: { "Content-Type": "application/webhook+json", Authorization: "forged" }, body: "{}" });
    expect(forged.status).toBe(401);

    const ada = await student("ada@example.com");
    const alan = await student("alan@example.com");
    expect(ada.url()).toBe(alan.url()); // Team 1

    await joinVoice(ada);
    await joinVoice(alan);
    // Each sees the other in voice, and the other's microphone is subscribed and playing.
    await inVoice(ada, "Alan Student").waitFor({ timeout: VOICE_TIMEOUT });
    await inVoice(alan, "Ada Student").waitFor({ timeout: VOICE_TIMEOUT });
    await expect.poll(() => attribute(ada, "Alan Student", "data-audio"), { timeout: VOICE_TIMEOUT }).toBe("subscribed");
    await expect.poll(() => attribute(alan, "Ada Student", "data-audio"), { timeout: VOICE_TIMEOUT }).toBe("subscribed");
    const alansVoice = ada.locator("[data-testid=voice-bar] audio[data-voice-audio]");
    expect(await alansVoice.count()).toBe(1);
    await expect.poll(() => alansVoice.evaluate((audio) => !(audio as HTMLAudioElement).paused), { timeout: VOICE_TIMEOUT }).toBe(true);
    // Alan's microphone plays a tone: LiveKit reports him speaking, and Ada's bar shows it.
    await voicePeople(ada).and(ada.locator('[data-speaking="true"]')).filter({ hasText: "Alan Student" }).waitFor({ timeout: VOICE_TIMEOUT });
    // A microphone can be chosen from the devices the browser offers.
    const microphone = ada.getByTestId("voice-bar").getByLabel("Microphone");
    const devices = await microphone.locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(devices.length).toBeGreaterThan(0);
    await microphone.selectOption(devices[devices.length - 1]);
    await expect.poll(() => microphone.inputValue()).toBe(devices[devices.length - 1]);

    // The teacher's live view shows who is in each room's voice.
    const teacher = await (await newContext(browser, server.url)).newPage();
    await logIn(teacher, "teacher@example.com", "chalkroom-demo");
    await teacher.getByRole("navigation", { name: "Groups" }).getByRole("link", { name: "Python 101 · Monday" }).click();
    await teacher.getByRole("link", { name: "Frame a line of text" }).click();
    await teacher.getByRole("link", { name: "Live view" }).click();
    const tile = (name: string) => teacher.getByRole("list", { name: "Rooms" }).getByRole("listitem").filter({ hasText: name }).first();
    const tileVoice = (name: string) => tile(name).getByTestId("room-voice").innerText();
    await expect.poll(() => tileVoice("Team 1"), { timeout: VOICE_TIMEOUT }).toMatch(/In voice: .*Ada Student/);
    expect(await tileVoice("Team 1")).toContain("Alan Student");
    expect(await tileVoice("Team 2")).toContain("Nobody in voice");

    // The teacher joins Team 1's voice from its tile; the students see them, and the tile (by webhook) too.
    await teacher.getByRole("button", { name: "Join the voice of Team 1" }).click();
    await teacher.getByTestId("voice-where").filter({ hasText: "Team 1" }).waitFor();
    await inVoice(teacher, "Alan Student").waitFor({ timeout: VOICE_TIMEOUT });
    await inVoice(ada, "Teacher").waitFor({ timeout: VOICE_TIMEOUT });
    await expect.poll(() => tileVoice("Team 1"), { timeout: VOICE_TIMEOUT }).toContain("Teacher");

    expect(await voiceBarViolations(teacher)).toEqual([]);

    // The teacher mutes Alan: Alan's bar says so, and Ada sees him muted.
    await teacher.getByRole("button", { name: "Mute Alan Student" }).click();
    await alan.getByTestId("muted-by-teacher").waitFor({ timeout: VOICE_TIMEOUT });
    await alan.getByTestId("voice-bar").getByRole("button", { name: "Unmute" }).waitFor();
    await expect.poll(() => attribute(ada, "Alan Student", "data-muted"), { timeout: VOICE_TIMEOUT }).toBe("true");
    expect(await voiceBarViolations(alan)).toEqual([]);
    // Alan may speak again when he chooses.
    await alan.getByTestId("voice-bar").getByRole("button", { name: "Unmute" }).click();
    await expect.poll(() => attribute(ada, "Alan Student", "data-muted"), { timeout: VOICE_TIMEOUT }).toBe("false");
    expect(await alan.getByTestId("muted-by-teacher").count()).toBe(0);

    // The teacher moves to Team 2's voice: gone from Team 1's (for Ada and in the live view), present in Team 2's.
    await teacher.getByRole("button", { name: "Join the voice of Team 2" }).click();
    await teacher.getByTestId("voice-where").filter({ hasText: "Team 2" }).waitFor();
    await teacher.getByTestId("voice-bar").getByRole("button", { name: "Leave voice" }).waitFor({ timeout: VOICE_TIMEOUT });
    await expect.poll(() => inVoice(ada, "Teacher").count(), { timeout: VOICE_TIMEOUT }).toBe(0);
    await expect.poll(() => tileVoice("Team 2"), { timeout: VOICE_TIMEOUT }).toContain("In voice: Grace Teacher");
    await expect.poll(() => tileVoice("Team 1"), { timeout: VOICE_TIMEOUT }).not.toContain("Teacher");

    // Ada leaves: Alan sees it, and so does the live view.
    await ada.getByTestId("voice-bar").getByRole("button", { name: "Leave voice" }).click();
    await ada.getByTestId("voice-bar").getByRole("button", { name: "Join voice" }).waitFor();
    await expect.poll(() => inVoice(alan, "Ada Student").count(), { timeout: VOICE_TIMEOUT }).toBe(0);
    await expect.poll(() => tileVoice("Team 1"), { timeout: VOICE_TIMEOUT }).toBe("In voice: Alan Student");
  });
});
