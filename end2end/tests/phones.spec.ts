import { type Page } from "@playwright/test";
import { DEMO_PASSWORD, expect, hydrated, signIn, signOut, test } from "./helpers";

// A 390 px phone (an iPhone 12 to 15's CSS width).
test.use({ viewport: { width: 390, height: 844 } });

/** No page may scroll sideways: tables scroll inside their own box. */
async function fitsTheScreen(page: Page, path: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  if (new URL(page.url()).pathname + new URL(page.url()).search !== path) await page.goto(path);
  await page.waitForLoadState("networkidle");
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    screen: window.innerWidth,
  }));
  expect(widths.page, `${path} scrolls sideways`).toBeLessThanOrEqual(widths.screen);
}

test("the home page shows an event on the first screen, its filters folded away", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const first = page.getByTestId("event-card").first();
  const box = (await first.boundingBox())!;
  expect(box.y, "the first event starts on the first screen").toBeLessThan(844 - 120);
  await expect(page.getByLabel("Min price")).toBeHidden();
  await page.getByTestId("filters-toggle").click();
  await expect(page.getByLabel("Min price")).toBeVisible();
  // A filter in the address opens them.
  await page.goto("/?min_price=5");
  await expect(page.getByLabel("Min price")).toBeVisible();
});

test("no page scrolls sideways on a phone", async ({ page }) => {
  test.setTimeout(90_000);
  const guestPages = ["/", "/?sort=price", "/signin", "/signup", "/cart"];
  for (const path of guestPages) await fitsTheScreen(page, path);
  await page.goto("/?q=quay");
  const event = await page.getByRole("link", { name: "Jazz on the Quay" }).getAttribute("href");
  await fitsTheScreen(page, event!);

  await signIn(page, "buyer@example.com", DEMO_PASSWORD);
  await expect(page).not.toHaveURL(/\/signin/);
  for (const path of ["/orders", "/account"]) await fitsTheScreen(page, path);
  await signOut(page);

  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await expect(page.getByTestId("organizer-area")).toBeVisible();
  await fitsTheScreen(page, "/organizer");
  const row = page.getByTestId("my-event-row").filter({ hasText: "Jazz on the Quay" });
  const edit = await row.getByRole("link", { name: "Edit" }).getAttribute("href");
  const base = edit!.replace(/\/edit$/, "");
  for (const path of ["/organizer/events/new", edit!, `${base}/sales`, `${base}/orders`, `${base}/checkin`, `${base}/staff`, `${base}/codes`]) {
    await fitsTheScreen(page, path);
  }
  await signOut(page);

  await signIn(page, "admin@example.com", DEMO_PASSWORD, "/signin?next=/admin");
  await expect(page).toHaveURL(/\/admin$/);
  await page.waitForLoadState("networkidle");
  await fitsTheScreen(page, "/admin");
});

test("the keyboard's first stop skips the header", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  await expect(page.locator("main#main")).toBeFocused();
});
