import { test, expect } from "./fixtures";

test.describe("inbox page", () => {
  test("a message posted through the API appears at the top without a reload, its code one click to copy", async ({
    numbox,
    page,
    context,
  }, testInfo) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    await numbox.inbound(gateway, key, { to: number, from: "Uber", text: "Your Uber code: 4821" });

    await page.goto(`${numbox.url}/numbers/${digits}`);
    // Server-rendered: the stored message is in the first paint.
    const messages = page.getByTestId("message");
    await expect(messages).toHaveCount(1);
    await expect(messages.first()).toContainText("Your Uber code: 4821");
    await expect(page.getByTestId("live-status")).toHaveText(/live/i);

    await numbox.inbound(gateway, key, {
      to: number,
      from: "Telegram",
      text: "Telegram code: 51234\n\n<img src=x onerror=alert(1)>",
    });
    await expect(messages).toHaveCount(2);
    const newest = messages.first();
    await expect(newest).toContainText("Telegram");
    // SMS text is shown as text, never run as HTML.
    await expect(newest).toContainText("<img src=x onerror=alert(1)>");
    await expect(newest.locator("img")).toHaveCount(0);

    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: numbox.url });
    await newest.getByRole("button", { name: "51234 Copy" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("51234");

    await page.screenshot({ path: `e2e/screenshots/inbox-${testInfo.project.name}.png`, fullPage: true });
  });

  test("a message the operator hides leaves the open page at once", async ({ numbox, page }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const posted = await numbox.inbound(gateway, key, {
      messages: [
        { to: number, from: "Bank", text: "Your code is 1234" },
        { to: number, from: "Spam", text: "Cheap watches, click here" },
      ],
    });
    const [, spamId] = (await posted.json()).ids as number[];
    await page.goto(`${numbox.url}/numbers/${digits}`);
    const messages = page.getByTestId("message");
    await expect(messages).toHaveCount(2);
    // A message that arrives live proves the page's stream is subscribed.
    await numbox.inbound(gateway, key, { to: number, from: "Bank", text: "Your code is 5678" });
    await expect(messages).toHaveCount(3);

    expect((await numbox.admin(`/messages/${spamId}`, { method: "DELETE" })).status).toBe(200);
    await expect(messages).toHaveCount(2);
    await expect(messages.first()).toContainText("Your code is 5678");
    await expect(page.getByText("Cheap watches")).toHaveCount(0);
  });

  test("older messages page by cursor, each exactly once", async ({ numbox, page }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const texts = Array.from({ length: 45 }, (_, i) => `Your code is ${1000 + i}`);
    expect(
      (await numbox.inbound(gateway, key, { messages: texts.map((text) => ({ to: number, from: "Svc", text })) }))
        .status,
    ).toBe(200);

    await page.goto(`${numbox.url}/numbers/${digits}`);
    const messages = page.getByTestId("message");
    const initial = await messages.count();
    expect(initial).toBeLessThan(45);
    const older = page.getByRole("button", { name: /older messages/i });
    // One page per click: wait for it to arrive before the next (the button goes once nothing older is left).
    for (let shown = initial; shown < 45; shown = await messages.count()) {
      await older.click();
      await expect(messages).not.toHaveCount(shown);
      // Focus moves to the first message loaded, where the reader goes on.
      await expect(messages.nth(shown)).toBeFocused();
    }
    await expect(messages).toHaveCount(45);
    await expect(older).toBeHidden();
    const shown = await messages.evaluateAll((items) => items.map((el) => el.getAttribute("data-id")));
    expect(new Set(shown).size).toBe(45);
    await expect(messages.first()).toContainText("Your code is 1044");
    await expect(messages.last()).toContainText("Your code is 1000");
  });

  test("unknown numbers and countries get a real 404 page", async ({ numbox, page }) => {
    const number = await page.goto(`${numbox.url}/numbers/998000000009`);
    expect(number?.status()).toBe(404);
    await expect(page.getByRole("link", { name: /home|numbox/i }).first()).toBeVisible();
    const country = await page.goto(`${numbox.url}/countries/zz`);
    expect(country?.status()).toBe(404);
  });
});

test("home lists countries and leads to a number's inbox", async ({ numbox, page }, testInfo) => {
  // Two full-page screenshots of a country page that lists every number the suite has made (130 and more): on
  // a phone-sized browser on a busy machine they alone can take most of a minute.
  test.setTimeout(120_000);
  const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
  await numbox.inbound(gateway, key, {
    to: number,
    from: "Google",
    text: "G-123456 is your Google verification code.",
  });

  await page.goto(numbox.url);
  await page.screenshot({ path: `e2e/screenshots/home-${testInfo.project.name}.png`, fullPage: true });
  await page
    .getByRole("link", { name: /uzbekistan/i })
    .first()
    .click();
  await expect(page).toHaveURL(/\/countries\/uz$/);
  await page.screenshot({ path: `e2e/screenshots/country-${testInfo.project.name}.png`, fullPage: true });
  await page.locator(`a[href="/numbers/${digits}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`/numbers/${digits}$`));
  await expect(page.getByTestId("message").first()).toContainText("123456");
});
