import { type Page } from "@playwright/test";
import { DEMO_PASSWORD, expect, hydrated, signIn, signOut, signUp, test, uniqueEmail, wcagViolations } from "./helpers";

/** The organizer makes an event with an open "Standing" type and a hidden "Fan club" one, both €30.00. */
async function eventWithHiddenType(page: Page, title: string): Promise<string> {
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await page.getByRole("link", { name: "New event" }).click();
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Venue").fill("Fan Hall, Leeds");
  const types = page.getByTestId("type-editor");
  await types.nth(0).getByLabel("Name").fill("Standing");
  await types.nth(0).getByLabel("Price").fill("30");
  await types.nth(0).getByLabel("Quantity").fill("40");
  await page.getByRole("button", { name: "Add a ticket type" }).click();
  await types.nth(1).getByLabel("Name").fill("Fan club");
  await types.nth(1).getByLabel("Price").fill("30");
  await types.nth(1).getByLabel("Quantity").fill("10");
  await types.nth(1).getByLabel("Hidden: not listed on the event's page").check();
  await page.getByLabel("Status").selectOption("published");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);
  return new URL(page.url()).searchParams.get("saved")!;
}

test("an organizer makes twenty codes and exports them; a buyer with the link pays the discounted price; one without it never sees the hidden type", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const title = `Fan Club Night ${Date.now()}`;
  const event = await eventWithHiddenType(page, title);
  await page.getByTestId("my-event-row").filter({ hasText: title }).getByRole("link", { name: "Codes" }).click();
  await expect(page).toHaveURL(`/organizer/events/${event}/codes`);
  expect(await wcagViolations(page)).toEqual([]);

  // Twenty random codes at 10% off, then the fan club's own at 20% off.
  await page.getByLabel("How many random codes").fill("20");
  await page.getByRole("combobox", { name: /^Discount/ }).selectOption("percent");
  await page.getByLabel("Percent or amount").fill("10");
  await page.getByRole("button", { name: "Make codes" }).click();
  await expect(page.getByTestId("codes-made")).toHaveText("Made 20 codes.");
  await expect(page.getByTestId("code-row")).toHaveCount(20);
  const csv = await page.request.get((await page.getByTestId("codes-csv").getAttribute("href"))!);
  expect(csv.headers()["content-disposition"]).toMatch(/codes\.csv"$/);
  const rows = (await csv.text()).split("\r\n").filter((line) => line);
  expect(rows).toHaveLength(21);
  for (const row of rows.slice(1)) expect(row).toMatch(/^[2-9A-HJKMNP-Z]{12},Standing \| Fan club,10%,0,/);

  await page.getByLabel(/^Codes: one per line/).fill("fans-2026");
  await page.getByRole("combobox", { name: /^Discount/ }).selectOption("percent");
  await page.getByLabel("Percent or amount").fill("20");
  await page.getByRole("button", { name: "Make codes" }).click();
  await expect(page.getByTestId("codes-made")).toHaveText("Made 1 code.");
  await expect(page.getByTestId("code-row").filter({ hasText: "FANS2026" })).toContainText("20% off");
  await signOut(page);

  // Without the code: only Standing; a wrong code is told plainly.
  await signUp(page, "No Code Nadia", uniqueEmail("nocode"), "no code for me");
  await page.goto(`/events/${event}`);
  await expect(page.getByTestId("ticket-type")).toHaveCount(1);
  await expect(page.getByTestId("ticket-type")).not.toContainText("Fan club");
  await page.getByLabel("Have a code?").fill("NOPE2026");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("code-refused")).toHaveText("This code is not valid for this event.");
  await expect(page.getByTestId("ticket-type")).toHaveCount(1);
  await signOut(page);

  // With the link: the hidden type, each price beside its list price.
  await signUp(page, "Fan Club Fiona", uniqueEmail("fanclub"), "fan club member");
  await page.goto(`/events/${event}?code=fans-2026`);
  await expect(page.getByTestId("code-applied")).toHaveText("Code FANS2026 is applied. 20% off the tickets it covers.");
  const fanClub = page.getByTestId("ticket-type").filter({ hasText: "Fan club" });
  await expect(fanClub.getByTestId("list-price")).toHaveText("€30.00");
  await expect(fanClub.getByTestId("type-price")).toHaveText("€30.00€24.00");
  await hydrated(page);
  await page.getByRole("button", { name: "One more Fan club" }).click();
  await page.getByRole("button", { name: "One more Fan club" }).click();
  await expect(page.getByTestId("quantity-total")).toHaveText("Total €48.00");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("added-to-cart")).toBeVisible();

  await page.goto("/cart");
  await hydrated(page);
  await expect(page.getByTestId("cart-line")).toContainText("€24.00 each with code FANS2026 (list price €30.00)");
  await expect(page.getByTestId("cart-code")).toContainText(`Code FANS2026 for ${title}`);
  await expect(page.getByTestId("cart-total")).toHaveText("Total €48.00");
  await page.getByRole("button", { name: "Check out" }).click();
  await expect(page).toHaveURL(/\/pay\/cs_/);
  await expect(page.locator("body")).toContainText("Total48.00 EUR");
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Paid. 2 tickets issued.", { timeout: 20_000 });
  await expect(page.getByTestId("order-line-code")).toHaveText("Code FANS2026: €6.00 off each ticket");
  await signOut(page);

  // The organizer sees the code's sales.
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, `/signin?next=/organizer/events/${event}/sales`);
  const sold = page.getByTestId("code-sales-row").filter({ hasText: "FANS2026" });
  await expect(sold.locator("td")).toHaveText(["FANS2026", "2", "€12.00", "€48.00"]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a code typed on the event's page applies, and a wrong one is told", async ({ page }) => {
    await page.goto("/?q=quay");
    const event = (await page.getByRole("link", { name: "Jazz on the Quay" }).getAttribute("href"))!;
    await page.goto(event);
    await page.getByLabel("Have a code?").fill("not a code");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/\?code=not\+a\+code$/);
    await expect(page.getByTestId("code-refused")).toHaveText("This code is not valid for this event.");
    await expect(page.getByTestId("ticket-type").first()).toBeVisible();
    // The demo's code, typed as a person types it: 10% off, beside the list price.
    await page.getByLabel("Have a code?").fill("jazz-friends");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByTestId("code-applied")).toHaveText("Code JAZZFRIENDS is applied. 10% off the tickets it covers.");
    await expect(page.getByTestId("ticket-type").first().getByTestId("list-price")).toHaveText("£25.00");
    await expect(page.getByTestId("ticket-type").first().getByTestId("type-price")).toHaveText("£25.00£22.50");
  });
});

