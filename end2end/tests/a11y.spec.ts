import AxeBuilder from "@axe-core/playwright";
import { type Page } from "@playwright/test";
import { DEMO_PASSWORD, expect, hydrated, signIn, test } from "./helpers";

/**
 * What axe-core finds against WCAG 2 A and AA (contrast, names, ARIA), and
 * headings that skip a level, on a page as a visitor meets it.
 */
async function meetsWcag(page: Page, what: string): Promise<void> {
  const wcag = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const headings = await new AxeBuilder({ page }).withRules(["heading-order", "page-has-heading-one"]).analyze();
  const found = [...wcag.violations, ...headings.violations].map(
    (v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`,
  );
  expect(found, `${what}: accessibility violations`).toEqual([]);
}

test("the buyer's pages meet WCAG 2 AA and keep their headings in order", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto("/");
  await hydrated(page);
  await meetsWcag(page, "home");
  // On a phone, folded and open.
  await page.setViewportSize({ width: 390, height: 844 });
  await meetsWcag(page, "home on a phone");
  await page.getByTestId("filters-toggle").click();
  await meetsWcag(page, "home on a phone with its filters open");
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto("/?q=quay");
  await page.getByRole("link", { name: "Jazz on the Quay" }).click();
  await hydrated(page);
  await meetsWcag(page, "event");
  for (const path of ["/signin", "/signup", "/cart"]) {
    await page.goto(path);
    await hydrated(page);
    await meetsWcag(page, path);
  }
});

test("the organizer's editor meets WCAG 2 AA", async ({ page }) => {
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer/events/new");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  await meetsWcag(page, "new event");
  await page.goto("/organizer");
  await expect(page.getByTestId("organizer-area")).toBeVisible();
  await meetsWcag(page, "organizer home");
});
