import { type Page } from "@playwright/test";
import { DEMO_PASSWORD, addToCart, expect, hydrated, signIn, signOut, signUp, test, uniqueEmail } from "./helpers";

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
  await expect(page.getByTestId("order-status")).toHaveText("Paid. 2 tickets issued.", { timeout: 20_000 });
  // The header's cart count follows the order becoming paid, without a reload.
  await expect(page.getByTestId("cart-count")).toHaveText("");
  // The order is named as its mails name it, and says what, when and where.
  const reference = page.url().split("/orders/")[1].slice(0, 8).toUpperCase();
  await expect(page.getByTestId("order-heading")).toHaveText(`Order ${reference}`);
  const events = page.getByTestId("order-events").getByRole("listitem");
  await expect(events).toHaveCount(2);
  await expect(events.getByRole("link", { name: "Jazz on the Quay" })).toBeVisible();
  await expect(events.filter({ hasText: "Jazz on the Quay" })).toContainText(/\d{4}, \d{2}:\d{2} [A-Z+0-9]+ · /);
  // One ticket per seat, each with its QR code.
  await expect(page.getByTestId("order-tickets").getByRole("link")).toHaveCount(2);
  await page.getByTestId("order-tickets").getByRole("link").first().click();
  await expect(page.getByTestId("ticket")).toBeVisible();
  await expect(page.getByTestId("ticket").locator("svg")).toBeVisible();
  await expect(page.getByTestId("ticket-code")).toHaveText(/^[0-9a-f]{40}$/);
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

test("going back from the payment page offers to cancel, and a cancelled order is called cancelled", async ({ page }) => {
  await signUp(page, "Second Thoughts", uniqueEmail("backs-out"), "second thoughts");
  await addToCart(page, "tempest", "Shakespeare in the Round: The Tempest", 1);
  await page.goto("/cart");
  await hydrated(page);
  await page.getByRole("button", { name: "Check out" }).click();
  await expect(page).toHaveURL(/\/pay\/cs_/);
  // Stripe's "Back" leads to the order: pay it, or give it up now.
  await page.getByRole("link", { name: "Back" }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("order-status")).toContainText("Waiting for payment");
  await expect(page.getByRole("link", { name: "Continue to payment" })).toBeVisible();
  await page.getByRole("button", { name: "Cancel this order and release the seats" }).click();
  await expect(page.getByTestId("order-status")).toHaveText(
    "Cancelled by you before paying; the seats went back on sale. Nothing was charged.",
  );
  await expect(page.getByTestId("pending-choices")).toHaveCount(0);
  await page.goto("/orders");
  await expect(page.getByTestId("order-history").getByRole("listitem").first()).toContainText("Cancelled by you");
  await expect(page.getByTestId("order-history")).not.toContainText("Expired");
});

test("a buyer gets free tickets without seeing a payment page", async ({ page }) => {
  const title = `Free Choir Rehearsal ${Date.now()}`;
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await expect(page.getByTestId("organizer-area")).toBeVisible();
  await page.getByRole("link", { name: "New event" }).click();
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Venue").fill("St Mary's Hall, York");
  // A paid price under the card payment minimum is refused as typed.
  await page.getByLabel("Price").fill("0.20");
  await expect(page.getByTestId("error-types-0-price")).toHaveText(
    "The lowest paid price in EUR is €0.50 (the card payment minimum); use 0 for a free event.",
  );
  await page.getByLabel("Price").fill("0");
  await expect(page.getByTestId("error-types-0-price")).toHaveText("");
  await page.getByLabel("Quantity").fill("30");
  await page.getByLabel("Status").selectOption("published");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);
  await signOut(page);

  await signUp(page, "Free Buyer", uniqueEmail("free"), "free tickets please");
  await addToCart(page, "free choir rehearsal", title, 2);
  await page.goto("/cart");
  await hydrated(page);
  await page.getByRole("button", { name: "Get free tickets" }).click();
  // Straight to the confirmed order: no payment page on the way.
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]+$/);
  await expect(page.getByTestId("order-status")).toHaveText("Confirmed: 2 tickets issued, free.");
  await expect(page.getByTestId("order-tickets").getByRole("link")).toHaveCount(2);
  await page.goto("/cart");
  await expect(page.getByTestId("cart-empty")).toBeVisible();
  await signOut(page);

  // The organizer cancels the event (the editor cannot: cancelling refunds),
  // so the catalogue tests see the seeded events.
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await page.getByTestId("my-event-row").filter({ hasText: title }).getByRole("link", { name: "Edit" }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await hydrated(page);
  await expect(page.getByLabel("Status").locator("option")).toHaveText(["Draft (only you see it)", "Published"]);
  await page.goto("/organizer");
  await page.getByTestId("my-event-row").filter({ hasText: title }).getByRole("link", { name: "Sales", exact: true }).click();
  await page.getByText("Cancel this event", { exact: true }).click();
  await page.getByLabel("Reason (buyers read it)").fill("The choir is unwell.");
  // Not without the organizer's yes: the browser holds the form until it is ticked.
  await page.getByRole("button", { name: "Cancel the event and refund everyone" }).click();
  await expect(page.getByTestId("cancellation")).toHaveCount(0);
  await page.getByLabel("Yes, cancel this event and refund every buyer").check();
  await page.getByRole("button", { name: "Cancel the event and refund everyone" }).click();
  await expect(page.getByTestId("cancellation")).toContainText("This event is cancelled");
  await page.goto("/organizer");
  await expect(page.getByTestId("my-event-row").filter({ hasText: title })).toContainText("Cancelled");
});

