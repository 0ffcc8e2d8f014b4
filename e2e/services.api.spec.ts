import { randomBytes } from "node:crypto";
import { test, expect, type Numbox } from "./fixtures";

/**
 * The service pages over HTTP, as a crawler or a script sees them: who received a service, 404 for a service
 * that is not there, one address per page, noindex on thin pages, the sitemap, and the page cache showing a new
 * message on the next load.
 */

/** A sender name no other test uses: its own service (lib/services), so counts are this test's alone. */
function ownSender(): { sender: string; slug: string } {
  const sender = `Qx${randomBytes(4).toString("hex")}`;
  return { sender, slug: sender.toLowerCase() };
}

async function received(numbox: Numbox, from: string, text: string) {
  const made = await numbox.gatewayWithNumber();
  const sent = await numbox.inbound(made.gateway, made.key, { to: made.number, from, text });
  expect(sent.status).toBe(200);
  return made;
}

const robots = (html: string) => /<meta name="robots" content="([^"]+)"/.exec(html)?.[1];
const canonical = (html: string) => /<link rel="canonical" href="([^"]+)"/.exec(html)?.[1];
const hreflangs = (html: string) => [...html.matchAll(/<link rel="alternate" hrefLang="([^"]+)"/g)].map((m) => m[1]);

test.describe("service pages", () => {
  test("a service's page lists each number that received it, and the next message on the next load", async ({
    numbox,
  }) => {
    const { sender, slug } = ownSender();
    const first = await received(numbox, sender, "Your login code is 402913");

    const page = await numbox.get(`/services/${slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`href="/numbers/${first.digits}"`);
    expect(html).toContain("402913");
    // A sender's own service is shown but not indexed: anyone can send from any name.
    expect(robots(html)).toBe("noindex");
    expect(canonical(html)).toBe(`${numbox.url}/services/${slug}`);

    const list = await (await numbox.get("/services")).text();
    expect(list).toContain(`href="/services/${slug}"`);

    // Served from the page cache until a message arrives anywhere: the second number shows at once.
    const second = await received(numbox, sender, "Your login code is 771204");
    const again = await (await numbox.get(`/services/${slug}`)).text();
    expect(again).toContain(`href="/numbers/${second.digits}"`);
    expect(again).toContain(`href="/numbers/${first.digits}"`);
    // The page's search box (?q=) narrows its messages, not its numbers.
    const searched = await (await numbox.get(`/services/${slug}?q=771204`)).text();
    expect(searched).toContain("Your login code is 771204");
    expect(searched).not.toContain("Your login code is 402913");
    expect(searched).toContain(`href="/numbers/${first.digits}"`);
    // Best first: the number that received it last is listed first.
    expect(again.indexOf(`href="/numbers/${second.digits}"`)).toBeLessThan(
      again.indexOf(`href="/numbers/${first.digits}"`),
    );
  });

  test("a catalogue service received lately is indexable, in every language, and in the sitemap", async ({
    numbox,
  }) => {
    await received(numbox, "WhatsApp", "<#> Your WhatsApp code: 123-456. Don't share this code.");
    for (const path of ["/services/whatsapp", "/ar/services/whatsapp", "/services"]) {
      const response = await numbox.get(path);
      expect(response.status, path).toBe(200);
      const html = await response.text();
      expect(robots(html), path).toBeUndefined();
      expect(canonical(html), path).toBe(`${numbox.url}${path}`);
      expect(hreflangs(html).length, path).toBe(11);
    }
    const index = await (await numbox.get("/sitemap.xml")).text();
    const files = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
    const urls = (await Promise.all(files.map(async (file) => (await fetch(file)).text()))).join("\n");
    for (const path of ["/services", "/services/whatsapp", "/ru/services/whatsapp"]) {
      expect(urls, path).toContain(`<loc>${numbox.url}${path}</loc>`);
    }
  });

  test("a service that is not there is a 404; a catalogue service with nothing lately says so, not indexed", async ({
    numbox,
  }) => {
    const { slug } = ownSender();
    for (const path of [`/services/${slug}`, `/ru/services/${slug}`, "/services/What%20App", "/services/-x"]) {
      expect((await numbox.get(path)).status, path).toBe(404);
    }
    // No test sends KakaoTalk: its page stays, with nothing to list.
    const quiet = await numbox.get("/services/kakaotalk");
    expect(quiet.status).toBe(200);
    const html = await quiet.text();
    expect(html).toContain('data-testid="service-none-recent"');
    expect(robots(html)).toBe("noindex");
  });

  test("the country page filtered by a service lists the numbers that received it in 24 h, kept until a message", async ({
    numbox,
  }) => {
    const { sender, slug } = ownSender();
    const first = await received(numbox, sender, "Code 1001");
    const path = `/countries/uz?service=${slug}`;
    const html = await (await numbox.get(path)).text();
    expect(html).toContain(`href="/numbers/${first.digits}"`);
    // The filtered view names the country's page as canonical: a filter, not a page of its own.
    expect(canonical(html)).toBe(`${numbox.url}/countries/uz`);

    const second = await received(numbox, sender, "Code 1002");
    const again = await (await numbox.get(path)).text();
    expect(again).toContain(`href="/numbers/${second.digits}"`);
    expect(again).toContain(`href="/numbers/${first.digits}"`);
    // Another service's filter does not list them.
    const other = await (await numbox.get(`/countries/uz?service=${ownSender().slug}`)).text();
    expect(other).not.toContain(`href="/numbers/${first.digits}"`);

    expect((await numbox.get("/countries/uz?service=What%20App")).status).toBe(404);
    const moved = await fetch(`${numbox.url}/countries/UZ?service=${slug}`, { redirect: "manual" });
    expect(moved.status).toBe(308);
    expect(new URL(moved.headers.get("location")!, numbox.url).search).toBe(`?service=${slug}`);
  });

  test("another spelling of a service's address moves to its one address, query kept", async ({ numbox }) => {
    for (const [from, to] of [
      ["/services/WhatsApp", "/services/whatsapp"],
      ["/en/services/Telegram", "/services/telegram"],
      ["/ru/services/GOOGLE?q=code", "/ru/services/google?q=code"],
    ] as const) {
      const response = await fetch(`${numbox.url}${from}`, { redirect: "manual" });
      expect(response.status, from).toBe(308);
      const location = new URL(response.headers.get("location")!, `${numbox.url}${from}`);
      expect(location.pathname + location.search, from).toBe(to);
    }
  });
});
