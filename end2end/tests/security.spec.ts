import { test as unguarded } from "@playwright/test";
import { cspViolations, DEMO_PASSWORD, expect, hydrated, signUp, test, uniqueEmail } from "./helpers";

// Another port on the same host: the same *site* as the shop, so SameSite=Lax
// cookies do go with its requests; only the origin check stops them.
const EVIL = "http://127.0.0.1:3999";

/** Serves an attacker's page at EVIL/name that auto-submits `form` to the shop. */
async function attackerPage(page: import("@playwright/test").Page, name: string, form: string) {
  await page.route(`${EVIL}/${name}`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><body>${form}<script>document.forms[0].submit()</script></body>`,
    }),
  );
}

test("forms auto-submitted by another site neither sign the visitor in nor check out", async ({ page, baseURL }) => {
  const victim = uniqueEmail("victim");
  await signUp(page, "Victim", victim, "victim password");
  await page.goto(`/?q=${encodeURIComponent("quay")}`);
  await hydrated(page);
  await page.getByRole("link", { name: "Jazz on the Quay" }).click();
  await expect(page.getByTestId("event-title")).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("added-to-cart")).toBeVisible();

  // Login CSRF: the attacker's credentials, posted from the attacker's page.
  await attackerPage(
    page,
    "signin.html",
    `<form method="post" action="${baseURL}/api/auth/sign_in">
       <input name="email" value="buyer@example.com"><input name="password" value="${DEMO_PASSWORD}">
     </form>`,
  );
  const signIn = page.waitForResponse((r) => r.url().endsWith("/api/auth/sign_in"));
  await page.goto(`${EVIL}/signin.html`);
  expect((await signIn).status()).toBe(403);
  await expect(page.getByText("This request came from another website")).toBeVisible();
  await page.goto("/account");
  await expect(page.getByText(victim)).toBeVisible();

  // A checkout started in the victim's name.
  await attackerPage(page, "checkout.html", `<form method="post" action="${baseURL}/api/checkout/start"></form>`);
  const checkout = page.waitForResponse((r) => r.url().endsWith("/api/checkout/start"));
  await page.goto(`${EVIL}/checkout.html`);
  expect((await checkout).status()).toBe(403);
  await page.goto("/cart");
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
  await expect(page.getByTestId("pending-order")).toHaveCount(0);
});

// Unguarded: this test provokes a violation on purpose, to show the guard every
// other test runs under would see one.
unguarded("the policy blocks an injected inline handler, and Chromium reports it", async ({ page }) => {
  const violations = cspViolations(page);
  const response = await page.goto("/");
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await hydrated(page);
  // Markup injected as an XSS would: its inline event handler must not run.
  await page.evaluate(() => {
    document.body.insertAdjacentHTML("beforeend", `<img src="/x.png" onerror="window.__injected = true">`);
  });
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
});
