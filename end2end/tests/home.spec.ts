import { expect, hydrated, test } from "./helpers";

test("home page lists the seeded events; sorting lives in the URL once hydrated", async ({ page }) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));

  await page.goto("/");
  const cards = page.getByTestId("event-card");
  await expect(cards).toHaveCount(12);
  await expect(page.getByRole("heading", { name: "Find your next night out" })).toBeVisible();
  await expect(cards.first()).toContainText("The Laughing Lighthouse Comedy Night");
  await hydrated(page);

  await page.getByRole("link", { name: "Lowest price" }).click();
  await expect(page).toHaveURL(/\?sort=price$/);
  // The day pass's free child ticket makes it the cheapest: "Free and paid", not "from €0.00".
  await expect(cards.first()).toContainText("Nordic Folk Festival");
  await expect(cards.first().getByTestId("event-price")).toHaveText("Free and paid");
  // €5 and £5 do not compare: each currency is sorted on its own, and the page says so.
  await expect(page.getByTestId("result-count")).toContainText("cheapest first within each currency (EUR, then GBP)");
  const prices = await cards.getByTestId("event-price").allTextContents();
  const lastEuro = prices.findLastIndex((p) => p.includes("€"));
  const firstPound = prices.findIndex((p) => p.includes("£"));
  expect(lastEuro, prices.join(" | ")).toBeLessThan(firstPound);
  const titles = await cards.getByRole("heading").allTextContents();
  const vinyl = titles.findIndex((t) => t.includes("Indie Vinyl Market"));
  expect(prices[vinyl]).toBe("£5.00");
  expect(vinyl).toBeLessThan(titles.findIndex((t) => t.includes("Kids' Science Show")));

  await page.getByRole("link", { name: "Soonest first" }).click();
  await expect(cards.first()).toContainText("The Laughing Lighthouse Comedy Night");
  // The back button returns to the previous ordering.
  await page.goBack();
  await expect(cards.first()).toContainText("Nordic Folk Festival");

  expect(pageErrors).toEqual([]);
});

test("search updates as you type, and the URL can be shared", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("searchbox").fill("jaz");
  await expect(page).toHaveURL(/\?q=jaz$/);
  await expect(page.getByTestId("event-card")).toHaveCount(1);
  await expect(page.getByTestId("event-card")).toContainText("Jazz on the Quay");

  await page.getByLabel("Max price").fill("10");
  await page.getByLabel("Max price").blur();
  await expect(page.getByTestId("no-results")).toBeVisible();

  await page.goto("/?max_price=10&sort=price");
  await expect(page.getByTestId("event-card")).toHaveCount(3);
  await expect(page.getByTestId("event-card").first()).toContainText("Nordic Folk Festival");
  await expect(page.getByTestId("event-card").nth(1)).toContainText("Indie Vinyl");
  await expect(page.getByLabel("Max price")).toHaveValue("10");
});

test("opening an event shows its page and a bounded quantity picker", async ({ page }) => {
  await page.goto("/?q=tempest");
  await hydrated(page);
  await page.getByRole("link", { name: "Shakespeare in the Round: The Tempest" }).click();
  await expect(page.getByTestId("event-title")).toHaveText("Shakespeare in the Round: The Tempest");
  await hydrated(page);
  await expect(page.getByTestId("availability")).toHaveText("Only 8 left");
  await expect(page.getByTestId("quantity-total")).toHaveText("Total £29.00");
  const more = page.getByRole("button", { name: "One more Admission" });
  for (let i = 0; i < 10; i++) {
    if (await more.isDisabled()) break;
    await more.click();
  }
  await expect(page.locator("#quantity-0")).toHaveValue("8");
  await expect(more).toBeDisabled();
  await expect(page.getByTestId("quantity-total")).toHaveText("Total £232.00");
});

test("an unknown page answers 404 with a way back", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Browse events" }).click();
  await expect(page.getByTestId("event-card").first()).toBeVisible();
});

test("a buyer's pages never fetch the organizer's or the admin's code", async ({ page }) => {
  const chunks: string[] = [];
  page.on("request", (request) => {
    if (/\/pkg\/.*\.wasm$/.test(request.url())) chunks.push(new URL(request.url()).pathname);
  });
  await page.goto("/?q=tempest");
  await hydrated(page);
  // The catalogue is in the main bundle: no chunk is fetched for it.
  expect(chunks.filter((c) => /split_/.test(c))).toEqual([]);
  await page.getByRole("link", { name: "Shakespeare in the Round: The Tempest" }).click();
  await expect(page.getByTestId("event-title")).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("added-to-cart")).toBeVisible();
  await page.goto("/cart");
  await hydrated(page);
  await page.goto("/signin");
  await hydrated(page);
  expect(chunks.some((c) => /split_ticket_picker/.test(c))).toBe(true);
  expect(chunks.some((c) => /split_cart_contents/.test(c))).toBe(true);
  expect(chunks.filter((c) => /split_(event_editor|door_check_in|decode_rgba_frame)/.test(c))).toEqual([]);
});

test("a search that cannot match says why", async ({ page }) => {
  await page.goto("/?min_price=30&max_price=10");
  await expect(page.getByTestId("no-results")).toContainText("the lowest price asked for is above the highest");
  await page.goto("/?from=2031-02-01&to=2031-01-01");
  await expect(page.getByTestId("no-results")).toContainText("the “From” date is after the “To” date");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the search form still filters", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("searchbox").fill("berlin");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/q=berlin/);
    await expect(page.getByTestId("event-card")).toHaveCount(1);
    await expect(page.getByTestId("event-card")).toContainText("Berlin Techno Marathon");
  });
});
