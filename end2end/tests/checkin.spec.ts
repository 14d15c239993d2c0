import { writeFileSync } from "node:fs";
import { chromium, type Page } from "@playwright/test";
import { cspViolations, DEMO_PASSWORD, expect, hydrated, signIn, signOut, signUp, test, uniqueEmail } from "./helpers";

/** A new buyer pays for one "Jazz on the Quay" ticket and opens the ticket page. */
async function buyJazzPass(page: Page, name: string): Promise<{ code: string; eventId: string }> {
  await signUp(page, name, uniqueEmail("door"), "at the door");
  await page.goto("/?q=jazz");
  await hydrated(page);
  await page.getByRole("link", { name: "Jazz on the Quay" }).click();
  await expect(page).toHaveURL(/\/events\//);
  await hydrated(page);
  const eventId = page.url().split("/events/")[1];
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("added-to-cart")).toBeVisible();
  await page.goto("/cart");
  await hydrated(page);
  await page.getByRole("button", { name: "Check out" }).click();
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Paid. 1 ticket issued.", { timeout: 20_000 });
  await page.getByTestId("order-tickets").getByRole("link").first().click();
  const code = (await page.getByTestId("ticket-code").textContent())!.trim();
  return { code, eventId };
}

/**
 * The ticket page's QR code as a camera would film it: the server's SVG drawn on
 * a white 640x480 frame, written as a looping Y4M video for Chromium's fake camera.
 */
async function filmPassQr(page: Page, path: string): Promise<void> {
  const [width, height] = [640, 480];
  const luma: number[] = await page.evaluate(async ([w, h]) => {
    const svg = document.querySelector('[data-testid="ticket-qr"] svg')!;
    const image = new Image();
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    const context = canvas.getContext("2d")!;
    context.fillStyle = "#fff";
    context.fillRect(0, 0, w, h);
    const side = h - 60;
    context.drawImage(image, (w - side) / 2, 30, side, side);
    const rgba = context.getImageData(0, 0, w, h).data;
    const out: number[] = [];
    for (let i = 0; i < w * h; i++) {
      out.push(Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]));
    }
    return out;
  }, [width, height]);
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), Buffer.from(luma), chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(path, Buffer.concat([header, ...Array(10).fill(frame)]));
}

test("the organizer checks a paid ticket in once; a second scan is flagged", async ({ page }) => {
  const { code } = await buyJazzPass(page, "Door Guest");
  await signOut(page);

  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await page.getByTestId("my-event-row").filter({ hasText: "Jazz on the Quay" }).getByRole("link", { name: "Check-in" }).click();
  await expect(page).toHaveURL(/^[^?]*\/checkin$/);
  await hydrated(page);
  const before = await page.getByTestId("door-counts").textContent();
  await page.getByLabel("Ticket code").fill(code);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("scan-result")).toHaveText(/^Checked in: Door Guest, Admission, ticket 1$/);
  await expect(page.getByTestId("door-counts")).not.toHaveText(before ?? "");

  await page.getByLabel("Ticket code").fill(code);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("scan-result")).toHaveText(/^Already checked in at \d\d:\d\d (GMT|BST|UTC) by Northern Lights Events$/);

  await page.getByLabel("Ticket code").fill("not-a-real-code");
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("scan-result")).toContainText("Unknown code");
});

