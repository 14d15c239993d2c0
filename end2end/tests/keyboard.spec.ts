import { type Locator, type Page } from "@playwright/test";
import { expect, hydrated, signOut, signUp, test, uniqueEmail } from "./helpers";

/**
 * Presses Tab until `target` has the focus (as a keyboard user would, never
 * clicking), and checks the focus can be seen there.
 */
async function tabTo(page: Page, target: Locator, most = 80): Promise<void> {
  const element = await target.elementHandle();
  expect(element, "the control is on the page").not.toBeNull();
  for (let n = 0; n < most; n++) {
    await page.keyboard.press("Tab");
    if (await element!.evaluate((el) => el === document.activeElement)) {
      const seen = await element!.evaluate((el) => {
        const style = getComputedStyle(el);
        return (style.outlineStyle !== "none" && style.outlineWidth !== "0px") || style.boxShadow !== "none";
      });
      expect(seen, "the focus is visible").toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${target}`);
}

test("a keyboard alone buys a ticket: sign-in, search, event, cart, payment, order, ticket", async ({ page }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("keyboard");
  await signUp(page, "Keyboard Kim", email, "no mouse at all");
  // Signing in again, with the keyboard alone.
  await signOut(page);
  await page.goto("/signin");
  await hydrated(page);
  await tabTo(page, page.getByLabel("Email"));
  await page.keyboard.type(email);
  await tabTo(page, page.getByLabel("Password"));
  await page.keyboard.type("no mouse at all");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("signed-in-as")).toHaveText("Keyboard Kim");

  await page.goto("/");
  await hydrated(page);
  await tabTo(page, page.getByRole("searchbox"));
  await page.keyboard.type("quay");
  await expect(page).toHaveURL(/\?q=quay$/);
  await tabTo(page, page.getByRole("link", { name: "Jazz on the Quay" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/events\/[0-9a-f-]{36}/);
  await hydrated(page);

  await tabTo(page, page.locator("#quantity-0"));
  await page.keyboard.type("1");
  await tabTo(page, page.getByRole("button", { name: "Add to cart" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("added-to-cart")).toBeVisible();

  await page.keyboard.press("Home");
  await tabTo(page, page.getByRole("link", { name: /^Cart/ }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/cart$/);
  await hydrated(page);
  await tabTo(page, page.getByRole("button", { name: "Check out" }));
  await page.keyboard.press("Enter");

  // Stripe's page (the emulator's).
  await expect(page.getByLabel("Card number")).toBeVisible();
  await tabTo(page, page.getByLabel("Card number"));
  await page.keyboard.type("4242 4242 4242 4242");
  await tabTo(page, page.getByRole("button", { name: "Pay" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("order-status")).toHaveText(/^Paid\./, { timeout: 20_000 });

  await tabTo(page, page.getByTestId("order-tickets").getByRole("link").first());
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("ticket-code")).toBeVisible();
  // The code has a text alternative for a screen reader.
  await expect(page.getByTestId("ticket-qr")).toHaveAccessibleName(/\S/);
});
