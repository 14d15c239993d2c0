import { addToCart, confirmFromMail, expect, hydrated, linkIn, mailTo, signIn, signUp, test, uniqueEmail } from "./helpers";

test("a new buyer confirms their address from the mail, buys, and opens a ticket from the confirmation", async ({
  page,
}) => {
  const email = uniqueEmail("mailed");
  await signUp(page, "Mailed Buyer", email, "tickets by mail", { verify: false });
  await addToCart(page, "quay", "Jazz on the Quay", 2);

  // Checkout waits for the address: the cart says so and offers the link again.
  await page.goto("/cart");
  await expect(page.getByTestId("verify-notice")).toContainText(email);
  await page.getByRole("button", { name: "Send the link again" }).click();
  await expect(page).toHaveURL(/\/cart\?verification=sent$/);
  await expect(page.getByTestId("verify-notice")).toContainText("A new link is on its way.");

  const verification = await mailTo(email, "Confirm your email address");
  await confirmFromMail(page, linkIn(verification, "/verify-email?token="), "Confirm my address");
  await expect(page.getByTestId("email-status")).toHaveText(/Your email address is confirmed/);

  await page.goto("/cart");
  await hydrated(page);
  await expect(page.getByTestId("verify-notice")).toHaveCount(0);
  await page.getByRole("button", { name: "Check out" }).click();
  await expect(page).toHaveURL(/\/pay\/cs_/);
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Paid. 2 tickets issued.", { timeout: 20_000 });

  // The confirmation: both tickets, their QR codes inline, a calendar file.
  const confirmation = await mailTo(email, "Your tickets for Jazz on the Quay");
  expect(confirmation.html).toContain("cid:ticket-");
  expect(confirmation.attachments?.filter((a) => a.contentType === "image/png")).toHaveLength(2);
  expect(confirmation.attachments?.some((a) => a.fileName === "event.ics")).toBe(true);
  await page.goto(linkIn(confirmation, "/tickets/"));
  await expect(page.getByTestId("ticket")).toBeVisible();
  await expect(page.getByTestId("ticket").locator("svg")).toBeVisible();
  await expect(page.getByTestId("ticket-code")).toHaveText(/^[0-9a-f]{40}$/);
});

test("a forgotten password is reset through the mailed link, without JavaScript", async ({ browser }) => {
  const email = uniqueEmail("forgetful");
  const setup = await browser.newPage();
  await signUp(setup, "Forgetful Fern", email, "first password");
  await setup.close();

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByTestId("email-status")).toContainText("If an account uses that address");

  const reset = await mailTo(email, "Reset your password");
  await page.goto(linkIn(reset, "/reset-password?token="));
  await page.getByLabel("New password").fill("second password");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/signin\?reset=1$/);
  await expect(page.getByRole("status")).toContainText("Your password was changed");

  // The link worked once.
  await page.goto(linkIn(reset, "/reset-password?token="));
  await expect(page.getByTestId("email-status")).toHaveText("This link has already been used.");
  await context.close();

  const fresh = await browser.newPage();
  await signIn(fresh, email, "second password");
  await expect(fresh).toHaveURL(/\/account$/);
  await fresh.close();
});
