import path from "path";
import { DEMO_PASSWORD, expect, hydrated, signIn, signOut, test } from "./helpers";

test("an organizer creates a listing with a live preview, publishes it, and a buyer finds it", async ({ page }) => {
  const title = `Lighthouse Folk Session ${Date.now()}`;
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await expect(page.getByTestId("organizer-area")).toBeVisible();
  await page.getByRole("link", { name: "New event" }).click();
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);

  const preview = page.getByTestId("preview");
  await page.getByLabel("Title", { exact: true }).fill(title);
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
  await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);
  await expect(page.getByTestId("saved")).toHaveText(`“${title}” is saved. It is published: buyers can see it.`);
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

test("an organizer gives the event a German title, which a German visitor reads", async ({ page }) => {
  const stamp = Date.now();
  const [title, german] = [`Harbour Lights ${stamp}`, `Hafenlichter ${stamp}`];
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer/events/new");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Venue").fill("Pier Head, Liverpool");
  await page.getByLabel("Price").fill("15");
  await page.getByLabel("Quantity").fill("30");
  // Written in English: there is no English box to fill in.
  await expect(page.getByLabel("Title and description written in")).toHaveValue("en");
  await expect(page.getByTestId("translation-en")).toBeHidden();
  await page.getByLabel("Description in German").fill("Ein Abend am Wasser.");
  await page.getByLabel("Status").selectOption("published");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page.getByTestId("error-translations[de].title")).toHaveText(
    "Give the German title too, or clear this translation.",
  );
  await page.getByLabel("Title in German").fill(german);
  await expect(page.getByTestId("error-translations[de].title")).toHaveText("");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);
  const saved = new URL(page.url()).searchParams.get("saved");
  await signOut(page);

  // A visitor who switches to German finds it by its German title and reads it in German.
  await page.goto("/");
  await page.getByRole("button", { name: "Deutsch" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await hydrated(page);
  await page.getByRole("searchbox").fill("hafenlichter");
  await expect(page.getByTestId("event-card").filter({ hasText: german })).toBeVisible();
  await page.goto(`/events/${saved}`);
  await expect(page.getByTestId("event-title")).toHaveText(german);
  await expect(page.getByTestId("event-description")).toHaveText("Ein Abend am Wasser.");
  // Back in English, the event's own title.
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByTestId("event-title")).toHaveText(title);
});

test("the server's rules show next to the field", async ({ page }) => {
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer/events/new");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill("Broken times");
  await page.getByLabel("Venue").fill("Somewhere");
  await page.getByLabel("Price").fill("10");
  await page.getByLabel("Quantity").fill("10");
  await page.getByLabel("Event ends (local time)").fill("2020-01-01T10:00");
  await expect(page.getByTestId("error-ends_at")).toHaveText("The event must end after it starts.");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page.getByTestId("error-ends_at")).toHaveText("The event must end after it starts.");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
});

test("times are entered and shown on the venue's clock, in the zone chosen from the list", async ({ page }) => {
  const title = `Helsinki Harbour Sauna Night ${Date.now()}`;
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer/events/new");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Venue").fill("Löyly, Helsinki");
  await page.getByLabel("Price").fill("15");
  await page.getByLabel("Quantity").fill("25");
  const zone = page.getByLabel("Time zone of the event");
  await zone.fill("Europe/Atlantis");
  await expect(page.getByTestId("error-time_zone")).toHaveText(
    "Choose the venue's time zone from the list (e.g. Europe/Berlin).",
  );
  // The list the browser searches as the organizer types.
  await expect(page.locator("datalist#time-zones option[value='Europe/Helsinki']")).toHaveCount(1);
  await zone.fill("Europe/Helsinki");
  await expect(page.getByTestId("error-time_zone")).toHaveText("");
  await page.getByLabel("Event starts (local time)").fill("2031-02-10T19:30");
  await page.getByLabel("Event ends (local time)").fill("2031-02-10T22:00");
  await expect(page.getByTestId("preview")).toContainText("Mon, 10 Feb 2031, 19:30 Europe/Helsinki");
  await page.getByLabel("Status").selectOption("published");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);
  await page.getByTestId("my-event-row").filter({ hasText: title }).getByRole("link", { name: title }).click();
  await expect(page.getByTestId("event-title")).toHaveText(title);
  await expect(page.getByText("Mon, 10 Feb 2031, 19:30 EET", { exact: true })).toBeVisible();
  await expect(page.getByTestId("time-zone")).toContainText("Europe/Helsinki");
});

