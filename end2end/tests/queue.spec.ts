import type { Browser, Page } from "@playwright/test";
import { DEMO_PASSWORD, expect, hydrated, linkIn, mailTo, signIn, signOut, signUp, test, uniqueEmail } from "./helpers";

/** A UTC instant as a datetime-local value (the event's zone is UTC). */
function utcMinute(at: Date): string {
  return at.toISOString().slice(0, 16);
}

/**
 * The demo organizer signs in, lists three seats at £10 selling from `opens` (UTC) and queues the on-sale
 * (letting `perMinute` through a minute when given, else the shop's rate); the event's id.
 */
async function queuedOnSale(page: Page, title: string, venue: string, opens: Date, perMinute?: string): Promise<string> {
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer/events/new");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Venue").fill(venue);
  await page.getByLabel("Time zone of the event").fill("UTC");
  await page.getByLabel("Price").fill("10");
  await page.getByLabel("Quantity").fill("3");
  await page.getByLabel("Sale opens (local time)").first().fill(utcMinute(opens));
  await page.getByLabel("Status").selectOption("published");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);
  await page.getByTestId("my-event-row").filter({ hasText: title }).getByRole("link", { name: "Sales", exact: true }).click();
  const eventId = page.url().match(/\/organizer\/events\/([0-9a-f-]{36})\/sales/)![1];
  await page.getByLabel("Queue visitors for this event's on-sale").check();
  // The shop's rate (QUEUE_ADMIT_PER_SEC 0.2 here) is the field's placeholder.
  const rate = page.getByLabel("Let through a minute (empty: the shop's rate)");
  await expect(rate).toHaveAttribute("placeholder", "12");
  if (perMinute) await rate.fill(perMinute);
  await page.getByTestId("queue-switch").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("queue-state")).toContainText("On:");
  await expect(page.getByTestId("queue-state")).toContainText(
    perMinute ? `${perMinute} visitors are let through a minute.` : "12 visitors are let through a minute (the shop's rate).",
  );
  if (perMinute) await expect(rate).toHaveValue(perMinute);
  return eventId;
}

async function buyer(browser: Browser, name: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, name, uniqueEmail(name.toLowerCase().replace(/\W+/g, "-")), password);
  return page;
}

/** Adds one ticket on the event's page (already open) and pays for it at the emulator. */
async function buyOne(page: Page) {
  await hydrated(page);
  await page.locator("#quantity-0").fill("1");
  await page.locator("#quantity-0").blur();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("added-to-cart")).toBeVisible();
  await checkOutAndPay(page);
}

async function checkOutAndPay(page: Page) {
  await page.goto("/cart");
  await hydrated(page);
  await page.getByRole("button", { name: "Check out" }).click();
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("order-status")).toHaveText(/^Paid\./, { timeout: 20_000 });
}

