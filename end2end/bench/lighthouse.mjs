// Lighthouse (npm's `lighthouse`, pinned in package.json) on the home page and
// an event's page, for `make bench-pages` (run by target/release/pages against
// its own server). Lighthouse's default settings: the mobile preset (a Moto G
// Power's screen, simulated Slow 4G and 4× CPU slowdown).
//
//   node end2end/bench/lighthouse.mjs <base-url> <event-id>
//
// Prints one JSON object on stdout: per page, the four category scores (0–100),
// LCP and TBT in milliseconds, CLS, and the audits that kept a category below
// 100. Uses Debian's Chromium (CHROMIUM_PATH), never a downloaded browser.

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { chromiumLaunchOptions } from "../chromium.mjs";

const [base, eventId] = process.argv.slice(2);
if (!base || !eventId) {
  console.error("usage: lighthouse.mjs <base-url> <event-id>");
  process.exit(2);
}

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const chrome = await chromeLauncher.launch({
  chromePath: chromiumLaunchOptions.executablePath,
  chromeFlags: chromiumLaunchOptions.args,
  logLevel: "silent",
});
const pages = { home: `${base}/`, event: `${base}/events/${eventId}` };
const out = {};
try {
  for (const [name, url] of Object.entries(pages)) {
    const { lhr } = await lighthouse(url, { port: chrome.port, logLevel: "error", onlyCategories: CATEGORIES });
    const score = (id) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
    const below = CATEGORIES.filter((id) => id !== "performance").flatMap((id) =>
      lhr.categories[id].auditRefs
        .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
        .map((ref) => `${id}: ${ref.id}`),
    );
    out[name] = {
      performance: score("performance"),
      accessibility: score("accessibility"),
      best_practices: score("best-practices"),
      seo: score("seo"),
      lcp_ms: Math.round(lhr.audits["largest-contentful-paint"].numericValue),
      tbt_ms: Math.round(lhr.audits["total-blocking-time"].numericValue),
      cls: Number(lhr.audits["cumulative-layout-shift"].numericValue.toFixed(3)),
      below_100: below,
      runtime_error: lhr.runtimeError?.message ?? null,
    };
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify(out));
