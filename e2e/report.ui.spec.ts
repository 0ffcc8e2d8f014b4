import { randomBytes } from "node:crypto";
import { startServer } from "./servers";
import { test, expect, Numbox } from "./fixtures";

test.describe("reporting codes that do not arrive", () => {
  test("a visitor opens the form, sends a report, and the operator sees it", async ({ numbox, page }, testInfo) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    await numbox.inbound(gateway, key, { to: number, from: "Uber", text: "Your Uber code: 4821" });
    await page.goto(`${numbox.url}/numbers/${digits}`);

    const toggle = page.getByText("Codes not arriving?");
    const service = page.getByLabel("Service");
    // Next's route announcer is an (empty) alert too: look for ours inside the disclosure.
    const alert = page.locator("details").getByRole("alert");
    await expect(service).toBeHidden();
    await toggle.click();
    await expect(service).toBeVisible();

    // An empty service is caught in the page, with the field marked and focused.
    await page.getByRole("button", { name: "Send report" }).click();
    await expect(alert).toHaveText(/which service/i);
    await expect(service).toHaveAttribute("aria-invalid", "true");
    await expect(service).toBeFocused();

    const name = `WhatsApp ${randomBytes(2).toString("hex")}`;
    await service.fill(name);
    await expect(alert).toHaveCount(0); // the complaint goes once the visitor fixes it
    await page.getByLabel(/note/i).fill("Tried three times in the last hour.");
    // The phone project is a Pixel 7; the screenshots are taken at the common 390×844 too.
    if (testInfo.project.name === "phone") await page.setViewportSize({ width: 390, height: 844 });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({
        path: `e2e/screenshots/report-form-${testInfo.project.name}-${scheme}.png`,
        fullPage: true,
      });
    }
    await page.emulateMedia({ colorScheme: "light" });

    await page.getByRole("button", { name: "Send report" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Thanks" })).toContainText(name);
    await expect(alert).toHaveCount(0);
    await page.screenshot({ path: `e2e/screenshots/report-sent-${testInfo.project.name}.png`, fullPage: true });

    const reports = (await (await numbox.admin("/reports", { method: "GET" })).json()) as {
      number: string;
      service: string;
      note: string;
    }[];
    expect(reports.find((r) => r.service === name)).toMatchObject({
      number,
      note: "Tried three times in the last hour.",
    });
  });

  test("works from the keyboard, and the browser keeps the service within the API's bounds", async ({
    numbox,
    page,
  }) => {
    const { digits } = await numbox.gatewayWithNumber();
    await page.goto(`${numbox.url}/numbers/${digits}`);
    const toggle = page.getByText("Codes not arriving?");
    await toggle.focus();
    await page.keyboard.press("Enter");
    const service = page.getByLabel("Service");
    await expect(service).toBeVisible();
    await page.keyboard.press("Tab");
    await expect(service).toBeFocused();
    // Longer than the API allows: the browser's maxLength stops typing at 60, so the page never sends it.
    await page.keyboard.type("S".repeat(70));
    await expect(service).toHaveValue("S".repeat(60));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "Thanks" })).toBeVisible();
  });

  test("the server's refusal (too many reports) is shown next to the form", async ({ page }) => {
    test.setTimeout(90_000);
    const adminToken = randomBytes(8).toString("hex");
    const server = await startServer("report-ui", {
      ADMIN_TOKEN: adminToken,
      PGLITE_DIR: "memory://",
      REPORTS_PER_HOUR: "1",
    });
    try {
      const { digits } = await new Numbox(server.url, adminToken).gatewayWithNumber();
      const send = async () => {
        await page.goto(`${server.url}/numbers/${digits}`);
        await page.getByText("Codes not arriving?").click();
        await page.getByLabel("Service").fill("Telegram");
        await page.getByRole("button", { name: "Send report" }).click();
      };
      await send();
      await expect(page.getByRole("status").filter({ hasText: "Thanks" })).toBeVisible();
      await send();
      await expect(page.locator("details").getByRole("alert")).toHaveText(
        /too many reports.*try again in \d+ minutes?/i,
      );
      // Not the field's fault: it is not marked invalid, and the form stays usable.
      await expect(page.getByLabel("Service")).not.toHaveAttribute("aria-invalid", "true");
      await expect(page.getByRole("button", { name: "Send report" })).toBeEnabled();
    } finally {
      await server.stop();
    }
  });
});
