import { expect, hydrated, test, wcagViolations } from "./helpers";

test.describe("a visitor whose browser asks for German", () => {
  test.use({ locale: "de-DE" });

  test("sees the shop in German from the first request, searches, and switches to French", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Finden Sie Ihren nächsten Abend");
    await expect(page.getByRole("link", { name: "Warenkorb" })).toBeVisible();
    await hydrated(page);
    // The island's search answers in German too (the summary comes from the server).
    await page.getByPlaceholder("Künstler, Veranstaltung oder Ort").fill("quay");
    await expect(page.getByTestId("result-count")).toHaveText("1 Veranstaltung");
    // Money as German writes it: the amount, a comma, the symbol after it.
    await expect(page.getByTestId("event-price").first()).toHaveText(/^(ab )?\d+,\d{2}\s£$/);
    expect(await wcagViolations(page), "the German home page").toEqual([]);

    // The header's switch: French, back on the same search.
    await page.getByRole("button", { name: "Français" }).click();
    await expect(page).toHaveURL(/\/\?q=quay/);
    await expect(page.locator("html")).toHaveAttribute("lang", "fr");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Trouvez votre prochaine sortie");
    await expect(page.getByRole("button", { name: "Français" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByTestId("result-count")).toHaveText("1 événement");
  });
});

test.describe("without JavaScript", () => {
  test.use({ locale: "de-DE", javaScriptEnabled: false });

  test("the switch is a plain form that works", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Finden Sie Ihren nächsten Abend");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Find your next night out");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });
});
