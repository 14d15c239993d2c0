import { addToCart, DEMO_PASSWORD, expect, hydrated, signIn, signOut, signUp, test, uniqueEmail } from "./helpers";

test("a buyer cancels their ticket within the organizer's policy and gets the price less the fee back", async ({ page }) => {
  test.setTimeout(90_000);
  // The organizer allows cancellations until 48 hours before, keeping 10%.
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await expect(page).toHaveURL(/^[^?]*\/organizer$/);
  await page.getByTestId("my-event-row").filter({ hasText: "The Laughing Lighthouse Comedy Night" }).getByRole("link", { name: "Sales", exact: true }).click();
  await page.getByLabel("Until how many hours before (empty: never)").fill("48");
  await page.getByLabel("Fee kept (%)").fill("10");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByTestId("cancel-policy")).toHaveText("Buyers may cancel until 48 hours before the event, keeping a 10% fee.");
  await signOut(page);

  await signUp(page, "Changed Plans", uniqueEmail("cancels"), "plans changed");
  await addToCart(page, "lighthouse comedy", "The Laughing Lighthouse Comedy Night", 1);
  await page.goto("/cart");
  await hydrated(page);
  await page.getByRole("button", { name: "Check out" }).click();
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Paid. 1 ticket issued.", { timeout: 20_000 });
  await page.goto(page.url().split("?")[0]);
  await expect(page.getByTestId("cancel-offer")).toContainText("You can cancel 1 ticket until");
  await expect(page.getByTestId("cancel-offer")).toContainText("(the organizer keeps");
  await page.getByRole("button", { name: "Cancel my tickets" }).click();
  await expect(page).toHaveURL(/\?cancelled=1$/);
  await expect(page.getByTestId("order-status")).toContainText("Refunded. Cancelled by the buyer.");
  await expect(page.getByTestId("cancel-offer")).toHaveCount(0);
});