test("a presale in the waiting room lets the code holder through and keeps everyone else for the general draw", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const title = `Presale Night ${Date.now()}`;
  // On sale now, queued, with a presale for code holders until tomorrow.
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer/events/new");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Venue").fill("Presale Hall");
  await page.getByLabel("Time zone of the event").fill("UTC");
  // Not at the demo's £10 and under: the home page's price filter counts those.
  await page.getByLabel("Price").fill("12");
  await page.getByLabel("Quantity").fill("20");
  // Open since a minute ago, on the venue's clock (UTC).
  await page.getByLabel("Sale opens (local time)").first().fill(new Date(Date.now() - 60_000).toISOString().slice(0, 16));
  await page.getByLabel("Status").selectOption("published");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);
  const event = new URL(page.url()).searchParams.get("saved")!;
  await page.goto(`/organizer/events/${event}/sales`);
  await page.getByLabel("Queue visitors for this event's on-sale").check();
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 16);
  await page.getByTestId("presale-until").fill(tomorrow);
  await page.getByTestId("queue-switch").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("queue-state")).toContainText("only accounts that entered one of this event's codes");
  await page.goto(`/organizer/events/${event}/codes`);
  await page.getByLabel(/^Codes: one per line/).fill("EARLYBIRD");
  await page.getByRole("button", { name: "Make codes" }).click();
  await expect(page.getByTestId("codes-made")).toHaveText("Made 1 code.");

  // Without a code: a place in the general draw, not let through.
  const other = await (await browser.newContext()).newPage();
  await signUp(other, "General Gus", uniqueEmail("general"), "general sale for me");
  await other.goto(`/events/${event}`);
  await expect(other.getByTestId("presale-notice")).toBeVisible();
  await other.getByRole("link", { name: "Wait in the queue" }).click();
  await expect(other.getByTestId("queue-page")).toContainText("Your place is in the general sale's draw");

  // With the code from the organizer's link: let through.
  const fan = await (await browser.newContext()).newPage();
  await signUp(fan, "Early Bird Edda", uniqueEmail("earlybird"), "early bird member");
  await fan.goto(`/events/${event}?code=earlybird`);
  await expect(fan.getByTestId("code-applied")).toBeVisible();
  await fan.getByRole("link", { name: "Wait in the queue" }).click();
  await expect(fan.getByTestId("queue-admitted")).toBeVisible({ timeout: 60_000 });
  // Meanwhile the other visitor still waits.
  await expect(other).toHaveURL(new RegExp(`/queue/${event}$`));
  await other.reload();
  await expect(other.getByTestId("queue-page")).toContainText("Your place is in the general sale's draw");
});

