import { DEMO_PASSWORD, expect, hydrated, mailTo, signIn, signOut, signUp, test, uniqueEmail } from "./helpers";

test("sign up, sign out, sign in again", async ({ page }) => {
  const email = uniqueEmail("ada");
  await signUp(page, "Ada Lovelace", email, "analytical engine");
  await expect(page.getByTestId("account-name")).toHaveText("Ada Lovelace");
  await expect(page.getByTestId("account-role")).toHaveText("Buyer");
  await expect(page.getByTestId("signed-in-as")).toHaveText("Ada Lovelace");

  await signOut(page);
  await signIn(page, email, "analytical engine");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("account-name")).toHaveText("Ada Lovelace");
});

test("sign-up checks input as you type and keeps it when the server refuses", async ({ page }) => {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel("Email").fill("not-an-email");
  await expect(page.getByTestId("error-email")).toContainText("Enter a valid email address");
  await page.getByLabel("Password").fill("short");
  await expect(page.getByTestId("error-password")).toHaveText("Use at least 8 characters.");

  // A refusal of the server's keeps what was typed (a password too long for it).
  await page.getByLabel("Name").fill("Billie Again");
  await page.getByLabel("Email").fill("billie@example.com");
  await page.getByLabel("Password").fill("x".repeat(129));
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("error-password")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("Billie Again");
  await expect(page).toHaveURL(/\/signup$/);
});

test("an empty sign-up form names every field it needs, not only the first", async ({ page }) => {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("error-name")).toHaveText("Enter your name.");
  await expect(page.getByTestId("error-email")).not.toHaveText("");
  await expect(page.getByTestId("error-password")).not.toHaveText("");
  await expect(page).toHaveURL(/\/signup$/);
});

test("sign-up answers the same for an address that has an account, and mails its owner", async ({ page }) => {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel("Name").fill("Billie Again");
  await page.getByLabel("Email").fill("BUYER@example.com");
  await page.getByLabel("Password").fill("long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("sign-up-sent")).toContainText("We sent a message");
  await expect(page.getByText("already exists")).toHaveCount(0);
  await mailTo("buyer@example.com", "You already have a Ticket Sales account");
});

test("wrong password and unknown email get the same message", async ({ page }) => {
  await signIn(page, "buyer@example.com", "not the password");
  await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");
  await signIn(page, uniqueEmail("nobody"), DEMO_PASSWORD);
  await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");
});

test("apply as organizer, an admin approves, the organizer area opens", async ({ page }) => {
  const email = uniqueEmail("org");
  const orgName = `Harbour Sounds ${Date.now()}`;
  await signUp(page, "Grace Hopper", email, "compilers rule");
  await page.getByLabel("Organization name").fill(orgName);
  await page.getByLabel("What events do you organize?").fill("Jazz nights by the sea.");
  await page.getByLabel("a company").check();
  await page.getByRole("button", { name: "Apply to become an organizer" }).click();
  await expect(page.getByTestId("application-status")).toContainText("waiting for review");
  await signOut(page);

  await signIn(page, "admin@example.com", DEMO_PASSWORD, "/signin?next=/admin");
  await expect(page).toHaveURL(/\/admin$/);
  const card = page.getByTestId("pending-application").filter({ hasText: orgName });
  await card.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("pending-application").filter({ hasText: orgName })).toHaveCount(0);
  await expect(page.getByTestId("decision-history")).toContainText(orgName);
  await signOut(page);

  await signIn(page, email, "compilers rule");
  await page.getByRole("link", { name: "Organizer", exact: true }).click();
  await expect(page.getByTestId("organizer-area")).toContainText(orgName);
});

