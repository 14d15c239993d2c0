import { DEMO_PASSWORD, expect, hydrated, signIn, signOut, test } from "./helpers";

test("an organizer creates a listing with a live preview, publishes it, and a buyer finds it", async ({ page }) => {
  const title = `Lighthouse Folk Session ${Date.now()}`;
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await expect(page.getByTestId("organizer-area")).toBeVisible();
  await page.getByRole("link", { name: "New event" }).click();
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);

  const preview = page.getByTestId("preview");
  await page.getByLabel("Title").fill(title);
  await expect(preview).toContainText(title);
  await page.getByLabel("Venue").fill("Old Lighthouse, Whitby");
  await expect(preview).toContainText("Old Lighthouse, Whitby");
  await page.getByLabel("Price").fill("12.50");
  await expect(preview.getByTestId("event-price")).toHaveText("€12.50");
  await page.getByLabel("Currency").selectOption("GBP");
  await expect(preview.getByTestId("event-price")).toHaveText("£12.50");

  // Checked as typed: no seats is refused before anything is sent.
  await page.getByLabel("Quantity").fill("0");
  await expect(page.getByTestId("error-types-0-quantity")).toHaveText("Offer at least 1 ticket.");
  await page.getByLabel("Quantity").fill("40");
  await expect(page.getByTestId("error-types-0-quantity")).toHaveText("");
  await expect(preview).toContainText("Available");

  await page.getByLabel("Status").selectOption("published");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page).toHaveURL(/\/organizer$/);
  const row = page.getByTestId("my-event-row").filter({ hasText: title });
  await expect(row).toContainText("Published");
  await expect(row).toContainText("£12.50");
  await signOut(page);

  await page.goto("/");
  await hydrated(page);
  await page.getByRole("searchbox").fill("lighthouse folk");
  await expect(page.getByTestId("event-card").filter({ hasText: title })).toBeVisible();
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByTestId("event-title")).toHaveText(title);
});

test("the server's rules show next to the field", async ({ page }) => {
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer/events/new");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  await page.getByLabel("Title").fill("Broken times");
  await page.getByLabel("Venue").fill("Somewhere");
  await page.getByLabel("Price").fill("10");
  await page.getByLabel("Quantity").fill("10");
  await page.getByLabel("Event ends (local time)").fill("2020-01-01T10:00");
  await expect(page.getByTestId("error-ends_at")).toHaveText("The event must end after it starts.");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page.getByTestId("error-ends_at")).toHaveText("The event must end after it starts.");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
});
