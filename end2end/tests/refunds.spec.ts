import { addToCart, DEMO_PASSWORD, expect, hydrated, mailTo, signIn, signOut, signUp, test, uniqueEmail } from "./helpers";

test("an organizer refunds one ticket of a two-ticket order; the buyer is told and the door refuses only that one", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const email = uniqueEmail("refunded");
  await signUp(page, "Refunded Rosa", email, "refund me one");
  await addToCart(page, "quay", "Jazz on the Quay", 2);
  await page.goto("/cart");
  await hydrated(page);
  await page.getByRole("button", { name: "Check out" }).click();
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Paid. 2 ticket(s) issued.", { timeout: 20_000 });
  const orderUrl = page.url().split("?")[0];
  const codes: string[] = [];
  for (const n of [0, 1]) {
    await page.goto(orderUrl);
    await page.getByTestId("order-passes").getByRole("link").nth(n).click();
    codes.push((await page.getByTestId("pass-code").textContent())!.trim());
  }
  await signOut(page);

  // The organizer finds the order by the buyer's address and refunds ticket 1.
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await page.getByTestId("my-event-row").filter({ hasText: "Jazz on the Quay" }).getByRole("link", { name: "Orders" }).click();
  await page.getByLabel("Buyer or order reference").fill(email);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("organizer-order-row")).toHaveCount(1);
  // The attendee list: one row per ticket, this buyer's two among them.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "attendees (CSV)" }).click();
  const csv = await (await download).createReadStream();
  let text = "";
  for await (const chunk of csv) text += chunk.toString();
  expect(text.split("\r\n")[0]).toBe("Order reference,Ticket,Ticket type,Buyer name,Buyer email,Status,Checked in (venue time)");
  expect(text.split("\r\n").filter((line) => line.includes(email))).toHaveLength(2);
  await page.getByTestId("organizer-order-row").getByRole("link").click();
  await page.getByLabel(/^Ticket 1 ·/).check();
  await page.getByLabel("Reason (the buyer sees it)").fill("Your friend cannot come, as you asked.");
  await page.getByRole("button", { name: "Refund chosen tickets" }).click();
  await expect(page.getByRole("status")).toContainText("Refund recorded");
  await expect(page.getByTestId("organizer-refunds")).toContainText("Your friend cannot come");

  // At the door: the refunded ticket is refused, the other admitted.
  await page.goto("/organizer");
  await page.getByTestId("my-event-row").filter({ hasText: "Jazz on the Quay" }).getByRole("link", { name: "Check-in" }).click();
  await hydrated(page);
  await page.getByLabel("Pass code").fill(codes[0]);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("scan-result")).toContainText("This ticket was refunded");
  await page.getByLabel("Pass code").fill(codes[1]);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByTestId("scan-result")).toHaveText(/^Checked in: Refunded Rosa, Admission, seat 2$/);
  await signOut(page);

  // The buyer's order page and inbox say so.
  await signIn(page, email, "refund me one", `/signin?next=${new URL(orderUrl).pathname}`);
  await expect(page.getByTestId("order-status")).toContainText("1 of them refunded");
  await expect(page.getByTestId("pass-refunded")).toHaveCount(1);
  const mail = await mailTo(email, "Refund for order");
  expect(mail.text).toContain("Your friend cannot come, as you asked.");
});
