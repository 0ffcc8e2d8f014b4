import { test, expect } from "./fixtures";

/**
 * The site in other languages: each at its own URL, never chosen for the visitor by the server (a crawler and a
 * visitor asking for the same URL get the same language), offered instead by a suggestion the browser renders.
 */
test.describe("languages", () => {
  test("an inbox in Russian: <html lang dir>, its text, and hreflang alternates", async ({ numbox, page }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const posted = await numbox.inbound(gateway, key, { to: number, from: "Telegram", text: "Telegram code: 51234" });
    expect(posted.status).toBe(200);

    await page.goto(`${numbox.url}/ru/numbers/${digits}`);
    await expect(page.locator("html")).toHaveAttribute("lang", "ru");
    await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
    await expect(page.getByRole("heading", { level: 2, name: "Сообщения" })).toBeVisible();
    await expect(page.getByTestId("live-status")).toHaveText("Онлайн");
    await expect(page.getByText("Коды не приходят?")).toBeVisible();
    // The message itself is shown exactly as received, whatever the page's language.
    await expect(page.getByTestId("message").first()).toContainText("Telegram code: 51234");

    // Every language's copy of the page, English as x-default, absolute on the public URL; the page is its own canonical.
    const alternates = await page
      .locator('link[rel="alternate"][hreflang]')
      .evaluateAll((links) => links.map((l) => [l.getAttribute("hreflang"), l.getAttribute("href")]));
    expect(Object.fromEntries(alternates)).toEqual({
      en: `${numbox.url}/numbers/${digits}`,
      ru: `${numbox.url}/ru/numbers/${digits}`,
      es: `${numbox.url}/es/numbers/${digits}`,
      "pt-BR": `${numbox.url}/pt-br/numbers/${digits}`,
      "zh-Hans": `${numbox.url}/zh/numbers/${digits}`,
      ar: `${numbox.url}/ar/numbers/${digits}`,
      hi: `${numbox.url}/hi/numbers/${digits}`,
      id: `${numbox.url}/id/numbers/${digits}`,
      tr: `${numbox.url}/tr/numbers/${digits}`,
      uz: `${numbox.url}/uz/numbers/${digits}`,
      "x-default": `${numbox.url}/numbers/${digits}`,
    });
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", `${numbox.url}/ru/numbers/${digits}`);
  });

  test("an inbox in Arabic is right to left, its phone number and code left to right", async ({ numbox, page }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const posted = await numbox.inbound(gateway, key, { to: number, from: "Telegram", text: "Telegram code: 51234" });
    expect(posted.status).toBe(200);

    await page.goto(`${numbox.url}/ar/numbers/${digits}`);
    await expect(page.locator("html")).toHaveAttribute("lang", "ar");
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(page.getByRole("heading", { level: 2, name: "الرسائل" })).toBeVisible();
    await expect(page.locator("h1 [dir=ltr]")).toHaveText(/^\+998 90/);
    await expect(page.getByTestId("message").first().locator("[dir=ltr]").first()).toHaveText("51234");
  });

  test("the switcher leads to the same page in another language, and back to English's own URL", async ({
    numbox,
    page,
  }) => {
    const { digits } = await numbox.gatewayWithNumber();
    await page.goto(`${numbox.url}/numbers/${digits}`);
    const switcher = page.getByRole("navigation", { name: "Language" });
    await switcher.getByTestId("language-switcher").click();
    await switcher.getByRole("link", { name: "العربية" }).click();
    await expect(page).toHaveURL(`${numbox.url}/ar/numbers/${digits}`);
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(page.getByRole("heading", { level: 2, name: "الرسائل" })).toBeVisible();

    const arabic = page.getByRole("navigation", { name: "اللغة" });
    await arabic.getByTestId("language-switcher").click();
    await arabic.getByRole("link", { name: "English" }).click();
    // English lives at the unprefixed URL: the switcher goes there, not through a /en redirect.
    await expect(page).toHaveURL(`${numbox.url}/numbers/${digits}`);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 2, name: "Messages" })).toBeVisible();
  });

  test("the switcher is plain links: it works without JavaScript", async ({ numbox, browser }) => {
    const { digits } = await numbox.gatewayWithNumber();
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${numbox.url}/numbers/${digits}`);
      await page.getByTestId("language-switcher").click();
      await page.getByRole("link", { name: "Русский" }).click();
      await expect(page).toHaveURL(`${numbox.url}/ru/numbers/${digits}`);
      await expect(page.locator("html")).toHaveAttribute("lang", "ru");
    } finally {
      await context.close();
    }
  });

  test("the server never picks a language: Accept-Language and cookies get English at /", async ({ numbox }) => {
    const asks: Record<string, string>[] = [{ "Accept-Language": "ru-RU,ru;q=0.9" }, { Cookie: "NEXT_LOCALE=ar" }];
    for (const headers of asks) {
      const response = await numbox.get("/", headers);
      expect(response.status).toBe(200);
      expect(response.redirected).toBe(false);
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(await response.text()).toMatch(/<html lang="en" dir="ltr">/);
    }
    // English has one address: the prefixed one only redirects there, for good (e2e/seo.api.spec.ts has the rest).
    const prefixed = await fetch(`${numbox.url}/en`, { redirect: "manual" });
    expect(prefixed.status).toBe(308);
    expect(prefixed.headers.get("location")).toMatch(/^\/$|\/$/);
  });

  test("a Russian browser gets English at / with a suggestion in Russian, which goes once dismissed", async ({
    numbox,
    browser,
  }) => {
    const context = await browser.newContext({ locale: "ru-RU" });
    try {
      const page = await context.newPage();
      await page.goto(numbox.url);
      await expect(page).toHaveURL(`${numbox.url}/`);
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      const suggestion = page.getByTestId("language-suggestion");
      await expect(suggestion).toContainText("Эта страница есть и на русском языке.");
      await expect(suggestion).toHaveAttribute("lang", "ru");

      await suggestion.getByRole("button", { name: "Нет, спасибо" }).click();
      await expect(suggestion).toBeHidden();
      // Remembered: on the next page, once it runs (the inbox is live), there is nothing to dismiss again.
      const { digits } = await numbox.gatewayWithNumber();
      await page.goto(`${numbox.url}/numbers/${digits}`);
      await expect(page.getByTestId("live-status")).toHaveText("Live");
      await expect(page.getByTestId("language-suggestion")).toHaveCount(0);
    } finally {
      await context.close();
    }

    const fresh = await browser.newContext({ locale: "ru-RU" });
    try {
      const page = await fresh.newPage();
      await page.goto(numbox.url);
      await page.getByTestId("language-suggestion").getByRole("link", { name: "Читать на русском" }).click();
      await expect(page).toHaveURL(`${numbox.url}/ru`);
      await expect(page.locator("html")).toHaveAttribute("lang", "ru");
      // Now in the browser's own language: nothing left to suggest.
      await expect(page.getByTestId("language-suggestion")).toHaveCount(0);
    } finally {
      await fresh.close();
    }
  });

  test("an Arabic SMS reads right to left inside the English page, sender and body", async ({ numbox, page }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const text = "رمز التحقق الخاص بك هو 482910. لا تشاركه مع أحد.";
    expect((await numbox.inbound(gateway, key, { to: number, from: "بنك", text })).status).toBe(200);
    await page.goto(`${numbox.url}/numbers/${digits}`);
    const message = page.getByTestId("message").first();
    await expect(message).toContainText(text);
    for (const part of [message.getByTestId("message-body"), message.getByTestId("message-sender")]) {
      await expect(part).toHaveAttribute("dir", "auto");
      expect(await part.evaluate((element) => getComputedStyle(element).direction)).toBe("rtl");
    }
    // And a Latin SMS stays left to right inside the Arabic page.
    expect(
      (await numbox.inbound(gateway, key, { to: number, from: "Google", text: "G-123456 is your code" })).status,
    ).toBe(200);
    await page.goto(`${numbox.url}/ar/numbers/${digits}`);
    const latin = page.getByTestId("message").first().getByTestId("message-body");
    await expect(latin).toContainText("G-123456");
    expect(await latin.evaluate((element) => getComputedStyle(element).direction)).toBe("ltr");
  });
});

test.describe("a code's age", () => {
  test("a code received over ten minutes ago is marked as probably expired, in the page's language", async ({
    numbox,
    page,
  }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const old = new Date(Date.now() - 15 * 60_000).toISOString();
    expect(
      (
        await numbox.inbound(gateway, key, {
          messages: [
            { to: number, from: "Uber", text: "Your Uber code: 4821", receivedAt: old },
            { to: number, from: "Telegram", text: "Telegram code: 51234" },
          ],
        })
      ).status,
    ).toBe(200);

    await page.goto(`${numbox.url}/ru/numbers/${digits}`);
    const [fresh, stale] = [page.getByTestId("message").nth(0), page.getByTestId("message").nth(1)];
    await expect(stale).toContainText("Your Uber code: 4821");
    await expect(stale.getByTestId("code-expired")).toHaveText("Скорее всего, истёк");
    await expect(stale.getByTestId("code-age")).toContainText("15 минут назад");
    await expect(fresh.getByTestId("code-expired")).toHaveCount(0);
    await expect(fresh.getByTestId("code-age")).toContainText("Получен");
    // The live indicator stays as it was.
    await expect(page.getByTestId("live-status")).toHaveText("Онлайн");
  });

  test("a fresh code becomes probably expired as time passes, without a reload", async ({ numbox, page }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    expect((await numbox.inbound(gateway, key, { to: number, from: "Svc", text: "Your code is 724193" })).status).toBe(
      200,
    );
    await page.clock.install();
    await page.goto(`${numbox.url}/numbers/${digits}`);
    const message = page.getByTestId("message").first();
    await expect(message.getByTestId("code-age")).toContainText("just now");
    await expect(message.getByTestId("code-expired")).toHaveCount(0);

    await page.clock.fastForward("11:00");
    await expect(message.getByTestId("code-expired")).toHaveText("Probably expired");
    await expect(message.getByTestId("code-age")).toContainText("11 minutes ago");
  });
});
