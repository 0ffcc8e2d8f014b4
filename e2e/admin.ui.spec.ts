import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { Numbox, test, expect, freshDigits } from "./fixtures";
import { startServer, type TestServer } from "./servers";

/**
 * The admin web UI as an operator uses it, in a real browser against the production server: sign in, add a
 * gateway and its number, send it a message as the source would, watch it on the public inbox, hide it from the
 * admin, and see it leave the open public page without a reload.
 */

async function signIn(page: Page, url: string, token: string) {
  await page.goto(`${url}/admin`);
  await page.getByLabel("Admin token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("admin web UI", () => {
  // The first test is an operator's whole journey through a dozen server-rendered screens and the public inbox.
  test.describe.configure({ timeout: 120_000 });

  test("sign in, add a gateway and a number, see a message on the public inbox, hide it live, sign out", async ({
    numbox,
    page,
    context,
  }) => {
    // A wrong token is refused, and says that it counts against the admin lockout.
    await signIn(page, numbox.url, "not-the-token");
    // (Next's route announcer is an alert too.)
    await expect(page.getByRole("alert").filter({ hasText: "That is not the admin token" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Overview" })).toHaveCount(0);
    // Nothing of what was typed comes back in the URL or the page.
    expect(page.url()).not.toContain("not-the-token");
    expect(await page.content()).not.toContain("not-the-token");

    await page.getByLabel("Admin token").fill(numbox.adminToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    expect(await page.content()).not.toContain(numbox.adminToken);
    const cookie = (await context.cookies()).find((c) => c.name === "numbox_admin")!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/admin" });
    expect(cookie.value).not.toContain(numbox.adminToken);

    // Add a gateway: its key and the URL to paste are shown once, with its setup guide.
    const gateway = `ui-${randomBytes(4).toString("hex")}`;
    await page.getByRole("link", { name: "Gateways" }).click();
    await page.getByLabel("Id", { exact: true }).fill(gateway);
    await page.getByLabel("Kind", { exact: true }).selectOption("generic");
    await page.getByRole("button", { name: "Add gateway" }).click();
    const key = (await page.getByTestId("API key").textContent())!;
    expect(key).toMatch(/^nbx_/);
    await expect(page.getByTestId("URL to paste")).toHaveText(`${numbox.url}/api/inbound/${gateway}`);
    await expect(page.getByRole("heading", { name: /Generic JSON|generic/ }).first()).toBeVisible();
    await expect(page.getByTestId("gateway").filter({ hasText: gateway })).toBeVisible();

    // Its config can change later, in place: only loopback may send (where this test's posts come from).
    const listed = page.getByTestId("gateway").filter({ hasText: gateway });
    await listed.getByLabel(/^Config/).fill('{"allowIps":["127.0.0.0/8"]}');
    await listed.getByRole("button", { name: "Save config" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${gateway} works with the new config` })).toBeVisible();

    // Add its number.
    const digits = freshDigits();
    await page.getByRole("link", { name: "Numbers" }).click();
    await page.getByLabel("Number (international form)").fill(`+${digits}`);
    await page.getByLabel("Gateway", { exact: true }).selectOption(gateway);
    await page.getByRole("button", { name: "Add number" }).click();
    await expect(page.getByRole("status").filter({ hasText: `+${digits} is added to ${gateway}` })).toBeVisible();
    // Moved to the phone's second SIM slot, and back to being the gateway's only number.
    const slot = page.getByLabel(`On ${gateway}, SIM slot`);
    await slot.selectOption("2");
    await page
      .getByRole("form", { name: `SIM slot of +${digits}` })
      .getByRole("button", { name: "Set SIM slot" })
      .click();
    await expect(page.getByRole("status").filter({ hasText: `+${digits} is in SIM slot 2 now` })).toBeVisible();
    await page.reload();
    await expect(slot).toHaveValue("2");
    await slot.selectOption("");
    await page
      .getByRole("form", { name: `SIM slot of +${digits}` })
      .getByRole("button", { name: "Set SIM slot" })
      .click();
    await expect(
      page.getByRole("status").filter({ hasText: `+${digits} is its gateway's only number now` }),
    ).toBeVisible();

    // The source posts with the key read from the page; the public inbox, open in another tab, shows it.
    const posted = await numbox.inbound(gateway, key, { to: `+${digits}`, from: "Spammer", text: "Cheap watches" });
    expect(posted.status, await posted.clone().text()).toBe(200);
    const inbox = await context.newPage();
    await inbox.goto(`${numbox.url}/numbers/${digits}`);
    const messages = inbox.getByTestId("message");
    await expect(messages).toHaveCount(1);
    // A message that arrives live proves the open page's stream is subscribed.
    await numbox.inbound(gateway, key, { to: `+${digits}`, from: "Bank", text: "Your code is 4321" });
    await expect(messages).toHaveCount(2);

    // Hide the spam from the admin's Messages screen: it leaves the open public page without a reload.
    // The suite's other tests post hundreds of messages meanwhile: the operator searches for the gateway's.
    await page.getByRole("link", { name: "Messages" }).click();
    await page.getByLabel("Sender, text, number or gateway").fill(gateway);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByTestId("admin-message")).toHaveCount(2);
    const spam = page.getByTestId("admin-message").filter({ hasText: "Cheap watches" });
    await spam.getByRole("button", { name: "Hide" }).click();
    await expect(spam).toContainText("Hidden from the public pages.");
    await expect(messages).toHaveCount(1);
    await expect(inbox.getByText("Cheap watches")).toHaveCount(0);
    await expect(messages.first()).toContainText("Your code is 4321");

    // A host still sending with an old key shows on its gateway (and on the overview when among the most
    // refused: not here, where the suite's other tests are refused hundreds of times meanwhile).
    expect((await numbox.inbound(gateway, "nbx_an-old-key", { to: `+${digits}`, from: "A", text: "x" })).status).toBe(
      401,
    );
    await page.getByRole("link", { name: "Gateways" }).click();
    await expect(page.getByTestId("gateway").filter({ hasText: gateway }).getByTestId("gateway-refusals")).toHaveText(
      "Refused since this instance started: bad_key × 1",
    );

    // Sign out: /admin asks to sign in again.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByLabel("Admin token")).toBeVisible();
    expect((await context.cookies()).find((c) => c.name === "numbox_admin")).toBeUndefined();
    await page.goto(`${numbox.url}/admin/gateways`);
    await expect(page.getByLabel("Admin token")).toBeVisible();
  });

  test("a state-changing request from another origin is refused, even signed in", async ({ numbox, page, context }) => {
    await signIn(page, numbox.url, numbox.adminToken);
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    const session = (await context.cookies()).find((c) => c.name === "numbox_admin")!.value;
    const from = (origin: string | null, path: string, body: string) =>
      fetch(`${numbox.url}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Cookie: `numbox_admin=${session}`,
          ...(origin === null ? {} : { Origin: origin }),
        },
        body,
      });
    for (const origin of ["https://elsewhere.example", null]) {
      const signIn = await from(origin, "/admin/sign-in", `token=${numbox.adminToken}`);
      expect(signIn.status).toBe(403);
      expect(signIn.headers.get("set-cookie")).toBeNull();
      expect(await signIn.text()).toContain("did not come from a page of this site");
      expect((await from(origin, "/admin/gateways", "id=evil&kind=generic")).status).toBe(403);
      expect((await from(origin, "/admin/sign-out", "")).status).toBe(403);
    }
    // From the site itself, the same sign-in is taken.
    const own = await from(numbox.url, "/admin/sign-in", `token=${numbox.adminToken}`);
    expect(own.status).toBe(303);
    expect(own.headers.get("set-cookie")).toMatch(/^numbox_admin=/);
  });

  test("signing in works without JavaScript", async ({ numbox, browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, numbox.url, numbox.adminToken);
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByLabel("Admin token")).toBeVisible();
    await context.close();
  });

  test("moderation: redaction rules with the API's pattern checks, and purge now", async ({ numbox, page }) => {
    await signIn(page, numbox.url, numbox.adminToken);
    await page.getByRole("link", { name: "Moderation" }).click();
    // A sender of this test's own: a rule applies to every message the shared server stores from now on.
    const sender = `Rule${randomBytes(4).toString("hex")}`;
    const form = page.getByRole("form", { name: "Add a redaction rule" });
    await form.getByLabel("Sender").fill(sender);
    await form.getByLabel("Pattern").fill("(a+)+");
    await form.getByRole("button", { name: "Add rule" }).click();
    await expect(page.getByRole("status").filter({ hasText: "pattern:" })).toContainText(/repeat/i);
    await expect(page.getByTestId("redaction").filter({ hasText: sender })).toHaveCount(0);

    // What was typed stays after a refusal, to be corrected.
    await expect(form.getByLabel("Sender")).toHaveValue(sender);
    await form.getByLabel("Pattern").fill("secret \\d+");
    await form.getByRole("button", { name: "Add rule" }).click();
    const rule = page.getByTestId("redaction").filter({ hasText: sender });
    await expect(rule).toContainText("secret \\d+");
    await rule.getByRole("button", { name: "Remove" }).click();
    await expect(rule).toHaveCount(0);

    await page.getByRole("button", { name: "Purge now" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Purged:" })).toBeVisible();
  });

  test("admin pages are never cached nor indexed", async ({ numbox }) => {
    for (const path of ["/admin", "/admin/gateways"]) {
      const response = await numbox.get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("x-robots-tag")).toBe("noindex, nofollow");
      expect(await response.text()).toContain('<meta name="robots" content="noindex, nofollow"/>');
    }
  });
});

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

test.describe("admin accessibility", () => {
  // axe over six screens in two browsers at once took 1 to 1.5 minutes on a busy machine: a ceiling, not a wait.
  test.describe.configure({ timeout: 240_000 });
  // A server of its own, with a gateway, a number, a message and a refused request on every screen: the shared
  // servers' screens list every gateway and number the suite has made (hundreds, each with its forms), and axe
  // over those took more than two minutes. What is checked is each screen's markup, which a few rows show.
  const token = randomBytes(16).toString("hex");
  let server: TestServer;
  test.beforeAll(async () => {
    server = await startServer("admin-a11y", { PGLITE_DIR: "memory://", ADMIN_TOKEN: token });
  });
  test.afterAll(async () => server?.stop());

  for (const scheme of ["light", "dark"] as const) {
    test(`sign-in and every screen: no axe violations, fit the screen (${scheme} mode)`, async ({ page }) => {
      const numbox = new Numbox(server.url, token);
      const { gateway, key, number } = await numbox.gatewayWithNumber();
      expect((await numbox.inbound(gateway, key, { to: number, from: "Google", text: "G-123456" })).status).toBe(200);
      const refused = await numbox.inbound(gateway, key, { to: number, from: "Google" });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${numbox.url}/admin`);
      await expect(page.getByLabel("Admin token")).toBeVisible();
      expect(await violations(page)).toEqual([]);
      await signIn(page, numbox.url, numbox.adminToken);
      for (const screen of ["Overview", "Gateways", "Numbers", "Messages", "Moderation"]) {
        if (screen !== "Overview") await page.getByRole("link", { name: screen }).click();
        await expect(page.getByRole("heading", { level: 1, name: screen })).toBeVisible();
        expect(await violations(page), screen).toEqual([]);
        expect(await sideways(page), screen).toBe(0);
      }
      // A new gateway's key, URL and setup guide, shown once after it is added.
      await page.getByRole("link", { name: "Gateways" }).click();
      await page.getByLabel("Id", { exact: true }).fill(`axe-${randomBytes(4).toString("hex")}`);
      await page.getByRole("button", { name: "Add gateway" }).click();
      await expect(page.getByTestId("API key")).toBeVisible();
      expect(await violations(page), "a new gateway").toEqual([]);
      expect(await sideways(page), "a new gateway").toBe(0);
    });
  }
});

async function violations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** How far the page scrolls sideways: nothing may make a phone's screen scroll. */
function sideways(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