test("a queued on-sale: two visitors wait, are let through in their drawn order, each makes one order; a latecomer joins the waiting list and buys the offer", async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  const title = `Queue Night ${Date.now()}`;
  // On sale from the next whole minute at least 20 seconds away (UTC).
  const opens = new Date(Math.ceil((Date.now() + 20_000) / 60_000) * 60_000);

  // The organizer lists three seats and queues the on-sale.
  // The organizer's rate: one every 5 s (the shop's own here, so timings hold).
  const eventId = await queuedOnSale(page, title, "Queue Hall", opens, "12");
  await signOut(page);

  // Two buyers arrive before the opening and wait.
  const ann = await buyer(browser, "Queue Ann", "first in the hall");
  const ben = await buyer(browser, "Queue Ben", "second in the hall");
  const missing: string[] = [];
  for (const visitor of [ann, ben]) {
    visitor.on("response", (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    await visitor.goto(`/events/${eventId}`);
    await visitor.getByRole("link", { name: "Wait in the queue" }).click();
    await expect(visitor.getByTestId("queue-page")).toContainText("The sale has not opened yet");
  }
  // Nothing the holding page asks for is missing (its icon included).
  await ann.waitForLoadState("networkidle");
  expect(missing).toEqual([]);
  // Both are in; before the opening nobody has a number, only the count.
  for (const visitor of [ann, ben]) {
    await visitor.reload();
    await expect(visitor.getByTestId("queue-waiting-count")).toHaveText("2");
    await expect(visitor.getByTestId("queue-position")).toHaveCount(0);
  }
  // The sale opens: each learns their number from the draw; number 1 is let
  // through first, number 2 sees their place move up, then their turn comes.
  // (Let through one every 5 s, so the second waits a little.)
  const numberOf = async (visitor: Page) => {
    const cookies = await visitor.context().cookies();
    const place = cookies.find((c) => c.name === `ts_q_${eventId.replaceAll("-", "")}`);
    return Number(place?.value.split(".")[1] ?? "0");
  };
  await expect.poll(async () => (await numberOf(ann)) + (await numberOf(ben)), { timeout: 120_000 }).toBe(3);
  const [first, second] = (await numberOf(ann)) === 1 ? [ann, ben] : [ben, ann];
  await expect(first.getByTestId("queue-admitted")).toBeVisible({ timeout: 20_000 });
  await expect(second.getByTestId("queue-position")).toHaveText("1", { timeout: 10_000 });
  await expect(second.getByTestId("queue-admitted")).toBeVisible({ timeout: 20_000 });
  await buyOne(first);
  // One order per turn: another checkout needs another turn in the queue.
  await first.goto(`/events/${eventId}`);
  await hydrated(first);
  await first.locator("#quantity-0").fill("1");
  await first.locator("#quantity-0").blur();
  await first.getByRole("button", { name: "Add to cart" }).click();
  await expect(first.getByTestId("added-to-cart")).toBeVisible();
  await first.goto("/cart");
  await hydrated(first);
  await first.getByRole("button", { name: "Check out" }).click();
  await expect(first.getByText(/is queued: wait in the queue for your turn/)).toBeVisible();
  // The second buyer holds the last two seats and walks away from the payment page.
  await hydrated(second);
  await second.locator("#quantity-0").fill("2");
  await second.locator("#quantity-0").blur();
  await second.getByRole("button", { name: "Add to cart" }).click();
  await expect(second.getByTestId("added-to-cart")).toBeVisible();
  await second.goto("/cart");
  await hydrated(second);
  await second.getByRole("button", { name: "Check out" }).click();
  await expect(second.getByLabel("Card number")).toBeVisible();
  await second.goto("/");

  // A latecomer finds it sold out and joins the waiting list.
  const email = uniqueEmail("latecomer");
  const late = await (await browser.newContext()).newPage();
  await signUp(late, "Late Lou", email, "always the last one");
  await late.goto(`/events/${eventId}`);
  await expect(late.getByTestId("ticket-type")).toContainText("Sold out");
  await late.getByRole("button", { name: "Join the waiting list for Admission" }).click();
  await expect(late.getByTestId("waiting-list-joined")).toBeVisible();

  // The walked-away hold runs out: its seat is held for the latecomer, who is mailed and pays.
  const offer = await mailTo(email, `Tickets for ${title} are held for you`, 120_000);
  await late.goto(linkIn(offer, "/cart"));
  await hydrated(late);
  await expect(late.getByTestId("pending-order")).toBeVisible();
  await late.getByRole("button", { name: "Continue to payment" }).click();
  await late.getByLabel("Card number").fill("4242 4242 4242 4242");
  await late.getByRole("button", { name: "Pay" }).click();
  await expect(late.getByTestId("order-status")).toHaveText(/^Paid\./, { timeout: 20_000 });

  // The organizer's dashboard shows the list and how it ended.
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, `/signin?next=/organizer/events/${eventId}/sales`);
  await expect(page.getByTestId("waiting-lists")).toContainText(email);
  await expect(page.getByTestId("waiting-lists")).toContainText(/offered|bought/);
});

