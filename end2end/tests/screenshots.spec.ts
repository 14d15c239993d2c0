import { test, expect, hydrated, signIn, DEMO_PASSWORD } from "./helpers";

// The book's screenshots (docs/src/img, not kept in git): each page as a
// buyer, an organizer and an admin meet it, on a phone and on a desktop. Each
// shot waits for what the page is for, so a broken page fails here rather
// than ending up in the guide.
const dir = "../docs/src/img";
const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 900 };

test("the guide's screenshots: buyer, organizer and admin pages", async ({ page }) => {
  for (const [size, viewport] of [["phone", phone], ["desktop", desktop]] as const) {
    await page.setViewportSize(viewport);
    await page.goto("/");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Find your next night out" })).toBeVisible();
    await page.screenshot({ path: `${dir}/catalogue-${size}.png` });

    await page.getByRole("link", { name: /Jazz on the Quay/ }).first().click();
    await hydrated(page);
    await expect(page.getByRole("button", { name: "Add to cart" })).toBeVisible();
    await page.screenshot({ path: `${dir}/event-${size}.png`, fullPage: true });
  }

  await page.setViewportSize(desktop);
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await expect(page.getByTestId("my-event-row").first()).toBeVisible();
  await page.screenshot({ path: `${dir}/organizer.png`, fullPage: true });

  const row = page.getByTestId("my-event-row").filter({ hasText: "Jazz on the Quay" });
  await row.getByRole("link", { name: "Edit" }).click();
  await hydrated(page);
  await expect(page.getByLabel("Title", { exact: true })).toHaveValue("Jazz on the Quay");
  await page.screenshot({ path: `${dir}/editor.png`, fullPage: true });

  await page.goto("/organizer");
  await row.getByRole("link", { name: "Sales" }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { name: /Jazz on the Quay/ })).toBeVisible();
  await page.screenshot({ path: `${dir}/sales.png`, fullPage: true });

  await page.goto("/organizer");
  await row.getByRole("link", { name: "Check-in" }).click();
  await hydrated(page);
  await expect(page.getByLabel("Ticket code")).toBeVisible();
  await page.setViewportSize(phone);
  await page.screenshot({ path: `${dir}/door-phone.png` });

  await page.setViewportSize(desktop);
  await page.context().clearCookies();
  await signIn(page, "admin@example.com", DEMO_PASSWORD, "/signin?next=/admin");
  await expect(page.getByRole("heading", { name: "Admin dashboard" })).toBeVisible();
  await page.screenshot({ path: `${dir}/admin.png`, fullPage: true });
});
