import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, signIn, signOut, signUp, uniqueEmail } from "./helpers";

test("the organizer checks a paid pass in once; a second scan is flagged", async ({ page }) => {
  await signUp(page, "Door Guest", uniqueEmail("door"), "at the door");
  await page.goto("/?q=jazz");
  await hydrated(page);
  await page.getByRole("link", { name: "Jazz on the Quay" }).click();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("added-to-cart")).toBeVisible();
  await page.goto("/cart");
  await hydrated(page);
  await page.getByRole("button", { name: "Check out" }).click();
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Paid. 1 ticket(s) issued.", { timeout: 20_000 });
  await page.getByTestId("order-passes").getByRole("link").first().click();
  const code = (await page.getByTestId("pass-code").textContent())!.trim();
  await signOut(page);

  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await page.getByTestId("my-ticket-row").filter({ hasText: "Jazz on the Quay" }).getByRole("link", { name: "Check-in" }).click();
  await hydrated(page);
  const before = await page.getByTestId("door-counts").textContent();
  await page.getByLabel("Pass code").fill(code);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("scan-result")).toHaveText(/^Checked in: Door Guest, seat 1$/);
  await expect(page.getByTestId("door-counts")).not.toHaveText(before ?? "");

  await page.getByLabel("Pass code").fill(code);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("scan-result")).toHaveText(/^Already checked in at \d\d:\d\d by Northern Lights Events$/);

  await page.getByLabel("Pass code").fill("not-a-real-code");
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("scan-result")).toContainText("Unknown code");
});