test("the holding page looks like the shop, names the event and its opening on the venue's clock, and follows a moved opening", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const title = `Holding Night ${Date.now()}`;
  const day = 24 * 3600_000;
  const opens = new Date(Math.ceil((Date.now() + 2 * day) / 60_000) * 60_000);
  const moved = new Date(opens.getTime() + 3 * day);

  const eventId = await queuedOnSale(page, title, "Holding Hall", opens);

  const visitor = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await visitor.goto(`/events/${eventId}`);
  // The place costs the browser check: pow.wasm in a worker, then the
  // solution posted (eight nonces), which takes the place.
  const solver = visitor.waitForResponse((response) => new URL(response.url()).pathname === "/pow.wasm");
  const worker = visitor.waitForResponse((response) => new URL(response.url()).pathname === "/pow-worker.js");
  const checked = visitor.waitForRequest(
    (request) => request.method() === "POST" && new URL(request.url()).pathname === `/events/${eventId}/queue/join`,
  );
  await visitor.getByRole("link", { name: "Wait in the queue" }).click();
  expect((await solver).status()).toBe(200);
  // The worker runs under a policy of its own (this one: it still solves),
  // and its files are asked again rather than kept stale past a deploy.
  const workerHeaders = (await worker).headers();
  expect(workerHeaders["content-security-policy"]).toBe(
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'",
  );
  expect(workerHeaders["cache-control"]).toBe("public, no-cache");
  expect((await solver).headers()["cache-control"]).toBe("public, no-cache");
  expect((await checked).postData()).toMatch(/^challenge=v1\.[^&]+&solution=\d+(\.\d+){7}$/);
  await expect(visitor).toHaveURL(new RegExp(`/queue/${eventId}$`));
  await expect(visitor).toHaveTitle(`Queue for ${title} · Ticket Sales`);
  // The shop's header and stylesheet, the event and when its sale opens.
  const home = visitor.getByRole("link", { name: "Ticket Sales" });
  await expect(home).toBeVisible();
  expect(await home.evaluate((link) => getComputedStyle(link).fontWeight)).toBe("700");
  await expect(visitor.getByTestId("queue-event")).toHaveText(title);
  const dayLabel = (at: Date) =>
    `${at.toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" })}, ${at.getUTCDate()} ${at.toLocaleDateString("en-GB", { month: "short", timeZone: "UTC" })}`;
  await expect(visitor.getByTestId("queue-opens")).toContainText(dayLabel(opens));
  await expect(visitor.getByTestId("queue-opens")).toContainText("UTC");
  await expect(visitor.getByTestId("queue-wait")).toHaveText("about 2 days");
  const scrolls = await visitor.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(scrolls).toBe(false);

  // While waiting, the page asks only the queue's public progress (no page
  // reloads), and sends no cookie with it.
  const asked: { path: string; cookie: string | undefined }[] = [];
  visitor.on("request", async (request) =>
    asked.push({ path: new URL(request.url()).pathname, cookie: (await request.allHeaders())["cookie"] }),
  );
  await visitor.waitForTimeout(7_000);
  expect(asked.length).toBeGreaterThanOrEqual(2);
  for (const { path, cookie } of asked) {
    expect(path).toBe(`/queue/${eventId}/progress`);
    expect(cookie).toBeUndefined();
  }

  // Without JavaScript there is no check, so no place: the page says why.
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await plain.goto(`/events/${eventId}/queue/join`);
  await expect(plain.getByTestId("queue-needs-js")).toHaveText(/The queue needs JavaScript/);
  await expect(plain.getByTestId("queue-waiting-count")).toHaveCount(0);

  // The organizer moves the opening three days later; the waiting page follows by itself.
  await page.goto(`/organizer/events/${eventId}/edit`);
  await hydrated(page);
  await page.getByLabel("Sale opens (local time)").first().fill(utcMinute(moved));
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);
  await expect(visitor.getByTestId("queue-opens")).toContainText(dayLabel(moved), { timeout: 15_000 });
  await expect(visitor.getByTestId("queue-wait")).toHaveText("about 5 days");
});
