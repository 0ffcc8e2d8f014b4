import { test, expect } from "./fixtures";

/**
 * What a visitor who needs a code does: from a service's page, pick a number that received it lately, open its
 * inbox, and from an inbox find the other numbers that get the same service.
 */
test.describe("service pages in the browser", () => {
  test("a WhatsApp code shows on /services/whatsapp with its number, which leads to the inbox and back", async ({
    numbox,
    page,
  }) => {
    test.setTimeout(120_000);
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const text = "<#> Your WhatsApp code: 314-159. Don't share this code with others.";
    expect((await numbox.inbound(gateway, key, { to: number, from: "WhatsApp", text })).status).toBe(200);

    await page.goto(`${numbox.url}/services`);
    await page.getByTestId("service-link").and(page.locator('[data-slug="whatsapp"]')).click();
    await expect(page).toHaveURL(`${numbox.url}/services/whatsapp`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("WhatsApp SMS codes");

    // Deliverability: our number is listed, received once in the last 24 h.
    const row = page.locator(`[data-testid="service-number"][data-number="${number}"]`);
    await expect(row).toBeVisible();
    await expect(row.getByTestId("service-number-day")).toHaveText("1 in 24 h");
    await expect(row.getByTestId("service-number-week")).toHaveText("1 in 7 days");

    // The message as the inbox shows it: the code emphasised, sender and body left to the text's own direction.
    const card = page.getByTestId("message").filter({ hasText: "314-159" });
    await expect(card.locator("mark")).toHaveText("314-159");
    await expect(card.getByTestId("message-sender")).toHaveAttribute("dir", "auto");
    await expect(card.getByTestId("message-body")).toHaveAttribute("dir", "auto");
    await card.getByTestId("message-number").click();
    await expect(page).toHaveURL(`${numbox.url}/numbers/${digits}`);

    const services = page.getByTestId("number-services");
    await expect(services.getByRole("link", { name: /WhatsApp/ })).toBeVisible();
    await services.getByRole("link", { name: /WhatsApp/ }).click();
    await expect(page).toHaveURL(`${numbox.url}/services/whatsapp`);
  });

  test("the Arabic service page reads right to left, the SMS in its own direction", async ({ numbox, page }) => {
    const { gateway, key, number } = await numbox.gatewayWithNumber();
    expect(
      (await numbox.inbound(gateway, key, { to: number, from: "Telegram", text: "Telegram code: 27182" })).status,
    ).toBe(200);
    await page.goto(`${numbox.url}/ar/services/telegram`);
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("رموز SMS من Telegram");
    await expect(page.locator(`[data-testid="service-number"][data-number="${number}"]`)).toBeVisible();
  });
});

test.describe("filters without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the country page picks the numbers that received a service today", async ({ numbox, page }) => {
    test.setTimeout(120_000);
    const received = await numbox.gatewayWithNumber();
    const other = await numbox.gatewayWithNumber();
    const sent = await numbox.inbound(received.gateway, received.key, {
      to: received.number,
      from: "Telegram",
      text: "Telegram code: 60221. Do not give this code to anyone.",
    });
    expect(sent.status).toBe(200);
    expect(
      (await numbox.inbound(other.gateway, other.key, { to: other.number, from: "Uber", text: "Uber code 1" })).status,
    ).toBe(200);

    await page.goto(`${numbox.url}/countries/uz`);
    await page.getByLabel("Numbers that received").selectOption("telegram");
    await page.getByRole("button", { name: "Show", exact: true }).click();
    await expect(page).toHaveURL(`${numbox.url}/countries/uz?service=telegram`);
    await expect(page.getByTestId("service-filter")).toContainText("received Telegram in the last 24 h");
    await expect(page.locator(`a[href="/numbers/${received.digits}"]`)).toBeVisible();
    await expect(page.locator(`a[href="/numbers/${other.digits}"]`)).toHaveCount(0);

    await page.getByRole("link", { name: "Show all numbers" }).click();
    await expect(page).toHaveURL(`${numbox.url}/countries/uz`);
    await expect(page.locator(`a[href="/numbers/${other.digits}"]`)).toBeVisible();
  });

  test("the inbox's search box finds a message by sender or text", async ({ numbox, page }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const sent = await numbox.inbound(gateway, key, {
      messages: [
        { to: number, from: "Uber", text: "Your Uber code is 5521" },
        { to: number, from: "Bank", text: "Balance: 120.00 USD" },
        { to: number, from: "Shop", text: "Your order ships today" },
      ],
    });
    expect(sent.status).toBe(200);

    await page.goto(`${numbox.url}/numbers/${digits}`);
    const search = page.getByRole("searchbox", { name: "Search this inbox" });
    await search.fill("uber");
    await search.press("Enter");
    await expect(page).toHaveURL(`${numbox.url}/numbers/${digits}?q=uber`);
    const results = page.getByTestId("message-results").getByTestId("message");
    await expect(results).toHaveCount(1);
    await expect(results.first()).toContainText("Your Uber code is 5521");
    await expect(page.getByTestId("search-summary")).toContainText("1 message matches “uber”");

    // By text, not only by sender.
    await search.fill("ships");
    await search.press("Enter");
    await expect(results).toHaveCount(1);
    await expect(results.first()).toContainText("Your order ships today");

    await page.getByRole("link", { name: "Show all messages" }).click();
    await expect(page).toHaveURL(`${numbox.url}/numbers/${digits}`);
    await expect(page.getByTestId("message")).toHaveCount(3);
  });
});
