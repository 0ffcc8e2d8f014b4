import { GATEWAY_KINDS } from "../lib/ingest/kinds";
import { test, expect } from "./fixtures";

test("the footer leads to a setup guide for every gateway kind, with this site's webhook URLs", async ({
  numbox,
  page,
}) => {
  await page.goto(numbox.url);
  await page.getByRole("link", { name: /connect a gateway/i }).click();
  await expect(page).toHaveURL(/\/docs\/gateways$/);
  await expect(page.getByRole("heading", { level: 1, name: /connect a gateway/i })).toBeVisible();
  for (const kind of GATEWAY_KINDS) {
    const section = page.locator(`section#${kind}`);
    await expect(section, kind).toHaveCount(1);
    await expect(section).toContainText(`${numbox.url}/api/inbound/${kind}-1`);
    await expect(section).toContainText(`--kind ${kind}`);
  }
  const script = await fetch(`${numbox.url}/gateway/numbox-gammu.sh`);
  expect(script.status).toBe(200);
  expect(await script.text()).toMatch(/^#!\/bin\/sh/);
});
