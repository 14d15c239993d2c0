import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";

export { expect };

/** Collects what Chromium reports as Content-Security-Policy violations on `page`. */
export function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  watchCsp(page, violations);
  return violations;
}

function watchCsp(page: Page, violations: string[]): void {
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
}

/**
 * Every browser test runs with the shop's Content-Security-Policy on and fails
 * if Chromium reports a violation of it on any page the test opens: its own
 * `page`, and every page of every context it makes itself (a second visitor,
 * a browser without JavaScript, the door's phone).
 */
/** The WCAG 2.2 A and AA rules of axe-core. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** What axe-core finds against WCAG 2.2 A and AA on `page` as it is now. */
export async function wcagViolations(page: Page): Promise<string[]> {
  const found = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return found.violations.map(
    (v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`,
  );
}

export const test = base.extend<{ noCspViolations: void; accessibleEnd: void }>({
  /**
   * Every browser test ends with axe-core's WCAG 2.2 A/AA check of the shop's
   * page it ended on (not the Stripe emulator's, not a file or blank page).
   * axe is a script: a test without JavaScript is not checked by it (its
   * pages are the same markup the tests with JavaScript check).
   */
  accessibleEnd: [
    async ({ page, baseURL, javaScriptEnabled }, use, testInfo) => {
      await use();
      if (!javaScriptEnabled || testInfo.status !== testInfo.expectedStatus || page.isClosed()) return;
      const url = page.url();
      if (!baseURL || !url.startsWith(new URL(baseURL).origin)) return;
      if (!(await page.evaluate(() => document.contentType === "text/html").catch(() => false))) return;
      expect(await wcagViolations(page), `${url}: accessibility violations`).toEqual([]);
    },
    { auto: true },
  ],
  noCspViolations: [
    async ({ page, browser }, use) => {
      const violations: string[] = [];
      const watched = new WeakSet<Page>();
      const watchPage = (p: Page) => {
        if (watched.has(p)) return;
        watched.add(p);
        watchCsp(p, violations);
      };
      const watchContext = (context: BrowserContext) => {
        context.pages().forEach(watchPage);
        context.on("page", watchPage);
      };
      watchPage(page);
      const newContext = browser.newContext.bind(browser);
      const newPage = browser.newPage.bind(browser);
      browser.newContext = async (...args: Parameters<typeof newContext>) => {
        const context = await newContext(...args);
        watchContext(context);
        return context;
      };
      browser.newPage = async (...args: Parameters<typeof newPage>) => {
        const opened = await newPage(...args);
        watchContext(opened.context());
        watchPage(opened);
        return opened;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
        browser.newPage = newPage;
      }
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

/**
 * Signs up and, unless told not to, confirms the address as a person would:
 * opens the verification mail in the mail catcher, follows its link and
 * clicks the page's button; then signs in with the new password (the form
 * signs nobody in: it answers the same for any address).
 */
export async function signUp(
  page: Page,
  name: string,
  email: string,
  password: string,
  { verify = true }: { verify?: boolean } = {},
): Promise<void> {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("sign-up-sent")).toContainText("We sent a message");
  if (verify) {
    const mail = await mailTo(email, "Confirm your email address");
    await confirmFromMail(page, linkIn(mail, "/verify-email?token="), "Confirm my address");
    await expect(page.getByTestId("email-status")).toHaveText(/Your email address is confirmed/);
  }
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/account$/);
  await hydrated(page);
}

/** Opens a mailed link's page and clicks its button (opening alone does nothing). */
export async function confirmFromMail(page: Page, link: string, button: string): Promise<void> {
  await page.goto(link);
  await page.getByRole("button", { name: button }).click();
  await expect(page).toHaveURL(/done=1$/);
}

/** A message as the mail catcher's API (maildev) lists it. */
export interface Mail {
  id: string;
  subject: string;
  text: string;
  html: string;
  to: { address: string }[];
  attachments?: { contentType: string; fileName: string; contentId?: string }[];
}

const MAIL_API = `http://127.0.0.1:${process.env.E2E_MAIL_WEB_PORT ?? 1081}`;

/** Waits for the message to `address` whose subject starts with `subject`. */
export async function mailTo(address: string, subject: string, timeout = 20_000): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const all = (await (await fetch(`${MAIL_API}/email`)).json()) as Mail[];
        found = all.find((m) => m.subject.startsWith(subject) && m.to.some((t) => t.address === address));
        return found !== undefined;
      },
      { timeout, message: `a mail "${subject}" to ${address}` },
    )
    .toBe(true);
  return found!;
}

/** The first link in a message's text containing `part`. */
export function linkIn(mail: Mail, part: string): string {
  const link = mail.text.split(/\s+/).find((word) => word.includes(part));
  if (!link) throw new Error(`no link with ${part} in:\n${mail.text}`);
  return link;
}

/** Finds an event through the search box and puts `quantity` of its first ticket type in the cart. */
export async function addToCart(page: Page, search: string, title: string, quantity: number) {
  await page.goto(`/?q=${encodeURIComponent(search)}`);
  await hydrated(page);
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByTestId("event-title")).toHaveText(title);
  await hydrated(page);
  await page.locator("#quantity-0").fill(String(quantity));
  await page.locator("#quantity-0").blur();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("added-to-cart")).toBeVisible();
}
