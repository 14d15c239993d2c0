// What a visitor's Chromium downloads and how soon the catalogue reacts, for
// `make bench-pages` (run by target/release/pages against its own server).
//
//   node end2end/bench/browser.mjs <base-url> <event-id>
//
// Prints one JSON object on stdout:
// - `first_visit`: for `/`, the event page and `/cart`, each opened in a fresh
//   browser (empty cache), the bytes on the wire (as encoded: brotli or gzip as
//   served) of JS + wasm and of everything.
// - `journey`: one browser with its cache, `/` → event page → add to cart →
//   `/cart`: JS + wasm bytes transferred over the whole walk.
// - `search_reacts_ms`: under DevTools' "Slow 4G" (1.44 Mbit/s down, 562.5 ms
//   latency) and 4× CPU throttling, milliseconds from the start of navigation to
//   `/` until typing in the search box changes the results' URL (median of 3).
// Uses Debian's Chromium (CHROMIUM_PATH), never a downloaded browser.

import { chromium } from "@playwright/test";
import { chromiumLaunchOptions } from "../chromium.mjs";
import { SLOW_4G } from "./throttle.mjs";

const [base, eventId] = process.argv.slice(2);
if (!base || !eventId) {
  console.error("usage: browser.mjs <base-url> <event-id>");
  process.exit(2);
}


const isCode = (url, mime) =>
  /\.(js|wasm)(\?|$)/.test(new URL(url).pathname) || /javascript|wasm/.test(mime ?? "");

/** Counts encoded bytes per request on `page` until `stop()` is called. */
async function meter(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const kinds = new Map();
  const totals = { code: 0, all: 0, files: [] };
  cdp.on("Network.responseReceived", (e) => kinds.set(e.requestId, isCode(e.response.url, e.response.mimeType) ? e.response.url : null));
  cdp.on("Network.loadingFinished", (e) => {
    totals.all += e.encodedDataLength;
    const url = kinds.get(e.requestId);
    if (url) {
      totals.code += e.encodedDataLength;
      totals.files.push({ url: new URL(url).pathname, bytes: e.encodedDataLength });
    }
  });
  return { cdp, totals };
}

/** Waits until the page's wasm has started and every island has hydrated. */
async function interactive(page) {
  await page.waitForFunction(
    () =>
      document.body?.dataset.hydrated === "true" &&
      Number(document.body.dataset.islands ?? 0) >= document.querySelectorAll("leptos-island").length,
    null,
    { timeout: 120_000 },
  );
}

async function firstVisit(browser, path, prepare) {
  const context = await browser.newContext({ baseURL: base });
  // Preparation goes through the API only (no page), so the cache stays empty.
  if (prepare) await prepare(context.request);
  const fresh = await context.newPage();
  const { totals } = await meter(fresh);
  await fresh.goto(path, { waitUntil: "load" });
  await interactive(fresh);
  await fresh.waitForLoadState("networkidle");
  await context.close();
  return { code_bytes: totals.code, all_bytes: totals.all, code_files: totals.files };
}

/** Puts one ticket in the context's cart through the same POST a plain form makes. */
async function fillCart(request) {
  const response = await request.post(`${base}/api/cart/add`, {
    // The event's first ticket type has the event's id (one-type events, as the bench makes).
    form: { "picks[0][ticket_type_id]": eventId, "picks[0][quantity]": "1" },
    headers: { origin: base, accept: "application/json" },
    maxRedirects: 0,
  });
  if (response.status() >= 400) throw new Error(`cart add: ${response.status()} ${await response.text()}`);
}

async function journey(browser) {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  const { totals } = await meter(page);
  await page.goto("/", { waitUntil: "load" });
  await interactive(page);
  await page.goto(`/events/${eventId}`, { waitUntil: "load" });
  await interactive(page);
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByTestId("added-to-cart").waitFor();
  await page.goto("/cart", { waitUntil: "load" });
  await interactive(page);
  await page.waitForLoadState("networkidle");
  await context.close();
  return { code_bytes: totals.code, all_bytes: totals.all };
}

async function searchReacts(browser) {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  // In the page from its first script on: keep typing "jaz" into the search box
  // until the page answers by putting the query in the URL.
  await page.addInitScript(() => {
    const tick = () => {
      if (location.search.includes("q=jaz")) {
        window.__searchReactedAt = performance.now();
        return;
      }
      const box = document.querySelector('input[type="search"]');
      if (box) {
        box.value = "jaz";
        box.dispatchEvent(new Event("input", { bubbles: true }));
      }
      setTimeout(tick, 50);
    };
    tick();
  });
  await page.goto("/", { waitUntil: "commit", timeout: 120_000 });
  const handle = await page.waitForFunction(() => window.__searchReactedAt, null, { timeout: 120_000, polling: 100 });
  const ms = await handle.jsonValue();
  await context.close();
  return ms;
}

const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const first_visit = {
    home: await firstVisit(browser, "/"),
    event: await firstVisit(browser, `/events/${eventId}`),
    cart: await firstVisit(browser, "/cart", fillCart),
  };
  const walk = await journey(browser);
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await searchReacts(browser));
  runs.sort((a, b) => a - b);
  console.log(
    JSON.stringify({ first_visit, journey: walk, search_reacts_ms: Math.round(runs[1]), search_reacts_runs_ms: runs.map(Math.round) }),
  );
} finally {
  await browser.close();
}
