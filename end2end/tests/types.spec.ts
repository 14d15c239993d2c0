import { DEMO_PASSWORD, expect, hydrated, signIn, signOut, signUp, test, uniqueEmail } from "./helpers";

test("an event with two ticket types sharing a capacity: created, bought one of each, both checked in", async ({ page }) => {
  test.setTimeout(90_000);
  const title = `Harbour Hall Double Bill ${Date.now()}`;

  // The organizer creates the event with Standing and Seated sharing 50 places.
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await page.getByRole("link", { name: "New event" }).click();
  await expect(page).toHaveURL(/^[^?]*\/organizer\/events\/new$/);
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Venue").fill("Harbour Hall, Hull");
  await page.getByLabel("Capacity shared by all types").fill("50");
  const types = page.getByTestId("type-editor");
  await types.nth(0).getByLabel("Name").fill("Standing");
  await types.nth(0).getByLabel("Price").fill("20");
  await types.nth(0).getByLabel("Quantity").fill("40");
  await page.getByRole("button", { name: "Add a ticket type" }).click();
  await expect(types).toHaveCount(2);
  await types.nth(1).getByLabel("Name").fill("Seated");
  await types.nth(1).getByLabel("Price").fill("35");
  await types.nth(1).getByLabel("Quantity").fill("30");
  // The preview shows the cheapest price.
  await expect(page.getByTestId("preview").getByTestId("event-price")).toHaveText("from €20.00");
  await page.getByLabel("Status").selectOption("published");
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page).toHaveURL(/\/organizer\?saved=[0-9a-f-]+$/);
  const row = page.getByTestId("my-event-row").filter({ hasText: title });
  await expect(row).toContainText("capacity 50");
  await expect(row.getByTestId("my-type-row")).toHaveCount(2);
  await signOut(page);

  // A buyer picks one of each with one "Add to cart".
  const buyer = `Two Types ${Date.now()}`;
  await signUp(page, buyer, uniqueEmail("twotypes"), "one of each please");
  await page.goto(`/?q=${encodeURIComponent("harbour hall double")}`);
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByTestId("event-title")).toHaveText(title);
  await hydrated(page);
  await expect(page.getByTestId("ticket-type")).toHaveCount(2);
  await page.getByRole("button", { name: "One more Standing" }).click();
  await page.getByRole("button", { name: "One more Seated" }).click();
  await expect(page.getByTestId("quantity-total")).toHaveText("Total €55.00");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("added-to-cart")).toBeVisible();
  await expect(page.getByTestId("cart-count")).toHaveText(" (2)");

  await page.goto("/cart");
  await hydrated(page);
  await expect(page.getByTestId("cart-line-type")).toHaveText(["Standing", "Seated"]);
  await page.getByRole("button", { name: "Check out" }).click();
  await expect(page).toHaveURL(/\/pay\/cs_/);
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Paid. 2 tickets issued.", { timeout: 20_000 });
  const tickets = page.getByTestId("order-tickets").getByRole("link");
  await expect(tickets).toHaveCount(2);
  const orderUrl = page.url();
  const codes: string[] = [];
  for (const index of [0, 1]) {
    await page.goto(orderUrl);
    await page.getByTestId("order-tickets").getByRole("link").nth(index).click();
    await expect(page.getByTestId("ticket-type")).toHaveText(index === 0 ? "Standing" : "Seated");
    codes.push((await page.getByTestId("ticket-code").textContent())!.trim());
  }
  await signOut(page);

  // The door admits both, each named with its type.
  await signIn(page, "organizer@example.com", DEMO_PASSWORD, "/signin?next=/organizer");
  await page.getByTestId("my-event-row").filter({ hasText: title }).getByRole("link", { name: "Check-in" }).click();
  await expect(page).toHaveURL(/^[^?]*\/checkin$/);
  await hydrated(page);
  // Seats are numbered across the order: the Standing ticket is ticket 1, the Seated one ticket 2.
  for (const [index, type] of ["Standing", "Seated"].entries()) {
    await page.getByLabel("Ticket code").fill(codes[index]);
    await page.getByRole("button", { name: "Check in" }).click();
    await expect(page.getByTestId("scan-result")).toHaveText(`Checked in: ${buyer}, ${type}, ticket ${index + 1}`);
  }
  await expect(page.getByTestId("door-counts")).toHaveText("2 checked in of 2 sold");
});
