import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Page } from "@playwright/test";
import { DEMO_PASSWORD, expect, signIn, signOut, test } from "./helpers";

/** npm's vnu-jar (pinned in package.json): the Nu HTML checker the W3C runs. */
const VNU = path.join(__dirname, "..", "..", "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

/**
 * The HTML of `paths` exactly as the server sends it to this page's browser
 * (its cookies, its language), saved under `dir`.
 */
async function save(page: Page, dir: string, who: string, paths: string[]): Promise<void> {
  for (const p of paths) {
    const res = await page.request.get(p, { headers: { accept: "text/html" } });
    expect(res.headers()["content-type"], p).toContain("text/html");
    const name = `${who}${p.replace(/[^a-z0-9]+/gi, "_")}.html`;
    writeFileSync(path.join(dir, name), await res.text());
  }
}

/** The first link on `pathname` whose address starts with `prefix` (and ends with `suffix`). */
async function firstLink(page: Page, pathname: string, prefix: string, suffix = ""): Promise<string> {
  await page.goto(pathname);
  const ends = suffix ? `[href$="${suffix}"]` : "";
  const href = await page.locator(`a[href^="${prefix}"]${ends}`).first().getAttribute("href");
  expect(href, `a link to ${prefix}… on ${pathname}`).toBeTruthy();
  return href!;
}

test("every page's HTML, as the server sends it, passes the Nu HTML checker with no error", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(path.join(tmpdir(), "ts-html-"));

  const event = await firstLink(page, "/?q=quay", "/events/");
  await save(page, dir, "visitor", ["/", "/?q=quay&sort=price", "/signin", "/signup", "/forgot-password", "/cart", event, "/no-such-page"]);

  // A demo buyer with paid orders.
  await signIn(page, "rowan@example.com", DEMO_PASSWORD, "/signin?next=/orders");
  await expect(page).toHaveURL("/orders");
  const order = await firstLink(page, "/orders", "/orders/");
  const ticket = await firstLink(page, order, "/tickets/");
  await save(page, dir, "buyer", ["/", "/orders", order, ticket, "/account", "/cart", event]);
  await signOut(page);

  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await expect(page).toHaveURL("/organizer");
  const edit = await firstLink(page, "/organizer", "/organizer/events/", "/edit");
  const id = edit.split("/")[3];
  await save(page, dir, "organizer", [
    "/organizer",
    "/organizer/events/new",
    `/organizer/events/${id}/edit`,
    `/organizer/events/${id}/sales`,
    `/organizer/events/${id}/orders`,
    `/organizer/events/${id}/staff`,
    `/organizer/events/${id}/checkin`,
    `/organizer/events/${id}/codes`,
  ]);
  await signOut(page);

  await signIn(page, "admin@example.com", DEMO_PASSWORD, "/signin?next=/admin");
  await expect(page).toHaveURL("/admin");
  await save(page, dir, "admin", ["/admin"]);

  // German pages too: the same markup with other words.
  await page.context().addCookies([{ name: "lang", value: "de", url: page.url() }]);
  await save(page, dir, "german", ["/", event]);

  expect(readdirSync(dir).length).toBeGreaterThanOrEqual(24);
  let report = "";
  try {
    execFileSync("java", ["-jar", VNU, "--errors-only", "--format", "json", dir], { encoding: "utf8", stdio: "pipe" });
  } catch (failed) {
    // vnu exits 1 when it finds errors and prints them as JSON on stderr.
    report = String((failed as { stderr?: string }).stderr ?? failed);
  }
  const messages: { url: string; message: string; extract?: string }[] = report ? JSON.parse(report).messages : [];
  const errors = messages.map((m) => `${path.basename(m.url)}: ${m.message} ${JSON.stringify(m.extract ?? "").slice(0, 120)}`);
  expect(errors, "Nu HTML checker errors").toEqual([]);
});
