import type { Page, Request } from "@playwright/test";
import { test, expect } from "./fixtures";
import { hostileMessages } from "./xss-payloads";

/**
 * Records what would show that something ran or tried to: dialogs (every payload calls alert), CSP violations
 * (a blocked injected handler or script), and errors in the console. Init scripts run outside the page's CSP.
 */
async function watch(page: Page) {
  const dialogs: string[] = [];
  const problems: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // A 404 page's own status shows as a failed resource load; that is the page, not a problem.
    if (message.type() === "error" && !/status of 404/.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
    });
  });
  return { dialogs, problems };
}

test.describe("hostile SMS in the inbox page", () => {
  test("show as inert text, server-rendered and live, in sender and text", async ({ numbox, page }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const sent = hostileMessages(number, "xss-ui");
    const early = sent.slice(0, 25);
    const live = sent.slice(25);
    expect((await numbox.inbound(gateway, key, { messages: early })).status).toBe(200);

    const { dialogs, problems } = await watch(page);
    await page.goto(`${numbox.url}/numbers/${digits}`);
    const messages = page.getByTestId("message");
    await expect(messages).toHaveCount(early.length);
    await expect(page.getByTestId("live-status")).toHaveText(/live/i);

    // Each live message goes through the stream on its own, as a modem would post it.
    for (const message of live) expect((await numbox.inbound(gateway, key, message)).status).toBe(200);
    await expect(messages).toHaveCount(sent.length);
    await page.mouse.move(200, 300); // hover handlers, had any been injected
    // The hover is dispatched and a frame drawn: whatever it would have run has run.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

    // Newest first on the page: reversed, they are in the order sent.
    const shown = await messages.evaluateAll((cards) =>
      cards.reverse().map((card) => {
        const text = card.querySelector("[data-testid=message-text]")!;
        const sender = card.querySelector("h3")!;
        return {
          from: sender.textContent,
          text: text.textContent,
          senderElements: sender.children.length,
          // Whatever elements the text holds: only <mark> (the code) and <a> (safe links) may appear.
          textElements: [...text.querySelectorAll("*")].map((el) => el.tagName.toLowerCase()),
          links: [...text.querySelectorAll("a")].map((a) => ({
            href: a.getAttribute("href")!,
            shown: a.textContent!,
            rel: a.rel,
            target: a.target,
          })),
        };
      }),
    );
    expect(shown.map(({ from, text }) => ({ from, text }))).toEqual(sent.map(({ from, text }) => ({ from, text })));
    for (const message of shown) {
      expect(message.senderElements).toBe(0);
      expect(
        message.textElements.every((tag) => tag === "mark" || tag === "a"),
        message.textElements.join(),
      ).toBe(true);
      for (const link of message.links) {
        expect(link.href).toMatch(/^https?:\/\/[a-z0-9.-]+(:\d+)?\//);
        // What the visitor reads is where the link goes.
        expect(new URL(link.shown).href).toBe(link.href);
        expect(link.rel).toBe("nofollow noopener noreferrer ugc");
        expect(link.target).toBe("_blank");
      }
    }
    // The honest links became links; the look-alikes and the dangerous schemes did not.
    const links = shown.flatMap((m) => m.links.map((l) => l.href));
    expect(links).toContain("https://example.com/login?code=7391");
    expect(links).toContain("https://evil.example/x.css"); // a real address, shown as it is
    expect(links.some((href) => /@|apple|xn--|javascript|data:|vbscript|gpj/i.test(href))).toBe(false);

    // Nothing from the messages reached the document: no element any payload would create exists in a message
    // card (whose own icons are aria-hidden SVGs), and no <base> or refresh anywhere.
    const injected = await page.evaluate(() =>
      [
        ...document.querySelectorAll(
          "[data-testid=message] :is(img, svg:not([aria-hidden]), iframe, object, embed, style, link, video, math, details, input, form, script, b), base, meta[http-equiv]",
        ),
      ].map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(injected).toEqual([]);
    // Every script in the document is one of ours: it carries this response's nonce.
    expect(await page.evaluate(() => [...document.scripts].every((s) => (s.nonce ?? "").length > 0))).toBe(true);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  });

  test("a safe link in an SMS opens in a new tab without telling the site where the visitor came from", async ({
    numbox,
    page,
    context,
  }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    await numbox.inbound(gateway, key, { to: number, from: "Shop", text: `Confirm: ${numbox.url}/api/v1/countries` });
    await page.goto(`${numbox.url}/numbers/${digits}`);
    const link = page.getByTestId("message-text").getByRole("link");
    await expect(link).toHaveAttribute("href", `${numbox.url}/api/v1/countries`);

    const requests: Request[] = [];
    context.on("request", (request) => {
      if (request.url().endsWith("/api/v1/countries")) requests.push(request);
    });
    const opened = context.waitForEvent("page");
    await link.click();
    const tab = await opened;
    await tab.waitForLoadState();
    // noopener: the new tab cannot reach back to the inbox; noreferrer + Referrer-Policy: no number in Referer.
    expect(await tab.evaluate(() => window.opener)).toBeNull();
    expect(await tab.evaluate(() => document.referrer)).toBe("");
    expect(requests).toHaveLength(1);
    expect(await requests[0]!.headerValue("referer")).toBeNull();
  });
});

test("pages hydrate under the CSP, without a single violation", async ({ numbox, page }) => {
  const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
  await numbox.inbound(gateway, key, {
    to: number,
    from: "Google",
    text: "G-123456 is your Google verification code.",
  });
  const { dialogs, problems } = await watch(page);

  for (const path of ["/", "/countries/uz", `/numbers/${digits}`, "/docs/gateways", "/numbers/998000000009"]) {
    await page.goto(numbox.url + path);
    await page.waitForLoadState("networkidle").catch(() => {}); // the inbox's stream never goes idle
  }
  // Hydrated: client-side navigation works, and the inbox goes live.
  await page.goto(numbox.url);
  await page.locator(`a[href="/numbers/${digits}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`/numbers/${digits}$`));
  await expect(page.getByTestId("live-status")).toHaveText(/live/i);
  await numbox.inbound(gateway, key, { to: number, from: "Telegram", text: "Telegram code: 51234" });
  await expect(page.getByTestId("message").first()).toContainText("51234");

  expect(dialogs).toEqual([]);
  expect(problems).toEqual([]);
});
