import { test as base, expect, type Page } from "@playwright/test";

export { expect };

/** Collects what Chromium reports as Content-Security-Policy violations on `page`. */
export function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/**
 * Every browser test runs with the shop's Content-Security-Policy on and fails
 * if Chromium reports a violation of it on any page the test visits.
 */
export const test = base.extend<{ noCspViolations: void }>({
  noCspViolations: [
    async ({ page }, use) => {
      const violations = cspViolations(page);
      await use();
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export const DEMO_PASSWORD = "demo-password";

/** A fresh email per call, so tests can run again on the same database. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
}

/**
 * Waits until the page is interactive: its wasm has started and every island
 * on it (lazy ones fetch their chunk first) has hydrated and counted itself in
 * `<body data-islands>`. Call it after each navigation that is followed by
 * typing or clicking in an island: pages are rendered by the server, so every
 * link is a new page.
 */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
  await expect
    .poll(() =>
      page.evaluate(
        () => Number(document.body.dataset.islands ?? 0) - document.querySelectorAll("leptos-island").length,
      ),
    )
    .toBeGreaterThanOrEqual(0);
  // What a page shows only without JavaScript is gone once its island is live.
  await expect(page.locator("[data-without-js]")).toHaveCount(0);
}

export async function signIn(page: Page, email: string, password: string, path = "/signin"): Promise<void> {
  await page.goto(path);
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

export async function signUp(page: Page, name: string, email: string, password: string): Promise<void> {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);
}
