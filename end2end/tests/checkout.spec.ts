import { expect, type Page, test } from "@playwright/test";
import { hydrated, signUp, uniqueEmail } from "./helpers";

async function addToCart(page: Page, search: string, title: string, quantity: number) {
  await page.goto(`/?q=${encodeURIComponent(search)}`);
  await hydrated(page);
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByTestId("ticket-title")).toHaveText(title);
  await page.locator("#quantity").fill(String(quantity));
  await page.locator("#quantity").blur();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("added-to-cart")).toBeVisible();
}

async function availability(page: Page, search: string, title: string): Promise<string> {
  await page.goto(`/?q=${encodeURIComponent(search)}`);
  await page.getByRole("link", { name: title }).click();
  return (await page.getByTestId("availability").textContent()) ?? "";
}

test("a buyer adds two tickets, pays with 4242 on the Stripe page and sees the paid order", async ({ page }) => {
  await signUp(page, "Paying Buyer", uniqueEmail("payer"), "pay me please");
  await addToCart(page, "quay", "Jazz on the Quay", 1);
  await addToCart(page, "lighthouse comedy", "The Laughing Lighthouse Comedy Night", 1);
  await expect(page.getByTestId("cart-count")).toHaveText(" (2)");

  await page.goto("/cart");
  await hydrated(page);
  await expect(page.getByTestId("cart-line")).toHaveCount(2);
  await expect(page.getByTestId("cart-total")).toHaveText("Total £43.00");
  await page.getByRole("button", { name: "Check out" }).click();

  // The emulator's hosted payment page.
  await expect(page).toHaveURL(/\/pay\/cs_/);
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();

  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]+\?session_id=cs_/);
  await expect(page.getByTestId("order-status")).toHaveText("Paid. 2 ticket(s) issued.", { timeout: 20_000 });
  // One pass per seat, each with its QR code.
  await expect(page.getByTestId("order-passes").getByRole("link")).toHaveCount(2);
  await page.getByTestId("order-passes").getByRole("link").first().click();
  await expect(page.getByTestId("pass")).toBeVisible();
  await expect(page.getByTestId("pass").locator("svg")).toBeVisible();
  await expect(page.getByTestId("pass-code")).toHaveText(/^[0-9a-f]{40}$/);
  await page.goto("/cart");
  await expect(page.getByTestId("cart-empty")).toBeVisible();
});

test("a declined card leaves the order pending and the seats held until the hold expires", async ({ page }) => {
  test.setTimeout(150_000);
  await signUp(page, "Declined Buyer", uniqueEmail("declined"), "declined card");
  const before = await availability(page, "tempest", "Shakespeare in the Round: The Tempest");
  await addToCart(page, "tempest", "Shakespeare in the Round: The Tempest", 2);
  await page.goto("/cart");
  await hydrated(page);
  await page.getByRole("button", { name: "Check out" }).click();
  await expect(page).toHaveURL(/\/pay\/cs_/);
  await page.getByLabel("Card number").fill("4000 0000 0000 0002");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByText("Your card was declined.")).toBeVisible();

  // Back in the shop: the order waits for payment and its two seats are held.
  await page.goto("/cart");
  await expect(page.getByTestId("pending-order")).toBeVisible();
  const held = await availability(page, "tempest", "Shakespeare in the Round: The Tempest");
  const count = (text: string) => Number(/(\d+)/.exec(text)?.[1] ?? "0");
  expect(count(held)).toBe(count(before) - 2);

  // The hold (60 s in this run) runs out; the sweeper expires it at Stripe and releases the seats.
  await expect
    .poll(async () => count(await availability(page, "tempest", "Shakespeare in the Round: The Tempest")), {
      timeout: 120_000,
      intervals: [5_000],
    })
    .toBe(count(before));
  await page.goto("/cart");
  await expect(page.getByTestId("pending-order")).toHaveCount(0);
});
