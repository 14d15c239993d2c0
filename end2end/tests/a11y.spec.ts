import AxeBuilder from "@axe-core/playwright";
import { type Page } from "@playwright/test";
import { addToCart, DEMO_PASSWORD, expect, hydrated, signIn, test, wcagViolations } from "./helpers";

/**
 * What axe-core finds against WCAG 2.2 A and AA (contrast, names, ARIA), and
 * headings that skip a level, on a page as a visitor meets it.
 */
async function meetsWcag(page: Page, what: string): Promise<void> {
  const headings = await new AxeBuilder({ page }).withRules(["heading-order", "page-has-heading-one"]).analyze();
  const found = [
    ...(await wcagViolations(page)),
    ...headings.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`),
  ];
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

test("islands tell a screen reader what changed and keep the keyboard's place", async ({ page }) => {
  // The search's count is said as it changes.
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("searchbox").fill("quay");
  await expect(page.getByTestId("results-announcement")).toHaveText("1 event");
  await expect(page.getByTestId("results-announcement")).toHaveAttribute("role", "status");

  // Adding to the cart is announced from a live region that was there before.
  await addToCart(page, "quay", "Jazz on the Quay", 2);
  await expect(page.getByRole("status").filter({ hasText: "Added to your cart." })).toBeVisible();

  // Removing the line whose button had the focus: the focus goes to the
  // cart's summary (not the top of the page) and the change is said.
  await page.goto("/cart");
  await hydrated(page);
  await page.getByRole("button", { name: "Update" }).first().focus();
  await page.locator("input[type=number][name=quantity]").first().fill("1");
  await page.getByRole("button", { name: "Update" }).first().press("Enter");
  await expect(page.getByTestId("cart-announcement")).toHaveText(/^Cart updated\. Total/);
  await page.getByRole("button", { name: "Remove" }).first().focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("cart-announcement")).toHaveText("Your cart is empty.");
  await expect(page.locator("#cart-summary")).toBeFocused();
});
