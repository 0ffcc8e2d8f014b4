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
  // An app that sends no header: the key goes in the URL pasted into the phone, and the guide says where.
  const smsgateway24 = page.locator("section#smsgateway24");
  await expect(smsgateway24).toContainText(`${numbox.url}/api/inbound/smsgateway24-1?key=<API key>`);
  await expect(smsgateway24).toContainText("Webhooks for incoming SMS");
  await expect(smsgateway24).toContainText('"devices"');
  const script = await fetch(`${numbox.url}/gateway/numbox-gammu.sh`);
  expect(script.status).toBe(200);
  expect(await script.text()).toMatch(/^#!\/bin\/sh/);
});

test("the footer leads to the API reference: every documented operation, with this site's curl line", async ({
  numbox,
  page,
}) => {
  await page.goto(`${numbox.url}/ru`);
  await page.locator("footer").getByRole("link", { name: "API", exact: true }).click();
  await expect(page).toHaveURL(/\/ru\/docs\/api$/);
  await expect(page.getByRole("heading", { level: 1, name: "API for testers and AI agents" })).toBeVisible();
  // English under every prefix: the English page is the canonical one. Right after a navigation in the page, the
  // page before's link can still be there for a moment beside the new one: wait for the head to settle.
  const canonicals = () =>
    page.locator('link[rel="canonical"]').evaluateAll((links) => links.map((l) => l.getAttribute("href")));
  await expect.poll(canonicals).toEqual([`${numbox.url}/docs/api`]);
  const document = (await (await numbox.get("/api/v1/openapi.json")).json()) as {
    paths: Record<string, Record<string, { operationId: string }>>;
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const { operationId } of Object.values(item)) {
      const operation = page.locator(`[id="${operationId}"]`);
      await expect(operation.getByText(path, { exact: true })).toBeVisible();
      await expect(operation.locator("pre")).toContainText(`curl -s`);
      await expect(operation.locator("pre")).toContainText(`${numbox.url}${path.split("{")[0]}`);
    }
  }
  await expect(page.locator("#mcp pre")).toContainText(`"url": "${numbox.url}/api/mcp"`);
});