test("an admin finds an organizer, suspends them with a reason, and lifts it", async ({ page }) => {
  const email = uniqueEmail("suspended");
  const orgName = `Shady Promotions ${Date.now()}`;
  await signUp(page, "Sam Suspended", email, "sell sell sell");
  await page.getByLabel("Organization name").fill(orgName);
  await page.getByRole("button", { name: "Apply to become an organizer" }).click();
  await expect(page.getByTestId("application-status")).toContainText("waiting for review");
  await signOut(page);

  await signIn(page, "admin@example.com", DEMO_PASSWORD, "/signin?next=/admin");
  await page.getByTestId("pending-application").filter({ hasText: orgName }).getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("decision-history")).toContainText(orgName);
  await expect(page.getByTestId("daily-sales").or(page.getByText("No paid orders in that time."))).toBeVisible();

  // The user search is a plain GET form: /admin?q=…
  await page.getByLabel("Search by email or name").fill(email.slice(0, 20).toUpperCase());
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\?q=/);
  const row = page.getByTestId("user-row").filter({ hasText: email });
  await expect(row).toContainText("Organizer");
  await row.getByLabel("Reason for suspending").fill("Events listed that do not exist.");
  // Not without the admin's yes: the browser holds the form until it is ticked.
  await row.getByRole("button", { name: "Suspend organizer" }).click();
  await expect(row.getByTestId("suspension")).toHaveCount(0);
  await row.getByLabel("Yes, stop their sales").check();
  await row.getByRole("button", { name: "Suspend organizer" }).click();
  await expect(page.getByTestId("user-row").filter({ hasText: email }).getByTestId("suspension")).toContainText(
    "Events listed that do not exist.",
  );
  await expect(page.getByTestId("suspension-history")).toContainText(email);
  await signOut(page);

  // The organizer is told why, that sold tickets stay valid and where to write, by mail and on the page.
  const suspended = await mailTo(email, "Your organizer account is suspended");
  expect(suspended.text).toContain("Events listed that do not exist.");
  const support = suspended.text.match(/write to (\S+@\S+)\./)![1];
  await signIn(page, email, "sell sell sell", "/signin?next=/organizer");
  await expect(page.getByTestId("suspended-notice")).toContainText("Events listed that do not exist.");
  await expect(page.getByTestId("suspended-notice").getByRole("link", { name: support })).toHaveAttribute("href", `mailto:${support}`);
  await signOut(page);

  await signIn(page, "admin@example.com", DEMO_PASSWORD, `/signin?next=${encodeURIComponent(`/admin?q=${email}`)}`);
  await page.getByTestId("user-row").filter({ hasText: email }).getByRole("button", { name: "Lift the suspension" }).click();
  await expect(page.getByTestId("user-row").filter({ hasText: email }).getByRole("button", { name: "Suspend organizer" })).toBeVisible();
  await expect(page.getByTestId("suspension-history").getByRole("row").filter({ hasText: email })).toContainText("by ");
  await signOut(page);

  await mailTo(email, "Your organizer account is active again");
  await signIn(page, email, "sell sell sell", "/signin?next=/organizer");
  await expect(page.getByTestId("organizer-area")).toBeVisible();
  await expect(page.getByTestId("suspended-notice")).toHaveCount(0);
});

test("a rejected applicant sees the reason", async ({ page }) => {
  const email = uniqueEmail("rejected");
  const orgName = `Maybe Later Ltd ${Date.now()}`;
  await signUp(page, "Rita Rejected", email, "please approve");
  await page.getByLabel("Organization name").fill(orgName);
  await page.getByRole("button", { name: "Apply to become an organizer" }).click();
  await expect(page.getByTestId("application-status")).toContainText("waiting for review");
  await signOut(page);

  await signIn(page, "admin@example.com", DEMO_PASSWORD, "/signin?next=/admin");
  const card = page.getByTestId("pending-application").filter({ hasText: orgName });
  await card.getByLabel("Reason for rejecting").fill("We could not verify your events.");
  await card.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByTestId("decision-history")).toContainText("We could not verify your events.");
  await signOut(page);

  await signIn(page, email, "please approve");
  await expect(page.getByTestId("application-status")).toContainText("We could not verify your events.");
  await expect(page.getByRole("button", { name: "Apply to become an organizer" })).toBeVisible();
});

test("a buyer cannot reach the admin page; a visitor is sent to sign in", async ({ page }) => {
  const anonymous = await page.goto("/admin");
  await expect(page).toHaveURL(/\/signin\?next=\/admin$/);
  expect(anonymous?.status()).toBe(200);

  await signIn(page, "buyer@example.com", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("admin-dashboard")).toHaveCount(0);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("an empty sign-up form names every field it needs, not only the first", async ({ page }) => {
    await page.goto("/signup");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("error-name")).toHaveText("Enter your name.");
    await expect(page.getByTestId("error-email")).not.toHaveText("");
    await expect(page.getByTestId("error-password")).not.toHaveText("");
  });

  test("the sign-in form still works, errors included", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill("buyer@example.com");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");

    await page.getByLabel("Email").fill("buyer@example.com");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByTestId("account-name")).toHaveText("Billie Buyer");
  });
});