test("sale windows follow the event's start, and a sale closing early needs the organizer's word", async ({ page }) => {
  const title = `Harbour Lights Gala ${Date.now()}`;
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer/events/new");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Venue").fill("Harbour Hall, Cobh");
  await page.getByLabel("Price").fill("30");
  await page.getByLabel("Quantity").fill("50");
  // The organizer moves the event months later: its sale still closes when it starts.
  await page.getByLabel("Event starts (local time)").fill("2031-03-20T20:00");
  await page.getByLabel("Event ends (local time)").fill("2031-03-20T23:00");
  await expect(page.getByLabel("Sale closes (local time)")).toHaveValue("2031-03-20T20:00");
  const confirm = page.getByTestId("window-confirm");
  await expect(confirm).toBeHidden();

  // Closing the sale two months early is asked about, in the browser and by the server.
  await page.getByLabel("Sale closes (local time)").fill("2031-01-10T20:00");
  await expect(confirm).toBeVisible();
  await expect(page.getByTestId("error-types-0-window_confirmed")).toContainText("more than a day before the event starts");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page.getByTestId("error-types-0-window_confirmed")).toContainText("more than a day before the event starts");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  // Moving the event no longer moves a window the organizer set.
  await page.getByLabel("Event starts (local time)").fill("2031-03-21T20:00");
  await expect(page.getByLabel("Sale closes (local time)")).toHaveValue("2031-01-10T20:00");
  await page.getByLabel("Event starts (local time)").fill("2031-03-20T20:00");

  await confirm.getByLabel("Yes, this sale window is what I want").check();
  await expect(page.getByTestId("error-types-0-window_confirmed")).toHaveText("");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);

  // A draft's page says one thing: it is a draft (no "Available", no picker).
  const row = page.getByTestId("my-event-row").filter({ hasText: title });
  await row.getByRole("link", { name: title }).click();
  await expect(page.getByTestId("sale-state")).toHaveText(
    "Draft: only you can see this page. Publish the event to sell tickets.",
  );
  await expect(page.getByTestId("availability")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add to cart" })).toHaveCount(0);

  // Edited again, the confirmed window stays confirmed.
  await page.goBack();
  await row.getByRole("link", { name: "Edit" }).click();
  await hydrated(page);
  await expect(confirm.getByLabel("Yes, this sale window is what I want")).toBeChecked();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the editor still saves, and its spare row adds a ticket type", async ({ page }) => {
    const title = `No Script Ceilidh ${Date.now()}`;
    await page.goto("/signin?next=/organizer/events/new");
    await page.getByLabel("Email").fill("organizer@example.com");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
    await page.getByLabel("Title", { exact: true }).fill(title);
    await page.getByLabel("Venue").fill("Village Hall, Pitlochry");
    const types = page.getByTestId("type-editor");
    await expect(types).toHaveCount(2);
    await types.nth(0).getByLabel("Name").fill("Dancers");
    // Prices above the seeded cheap events, which the catalogue's tests sort.
    await types.nth(0).getByLabel("Price").fill("22");
    await types.nth(0).getByLabel("Quantity").fill("60");
    await types.nth(1).getByLabel("Name").fill("Watchers");
    await types.nth(1).getByLabel("Price").fill("14");
    await types.nth(1).getByLabel("Quantity").fill("20");
    await page.getByLabel("Status").selectOption("published");
    await page.getByRole("button", { name: "Save event" }).click();
    await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);
    const row = page.getByTestId("my-event-row").filter({ hasText: title });
    await expect(row.getByTestId("my-type-row")).toHaveCount(2);
    await expect(row.getByTestId("my-type-row").nth(1)).toContainText("Watchers");

    // Editing it again: the spare row left empty adds nothing.
    await row.getByRole("link", { name: "Edit" }).click();
    await expect(types).toHaveCount(3);
    await page.getByRole("button", { name: "Save event" }).click();
    await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);
    await expect(row.getByTestId("my-type-row")).toHaveCount(2);
  });

  test("a sale closing long before the event is refused next to its box", async ({ page }) => {
    await page.goto("/signin?next=/organizer/events/new");
    await page.getByLabel("Email").fill("organizer@example.com");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
    await page.getByLabel("Title", { exact: true }).fill(`Early Close ${Date.now()}`);
    await page.getByLabel("Venue").fill("Town Hall");
    const first = page.getByTestId("type-editor").nth(0);
    await first.getByLabel("Price").fill("10");
    await first.getByLabel("Quantity").fill("10");
    await page.getByLabel("Event starts (local time)").fill("2031-05-01T20:00");
    await page.getByLabel("Event ends (local time)").fill("2031-05-01T23:00");
    await first.getByLabel("Sale closes (local time)").fill("2031-02-01T20:00");
    await page.getByRole("button", { name: "Save event" }).click();
    await expect(page).toHaveURL(/\/organizer\/events\/new/);
    const confirm = page.getByTestId("window-confirm").first();
    await expect(confirm).toBeVisible();
    await expect(confirm).toContainText("more than a day before the event starts");
    await expect(confirm.getByLabel("Yes, this sale window is what I want")).toBeVisible();
  });
});