test("a double-clicked checkout sends the buyer to one payment page", async ({ page }) => {
  await signUp(page, "Double Clicker", uniqueEmail("double"), "click click click");
  await addToCart(page, "quay", "Jazz on the Quay", 1);
  await page.goto("/cart");
  await hydrated(page);
  const button = page.getByRole("button", { name: "Check out" });
  await button.dblclick();
  await expect(page).toHaveURL(/\/pay\/cs_/);
  const first = page.url();
  // Back in the shop, the order is the one being paid: checking out again returns its page.
  await page.goto("/cart");
  await expect(page.getByTestId("pending-order")).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page).toHaveURL(first);
});

test("adding nothing to the cart says so next to the button", async ({ page }) => {
  await page.goto("/?q=quay");
  await page.getByRole("link", { name: "Jazz on the Quay" }).click();
  await hydrated(page);
  await page.locator("#quantity-0").fill("0");
  await page.locator("#quantity-0").blur();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("error-quantity")).toHaveText("Choose how many tickets you want.");
  await expect(page.getByTestId("added-to-cart")).toHaveCount(0);
  await expect(page.getByTestId("cart-count")).toHaveText("");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("adding nothing to the cart says so next to the button", async ({ page }) => {
    await page.goto("/?q=quay");
    await page.getByRole("link", { name: "Jazz on the Quay" }).click();
    await page.locator("#quantity-0").fill("0");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect(page.getByTestId("event-title")).toHaveText("Jazz on the Quay");
    await expect(page.getByTestId("error-quantity")).toHaveText("Choose how many tickets you want.");
    await expect(page.getByTestId("cart-count")).toHaveText("");
  });

  test("a guest fills, changes and empties the cart with plain forms", async ({ page }) => {
    await page.goto("/?q=quay");
    await page.getByRole("link", { name: "Jazz on the Quay" }).click();
    await page.locator("#quantity-0").fill("2");
    await page.getByRole("button", { name: "Add to cart" }).click();
    // Back on the event page, the header counts the two seats.
    await expect(page.getByTestId("event-title")).toHaveText("Jazz on the Quay");
    await expect(page.getByTestId("cart-count")).toHaveText(" (2)");

    await page.goto("/cart");
    await expect(page.getByTestId("cart-line")).toHaveCount(1);
    await page.getByLabel("Quantity").fill("3");
    await page.getByRole("button", { name: "Update" }).click();
    await expect(page).toHaveURL(/\/cart$/);
    await expect(page.getByLabel("Quantity")).toHaveValue("3");
    await expect(page.getByTestId("cart-count")).toHaveText(" (3)");
    await expect(page.getByRole("link", { name: "Sign in to check out" })).toBeVisible();

    await page.getByRole("button", { name: "Remove" }).click();
    await expect(page.getByTestId("cart-empty")).toBeVisible();
    await expect(page.getByTestId("cart-count")).toHaveText("");
  });
});
