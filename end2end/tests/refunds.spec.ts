import { addToCart, DEMO_PASSWORD, expect, hydrated, linkIn, mailTo, signIn, signOut, signUp, test, uniqueEmail } from "./helpers";

/** The "Sold" figure of the dashboard's total row. */
async function soldInTotal(page: import("@playwright/test").Page): Promise<number> {
  const total = page.getByTestId("sales-row").last();
  return Number(await total.locator("td").nth(3).textContent());
}

async function openJazz(page: import("@playwright/test").Page, link: string) {
  await page.goto("/organizer");
  await page.getByTestId("my-event-row").filter({ hasText: "Jazz on the Quay" }).getByRole("link", { name: link, exact: true }).click();
}

test("an organizer watches sales move, refunds one ticket of two, exports attendees and lets door staff check in", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // The organizer keeps the dashboard open in another browser while a buyer buys.
  const organizer = await browser.newContext();
  const dashboard = await organizer.newPage();
  await signIn(dashboard, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await expect(dashboard).toHaveURL(/^[^?]*\/organizer$/);
  await openJazz(dashboard, "Sales");
  await expect(dashboard.getByTestId("sales-chart").or(dashboard.getByText("No tickets sold yet.")).first()).toBeVisible();
  await hydrated(dashboard);
  const soldBefore = await soldInTotal(dashboard);

  const email = uniqueEmail("refunded");
  await signUp(page, "Refunded Rosa", email, "refund me one");
  await addToCart(page, "quay", "Jazz on the Quay", 2);
  await page.goto("/cart");
  await hydrated(page);
  await page.getByRole("button", { name: "Check out" }).click();
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Paid. 2 tickets issued.", { timeout: 20_000 });
  const orderUrl = page.url().split("?")[0];
  // The open dashboard shows the two tickets without a reload.
  await expect.poll(() => soldInTotal(dashboard), { timeout: 15_000 }).toBe(soldBefore + 2);
  await expect(dashboard.getByTestId("recent-orders")).toContainText("Refunded Rosa");
  await organizer.close();
  const codes: string[] = [];
  for (const n of [0, 1]) {
    await page.goto(orderUrl);
    await page.getByTestId("order-tickets").getByRole("link").nth(n).click();
    codes.push((await page.getByTestId("ticket-code").textContent())!.trim());
  }
  await signOut(page);

  // The dashboard moved by the two tickets.
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await expect(page).toHaveURL(/^[^?]*\/organizer$/);
  await openJazz(page, "Sales");
  expect(await soldInTotal(page)).toBe(soldBefore + 2);
  // Per day and per hour of the first day of sales: axes, labels, and each bar's figures on hover.
  await expect(page.getByTestId("sales-chart")).toHaveCount(2);
  for (const chart of await page.getByTestId("sales-chart").all()) {
    await expect(chart).toBeVisible();
    await expect(chart.locator("text").filter({ hasText: /^\s*Tickets\s*$/ })).toHaveCount(1);
    await expect(chart.locator("rect > title").first()).toHaveText(/\d+ tickets?, £\d+\.\d\d$/);
  }

  // The organizer finds the order by the buyer's address, exports the attendees, refunds ticket 1.
  await openJazz(page, "Orders");
  await page.getByLabel("Buyer or order reference").fill(email);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("organizer-order-row")).toHaveCount(1);
  const href = await page.getByRole("link", { name: "attendees (CSV)" }).getAttribute("href");
  const response = await page.request.get(href!);
  expect(response.headers()["content-disposition"]).toBe('attachment; filename="jazz-on-the-quay-attendees.csv"');
  const text = await response.text();
  expect(text.split("\r\n")[0]).toBe("Order reference,Ticket,Ticket type,Buyer name,Buyer email,Status,Checked in (venue time),Price paid,Code,Discount");
  expect(text.split("\r\n").filter((line) => line.includes(email))).toHaveLength(2);
  await page.getByTestId("organizer-order-row").getByRole("link").click();
  const organizerOrderUrl = page.url();
  await page.getByLabel(/^Ticket 1 ·/).check();
  // Money goes back only once the organizer says yes: the browser holds the form until then.
  await page.getByRole("button", { name: "Refund chosen tickets" }).click();
  await expect(page).toHaveURL(organizerOrderUrl);
  await expect(page.getByTestId("organizer-refunds")).toHaveCount(0);
  // Without a reason: refused, and the reason's field says why.
  await page.getByLabel("Yes, give this money back to the buyer").check();
  await page.getByRole("button", { name: "Refund chosen tickets" }).click();
  await expect(page.getByTestId("error-reason")).toHaveText("Enter a reason.");
  await expect(page.getByTestId("organizer-refunds")).toHaveCount(0);
  await page.getByLabel(/^Ticket 1 ·/).check();
  await page.getByLabel("Reason (the buyer sees it)").fill("Your friend cannot come, as you asked.");
  await page.getByLabel("Yes, give this money back to the buyer").check();
  await page.getByRole("button", { name: "Refund chosen tickets" }).click();
  await expect(page.getByRole("status")).toContainText("Refund recorded");
  await expect(page.getByTestId("organizer-refunds")).toContainText("Your friend cannot come");

  // The organizer invites door staff.
  const staffEmail = uniqueEmail("doorstaff");
  await openJazz(page, "Door staff");
  await page.getByLabel("Invite by email").fill(staffEmail);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status")).toContainText("Invitation sent.");
  await signOut(page);

  // The invitee signs up with that address, accepts, and works the door.
  await signUp(page, "Door Dora", staffEmail, "at the door tonight");
  const invitation = await mailTo(staffEmail, "Check tickets in at Jazz on the Quay");
  await page.goto(linkIn(invitation, "/door-invite?token="));
  await page.getByRole("button", { name: "Accept and open the door page" }).click();
  await expect(page).toHaveURL(/\/checkin$/);
  const doorUrl = page.url();
  await hydrated(page);
  await page.getByLabel("Ticket code").fill(codes[0]);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("scan-result")).toContainText("This ticket was refunded");
  await page.getByLabel("Ticket code").fill(codes[1]);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("scan-result")).toHaveText(/^Checked in: Refunded Rosa, Admission, ticket 2$/);
  // Nothing else of the organizer's.
  await page.goto(doorUrl.replace(/\/checkin$/, "/sales"));
  await expect(page.getByTestId("forbidden")).toBeVisible();
  // Another night, the account page leads back to the door.
  await page.goto("/account");
  await expect(page.getByTestId("my-doors")).toContainText("Jazz on the Quay");
  await page.getByTestId("my-doors").getByRole("link", { name: "Open the door page" }).click();
  await expect(page).toHaveURL(doorUrl);
  await signOut(page);

  // The buyer's order page and inbox say so.
  await signIn(page, email, "refund me one", `/signin?next=${new URL(orderUrl).pathname}`);
  await expect(page.getByTestId("order-status")).toContainText("1 of them refunded");
  await expect(page.getByTestId("ticket-refunded")).toHaveCount(1);
  // The refunded ticket's page shows no code that looks as if it admits.
  await page.getByTestId("order-tickets").getByRole("link").first().click();
  await expect(page.getByTestId("ticket-refunded")).toContainText("no longer admits");
  await expect(page.getByTestId("ticket-qr")).toHaveCount(0);
  await expect(page.getByTestId("ticket-code")).toHaveCount(0);
  const mail = await mailTo(email, "Refund for order");
  expect(mail.text).toContain("Your friend cannot come, as you asked.");
});
