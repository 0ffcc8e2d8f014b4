import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures";

/*
 * A headless browser always shows its pages, so "the visitor is in another tab" is played by the page itself:
 * this script makes the document report hidden or visible on demand (and fires visibilitychange, as the browser
 * does), and records the notifications and chimes the page makes through the browser's real APIs.
 */
function observeAlerts() {
  type Seen = { hidden: boolean; notifications: { title: string; body?: string }[]; tones: number; asked: number };
  const seen: Seen = { hidden: false, notifications: [], tones: 0, asked: 0 };
  (window as unknown as { seen: Seen }).seen = seen;
  Object.defineProperty(Document.prototype, "visibilityState", {
    configurable: true,
    get: () => (seen.hidden ? "hidden" : "visible"),
  });
  const Real = window.Notification;
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      seen.notifications.push({ title, body: options?.body });
    }
  }
  Object.defineProperty(Recorded, "requestPermission", {
    value: () => {
      seen.asked += 1;
      return Real.requestPermission();
    },
  });
  window.Notification = Recorded;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    seen.tones += 1;
    return start.apply(this, args);
  };
}

type Seen = { notifications: { title: string; body?: string }[]; tones: number; asked: number };
const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: Seen }).seen);
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((hidden) => {
    (window as unknown as { seen: { hidden: boolean } }).seen.hidden = hidden;
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);

test.describe("alerts for an inbox in a background tab", () => {
  test("nothing is asked before a click; once allowed, a message in the background notifies with its code, chimes and counts in the title", async ({
    numbox,
    page,
    context,
  }) => {
    // A visit, five messages and a reload: 20 s on a quiet machine, several times that on a busy one.
    test.setTimeout(120_000);
    await page.addInitScript(observeAlerts);
    await context.grantPermissions(["notifications"], { origin: numbox.url });
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    await page.goto(`${numbox.url}/numbers/${digits}`);
    await expect(page.getByTestId("live-status")).toHaveText(/live/i);
    const title = await page.title();
    const notify = page.getByRole("button", { name: "Notify me" });
    const sound = page.getByRole("button", { name: "Sound" });
    await expect(notify).toHaveAttribute("aria-pressed", "false");
    await expect(sound).toHaveAttribute("aria-pressed", "false");

    // Off by default: a message in the background only counts in the title.
    await setHidden(page, true);
    await numbox.inbound(gateway, key, { to: number, from: "Shop", text: "Your order has shipped" });
    await expect(page).toHaveTitle(`(1) ${title}`);
    expect(await seen(page)).toMatchObject({ notifications: [], tones: 0, asked: 0 });
    await setHidden(page, false);
    await expect(page).toHaveTitle(title);

    await notify.click();
    await sound.click();
    await expect(notify).toHaveAttribute("aria-pressed", "true");
    await expect(sound).toHaveAttribute("aria-pressed", "true");

    // In view, the inbox itself is the alert.
    await numbox.inbound(gateway, key, { to: number, from: "Bank", text: "Balance updated" });
    await expect(page.getByTestId("message")).toHaveCount(2);
    await setHidden(page, true);
    await numbox.inbound(gateway, key, { to: number, from: "Telegram", text: "Telegram code: 51234" });
    await expect
      .poll(async () => (await seen(page)).notifications)
      .toEqual([{ title: "Code 51234", body: "Telegram: Telegram code: 51234" }]);
    await numbox.inbound(gateway, key, { to: number, from: "Uber", text: "<b>Hi</b> from Uber" });
    await expect(page).toHaveTitle(`(2) ${title}`);
    const after = await seen(page);
    expect(after.notifications[1]).toEqual({ title: "New SMS from Uber", body: "Uber: <b>Hi</b> from Uber" });
    // Two tones a chime, one chime a message.
    expect(after.tones).toBe(4);
    await setHidden(page, false);
    await expect(page).toHaveTitle(title);

    // Remembered: the next visit has both on, and still asks nothing.
    await page.reload();
    await expect(notify).toHaveAttribute("aria-pressed", "true");
    await expect(sound).toHaveAttribute("aria-pressed", "true");
    expect((await seen(page)).asked).toBe(0);
    await notify.click();
    await expect(notify).toHaveAttribute("aria-pressed", "false");
  });

  test("a browser that refuses notifications: the toggle stays off and says why, in the page's language", async ({
    numbox,
    page,
  }) => {
    await page.addInitScript(observeAlerts);
    const { digits } = await numbox.gatewayWithNumber();
    await page.goto(`${numbox.url}/ru/numbers/${digits}`);
    await expect(page.getByTestId("live-status")).toHaveText(/онлайн|live/i);
    expect((await seen(page)).asked).toBe(0);
    const notify = page.getByRole("button", { name: "Уведомлять" });
    await notify.click();
    // Asked once, on the click; headless Chromium answers for a visitor who says no.
    await expect.poll(async () => (await seen(page)).asked).toBe(1);
    await expect(page.getByRole("alert").filter({ hasText: "Уведомления для этого сайта запрещены" })).toBeVisible();
    await expect(notify).toHaveAttribute("aria-pressed", "false");
  });
});
