// How long the waiting room's browser check takes a throttled phone, for
// `make bench-pages` (run by target/release/pages against its own server).
//
//   node end2end/bench/queue_check.mjs <base-url> <queued-event-id>
//
// Under DevTools' "Slow 4G" and 4× CPU throttling, a fresh browser opens the
// join link: milliseconds from navigation until the posted solution is
// answered with the place (the check page, its script, pow.wasm in its
// worker, the post), five runs. Prints one JSON object: `runs_ms` (sorted), `median_ms`, and the
// check's `bits` (per part) and `parts` as the page asked.

import { chromium } from "@playwright/test";
import { chromiumLaunchOptions } from "../chromium.mjs";
import { SLOW_4G } from "./throttle.mjs";

const [base, eventId] = process.argv.slice(2);
if (!base || !eventId) {
  console.error("usage: queue_check.mjs <base-url> <queued-event-id>");
  process.exit(2);
}


async function once(browser) {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  let asked = {};
  page.on("response", async (response) => {
    if (new URL(response.url()).pathname.endsWith("/queue/join") && response.status() === 200) {
      const html = await response.text().catch(() => "");
      const bits = /data-bits="(\d+)"/.exec(html);
      const parts = /data-parts="(\d+)"/.exec(html);
      if (bits && parts) asked = { bits: Number(bits[1]), parts: Number(parts[1]) };
    }
  });
  // The place is taken when the posted solution is answered (a redirect to
  // the holding page, which may let the visitor straight through).
  const placed = page.waitForResponse(
    (response) => response.request().method() === "POST" && new URL(response.url()).pathname.endsWith("/queue/join"),
    { timeout: 180_000 },
  );
  const started = Date.now();
  await page.goto(`/events/${eventId}/queue/join`, { waitUntil: "commit", timeout: 120_000 });
  const answer = await placed;
  const ms = Date.now() - started;
  if (answer.status() !== 303) throw new Error(`the check's answer: ${answer.status()}`);
  await context.close();
  return { ms, ...asked };
}

const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const runs = [];
  let asked = {};
  for (let i = 0; i < 5; i++) {
    const run = await once(browser);
    runs.push(run.ms);
    if (run.bits !== undefined) asked = { bits: run.bits, parts: run.parts };
  }
  runs.sort((a, b) => a - b);
  console.log(JSON.stringify({ runs_ms: runs, median_ms: runs[2], ...asked }));
} finally {
  await browser.close();
}
