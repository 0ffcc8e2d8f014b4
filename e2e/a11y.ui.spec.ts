import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures";

/**
 * Every page type, checked by axe (WCAG 2.2 A and AA, and axe's best practices) in light and dark mode; the two
 * browser projects run it at desktop and phone size. A page must also fit its screen: nothing may make a phone
 * scroll sideways (code blocks scroll inside themselves).
 */
const SCHEMES = ["light", "dark"] as const;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

async function violations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  // Readable on failure: which rule, on which elements.
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * How far the page scrolls sideways, and the elements that reach past the screen's edges, the right one or, right
 * to left, the left one (what is inside a code block scrolls within it).
 */
async function overflowing(page: Page) {
  return page.evaluate(() => {
    const { scrollWidth, clientWidth } = document.documentElement;
    const past = [...document.querySelectorAll("body *")]
      .filter((element) => {
        const { left, right, width, height } = element.getBoundingClientRect();
        // A 1 px box is visually hidden text (sr-only, the skip link until focused), wherever it sits.
        if (width <= 1 && height <= 1) return false;
        return right > clientWidth + 0.5 || left < -0.5;
      })
      .filter((element) => !element.parentElement?.closest("pre"))
      .map((element) => `<${element.tagName.toLowerCase()}> ${element.textContent?.slice(0, 60)}`);
    return { sideways: scrollWidth - clientWidth, past };
  });
}

// Paths to check; the inbox is a number of the test's own, with messages of every kind the page shows.
const PAGES = {
  home: () => "/",
  country: () => "/countries/uz",
  inbox: (digits: string) => `/numbers/${digits}`,
  "gateway docs": () => "/docs/gateways",
  "API docs": () => "/docs/api",
  "not found": () => "/numbers/0",
  // Right to left, and a language whose words run long.
  "Arabic home": () => "/ar",
  "Arabic inbox": (digits: string) => `/ar/numbers/${digits}`,
  "Russian inbox": (digits: string) => `/ru/numbers/${digits}`,
  services: () => "/services",
  // Telegram's: the messages below include one, so it lists numbers and messages.
  service: () => "/services/telegram",
  "Arabic service": () => "/ar/services/telegram",
  "Russian service": () => "/ru/services/telegram",
};

test.describe("accessibility", () => {
  let digits = "";

  // axe reads every element's colours and boxes: seconds on a small page, twenty on the guides of every
  // gateway when the machine is busy.
  test.describe.configure({ timeout: 120_000 });

  test.beforeEach(async ({ numbox }) => {
    const created = await numbox.gatewayWithNumber();
    digits = created.digits;
    const messages = [
      { from: "Telegram", text: "Telegram code: 51234. Do not give this code to anyone." },
      { from: "Google", text: "G-482913 is your Google verification code." },
      { from: "Bank", text: "رمز التحقق الخاص بك هو 774411. لا تشاركه مع أحد. https://example.com/help" },
    ];
    const sent = await numbox.inbound(created.gateway, created.key, {
      messages: messages.map((m) => ({ to: created.number, ...m })),
    });
    expect(sent.status).toBe(200);
  });

  for (const scheme of SCHEMES) {
    for (const [name, pathOf] of Object.entries(PAGES)) {
      test(`${name} page: no axe violations, fits the screen (${scheme} mode)`, async ({ numbox, page }) => {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`${numbox.url}${pathOf(digits)}`);
        await expect(page.locator("main")).toBeVisible();
        expect(await violations(page)).toEqual([]);
        expect(await overflowing(page)).toEqual({ sideways: 0, past: [] });
      });
    }
  }
});