test("a quota keeps its seats for code holders: everyone else sees the rest of the capacity", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const title = `Quota Night ${Date.now()}`;
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer/events/new");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Venue").fill("Quota Hall");
  await page.getByLabel("Time zone of the event").fill("UTC");
  await page.getByLabel("Capacity shared by all types (optional)").fill("12");
  const types = page.getByTestId("type-editor");
  await types.nth(0).getByLabel("Name").fill("Standing");
  await types.nth(0).getByLabel("Price").fill("15");
  await types.nth(0).getByLabel("Quantity").fill("12");
  await types.nth(0).getByLabel("Sale opens (local time)").fill(new Date(Date.now() - 60_000).toISOString().slice(0, 16));
  await page.getByRole("button", { name: "Add a ticket type" }).click();
  await types.nth(1).getByLabel("Name").fill("Fan club");
  await types.nth(1).getByLabel("Price").fill("15");
  await types.nth(1).getByLabel("Quantity").fill("4");
  await types.nth(1).getByLabel("Hidden: not listed on the event's page").check();
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 16);
  // A quota on a listed type is refused as the organizer types.
  await types.nth(0).getByLabel(/set its seats aside for code holders/).fill(tomorrow);
  await expect(page.getByTestId("error-types-0-quota_until")).toContainText("Only a hidden type sets seats aside");
  await types.nth(0).getByLabel(/set its seats aside for code holders/).fill("");
  await types.nth(1).getByLabel(/set its seats aside for code holders/).fill(tomorrow);
  await page.getByLabel("Status").selectOption("published");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);
  const event = new URL(page.url()).searchParams.get("saved")!;
  await page.goto(`/organizer/events/${event}/codes`);
  await page.getByLabel(/^Codes: one per line/).fill("QUOTAFANS");
  await page.getByRole("button", { name: "Make codes" }).click();
  await expect(page.getByTestId("codes-made")).toHaveText("Made 1 code.");

  // Without the code: 8 of the 12 seats, no Fan club.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`/events/${event}`);
  await expect(visitor.getByTestId("ticket-type")).toHaveCount(1);
  await expect(visitor.getByTestId("ticket-type")).toContainText("Only 8 left");
  // With it: the quota's four, and until when they are kept.
  await visitor.goto(`/events/${event}?code=quotafans`);
  const quota = visitor.getByTestId("ticket-type").filter({ hasText: "Fan club" });
  await expect(quota).toContainText("Only 4 left");
  await expect(quota.getByTestId("quota-until")).toContainText("Set aside for code holders until");
});