test("the door camera reads the ticket's QR code and checks it in", async ({ page }, testInfo) => {
  await buyJazzPass(page, "Camera Guest");
  const video = testInfo.outputPath("ticket-qr.y4m");
  await filmPassQr(page, video);

  // A browser whose camera films the ticket (Chromium's fake capture device).
  const launch = testInfo.project.use.launchOptions ?? {};
  const browser = await chromium.launch({
    ...launch,
    args: [
      ...(launch.args ?? []),
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  try {
    const door = await (await browser.newContext({ baseURL: testInfo.project.use.baseURL })).newPage();
    const violations = cspViolations(door);
    // The QR decoder is a lazy wasm chunk: fetched only once a frame needs decoding.
    const decoderChunks: string[] = [];
    door.on("request", (request) => {
      if (/\/pkg\/split_decode_rgba_frame[^/]*\.wasm$/.test(request.url())) decoderChunks.push(request.url());
    });
    await signIn(door, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
    await door.getByTestId("my-event-row").filter({ hasText: "Jazz on the Quay" }).getByRole("link", { name: "Check-in" }).click();
    await expect(door).toHaveURL(/^[^?]*\/checkin$/);
    await hydrated(door);
    expect(decoderChunks).toHaveLength(0);
    await door.getByRole("button", { name: "Scan with camera" }).click();
    await expect(door.getByTestId("camera-view")).toBeVisible();
    await expect(door.getByTestId("scan-result")).toHaveText(/^Checked in: Camera Guest, Admission, ticket 1$/, { timeout: 15_000 });
    expect(decoderChunks).toHaveLength(1);
    // The ticket stays in view: it is not sent again while it does.
    await door.waitForTimeout(1_500);
    await expect(door.getByTestId("scan-result")).toHaveText(/^Checked in: Camera Guest, Admission, ticket 1$/);
    await door.getByRole("button", { name: "Stop camera" }).click();
    await expect(door.getByTestId("camera-view")).toBeHidden();
    expect(violations, "Content-Security-Policy violations on the door page").toEqual([]);
  } finally {
    await browser.close();
  }
});

test("another organizer cannot check a ticket in, nor open the event's door", async ({ page }) => {
  const { code, eventId } = await buyJazzPass(page, "Other Door Guest");
  await signOut(page);

  // A second organizer, approved by the admin, with a listing of their own.
  const email = uniqueEmail("rival");
  const orgName = `Rival Promotions ${Date.now()}`;
  await signUp(page, "Rival Organizer", email, "not your door");
  await page.getByLabel("Organization name").fill(orgName);
  await page.getByRole("button", { name: "Apply to become an organizer" }).click();
  await expect(page.getByTestId("application-status")).toContainText("waiting for review");
  await signOut(page);
  await signIn(page, "admin@example.com", DEMO_PASSWORD, "/signin?next=/admin");
  await page.getByTestId("pending-application").filter({ hasText: orgName }).getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("decision-history")).toContainText(orgName);
  await signOut(page);
  await signIn(page, email, "not your door", "/signin?next=/organizer/events/new");
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  const title = `Rival Night ${Date.now()}`;
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Venue").fill("Across the Road");
  await page.getByLabel("Price").fill("10");
  await page.getByLabel("Quantity").fill("10");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);

  // At their own door, the Jazz ticket is refused and stays unused.
  await page.getByTestId("my-event-row").filter({ hasText: title }).getByRole("link", { name: "Check-in" }).click();
  await expect(page).toHaveURL(/^[^?]*\/checkin$/);
  await hydrated(page);
  await expect(page.getByTestId("door-counts")).toHaveText("0 checked in of 0 sold");
  await page.getByLabel("Ticket code").fill(code);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("scan-result")).toHaveText("This ticket is for another organizer's event.");
  await expect(page.getByTestId("door-counts")).toHaveText("0 checked in of 0 sold");

  // The Jazz door itself is not found for them: no scanner, no counts.
  const response = await page.goto(`/organizer/events/${eventId}/checkin`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByLabel("Ticket code")).toHaveCount(0);
  await expect(page.getByTestId("door-counts")).toHaveCount(0);

  // The ticket was not used: the real organizer admits it.
  await signOut(page);
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, `/signin?next=/organizer/events/${eventId}/checkin`);
  await expect(page).toHaveURL(/^[^?]*\/checkin$/);
  await hydrated(page);
  await page.getByLabel("Ticket code").fill(code);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("scan-result")).toHaveText(/^Checked in: Other Door Guest, Admission, ticket 1$/);
});
