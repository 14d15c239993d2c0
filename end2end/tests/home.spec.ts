import { expect, test } from "@playwright/test";

test("home page lists the seeded events and its sort control works once hydrated", async ({ page }) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));

  await page.goto("/");
  const cards = page.getByTestId("event-card");
  await expect(cards).toHaveCount(12);
  await expect(page.getByRole("heading", { name: "Find your next night out" })).toBeVisible();
  // Soonest first on the server-rendered page.
  await expect(cards.first()).toContainText("The Laughing Lighthouse Comedy Night");

  // The wasm bundle marks the body once the page is interactive.
  await expect(page.locator("body[data-hydrated]")).toBeAttached();

  const cheapest = page.getByRole("button", { name: "Lowest price" });
  await cheapest.click();
  await expect(cheapest).toHaveAttribute("aria-pressed", "true");
  await expect(cards.first()).toContainText("Indie Vinyl Market and Live Sets");
  await expect(cards.first().getByTestId("event-price")).toHaveText("£5.00");
  await expect(cards.last()).toContainText("Rust Nation Conference 2027");

  await page.getByRole("button", { name: "Soonest first" }).click();
  await expect(cards.first()).toContainText("The Laughing Lighthouse Comedy Night");

  expect(pageErrors).toEqual([]);
});

test("an unknown page answers 404 with a way back", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Browse events" }).click();
  await expect(page.getByTestId("event-card").first()).toBeVisible();
});