test("an organizer uploads a cover: refused when too small, then shown on the card and the page", async ({ page }) => {
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  const row = page.getByTestId("my-event-row").filter({ hasText: "Berlin Techno Marathon" });
  await row.getByRole("link", { name: "Edit" }).click();
  await expect(page).toHaveURL(/\/edit$/);
  const section = page.getByTestId("cover-section");
  // The demo's own cover, replaced below.
  const demoCover = (await page.getByTestId("current-cover").getAttribute("src"))!;
  expect(demoCover).toMatch(/^\/covers\/[0-9a-f]{32}\.jpg$/);

  await section.getByLabel("New cover").setInputFiles(path.join(__dirname, "../fixtures/too-small.png"));
  await section.getByRole("button", { name: "Upload cover" }).click();
  await expect(page.getByTestId("cover-error")).toHaveText("The image is too small: at least 640 × 320 pixels, please.");
  await expect(page.getByTestId("current-cover")).toHaveAttribute("src", demoCover);

  await section.getByLabel("New cover").setInputFiles(path.join(__dirname, "../fixtures/cover.png"));
  await section.getByRole("button", { name: "Upload cover" }).click();
  await expect(page).toHaveURL(/^[^?]*\/edit\?cover=saved$/);
  await expect(page.getByTestId("cover-error")).toHaveText("");
  await expect(page.getByTestId("cover-saved")).toHaveText("Cover saved.");
  const current = page.getByTestId("current-cover");
  await expect(current).toHaveAttribute("src", /^\/covers\/[0-9a-f]{32}\.jpg$/);
  const src = (await current.getAttribute("src"))!;
  expect(src).not.toBe(demoCover);
  // Loaded for real: a decoded image, 800 × 450 as uploaded (it fits within 1600 × 1000).
  await expect.poll(() => current.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(800);

  await page.goto("/?q=techno");
  const card = page.getByTestId("event-card").filter({ hasText: "Berlin Techno Marathon" });
  await expect(card.getByTestId("event-cover")).toHaveAttribute("src", src);
  await card.getByRole("link", { name: "Berlin Techno Marathon" }).click();
  await expect(page.getByTestId("event-cover")).toHaveAttribute("src", src);
  // Other events keep their own covers.
  await page.goto("/?q=jazz");
  const jazz = page.getByTestId("event-card").getByTestId("event-cover");
  await expect(jazz).toHaveAttribute("src", /^\/covers\/[0-9a-f]{32}\.jpg$/);
  expect(await jazz.getAttribute("src")).not.toBe(src);
});
