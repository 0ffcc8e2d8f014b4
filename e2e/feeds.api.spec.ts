import { extractFromJson, extractFromXml, type FeedEntry } from "@extractus/feed-extractor";
import { test, expect } from "./fixtures";

const FORMATS = [
  ["rss", "application/rss+xml"],
  ["atom", "application/atom+xml"],
  ["json", "application/feed+json"],
] as const;

test.describe("feeds", () => {
  test("each inbox has an RSS, an Atom and a JSON feed: newest first, hidden messages left out, one id per message in every format", async ({
    numbox,
  }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const posted = await numbox.inbound(gateway, key, {
      messages: [
        { to: number, from: "Telegram", text: "Telegram code: 51234" },
        { to: number, from: "Spam", text: "Cheap watches" },
        { to: number, from: "<b>Shop</b>", text: "Order ]]> shipped <script>alert(1)</script>" },
      ],
    });
    expect(posted.status).toBe(200);
    const [telegramId, spamId, shopId] = (await posted.json()).ids as number[];
    expect((await numbox.admin(`/messages/${spamId}`, { method: "DELETE" })).status).toBe(200);

    const ids: string[][] = [];
    for (const [format, type] of FORMATS) {
      const response = await numbox.get(`/api/v1/numbers/${digits}/feed.${format}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(`${type}; charset=utf-8`);
      const body = await response.text();
      const feed = format === "json" ? extractFromJson(body) : extractFromXml(body);
      expect(feed.link).toMatch(new RegExp(`^https?://[^/]+/numbers/${digits}$`));
      const entries = feed.entries as FeedEntry[];
      expect(entries.map((e) => e.title)).toEqual(["<b>Shop</b>", "Telegram: 51234"]);
      expect(entries[0]!.id).toMatch(new RegExp(`:message:${shopId}$`));
      expect(entries[1]!.id).toMatch(new RegExp(`:message:${telegramId}$`));
      ids.push(entries.map((e) => e.id));
    }
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
  });

  test("the inbox page announces its feeds to readers, and links them", async ({ numbox }) => {
    const { digits } = await numbox.gatewayWithNumber();
    const html = await (await numbox.get(`/numbers/${digits}`)).text();
    for (const [format, type] of FORMATS) {
      const link = new RegExp(`<link rel="alternate" type="${type.replace("+", "\\+")}" href="(https?://[^"]+)"`).exec(
        html,
      );
      expect(link?.[1]).toMatch(new RegExp(`/api/v1/numbers/${digits}/feed\\.${format}$`));
      expect(html).toContain(`href="/api/v1/numbers/${digits}/feed.${format}"`);
    }
  });

  test("an unknown number's feed is a 404 that says so, and a parameter a feed does not take a 400", async ({
    numbox,
  }) => {
    const response = await numbox.get("/api/v1/numbers/998900000001/feed.rss");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "unknown_number" });
    const { digits } = await numbox.gatewayWithNumber();
    const misspelt = await numbox.get(`/api/v1/numbers/${digits}/feed.json?limt=5`);
    expect(misspelt.status).toBe(400);
    expect(await misspelt.json()).toMatchObject({ error: "unknown_parameter" });
  });

  test("each service has an RSS, an Atom and a JSON feed across the numbers: each message with its id and its number", async ({
    numbox,
  }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    // A code of its own, to find this test's message among what other tests send to the same service.
    const code = String(100000 + Math.floor(Math.random() * 900000));
    const posted = await numbox.inbound(gateway, key, {
      to: number,
      from: "Twitch",
      text: `${code} is your Twitch verification code.`,
    });
    expect(posted.status).toBe(200);
    const [id] = (await posted.json()).ids as number[];

    for (const [format, type] of FORMATS) {
      const response = await numbox.get(`/api/v1/services/twitch/feed.${format}`, { Origin: "https://tester.example" });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(`${type}; charset=utf-8`);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      // Kept by the page cache with the lists: a validator to revalidate with.
      expect(response.headers.get("etag")).toBeTruthy();
      const body = await response.text();
      const feed = format === "json" ? extractFromJson(body) : extractFromXml(body);
      expect(feed.link).toMatch(/^https?:\/\/[^/]+\/services\/twitch$/);
      const mine = (feed.entries as FeedEntry[]).find((e) => e.id.endsWith(`:message:${id}`));
      expect(mine, format).toBeDefined();
      expect(mine!.title).toBe(`Twitch: ${code} — to ${formatted(number)}`);
      // The entry links to the message on its number's inbox page.
      expect(body).toContain(`/numbers/${digits}#message-${id}`);
    }
  });

  test("the service page announces its feeds to readers, and links them", async ({ numbox }) => {
    const html = await (await numbox.get("/services/twitch")).text();
    for (const [format, type] of FORMATS) {
      const link = new RegExp(`<link rel="alternate" type="${type.replace("+", "\\+")}" href="(https?://[^"]+)"`).exec(
        html,
      );
      expect(link?.[1]).toMatch(new RegExp(`/api/v1/services/twitch/feed\\.${format}$`));
      expect(html).toContain(`href="/api/v1/services/twitch/feed.${format}"`);
    }
  });

  test("an unknown service's feed is a 404 that says so, a slug that cannot be one a 400", async ({ numbox }) => {
    const unknown = await numbox.get("/api/v1/services/no-such-service-here/feed.atom", {
      Origin: "https://tester.example",
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("access-control-allow-origin")).toBe("*");
    expect(await unknown.json()).toMatchObject({ error: "unknown_service" });
    const malformed = await numbox.get("/api/v1/services/Not%20a%20slug/feed.rss");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: "invalid_service" });
    const misspelt = await numbox.get("/api/v1/services/twitch/feed.json?limt=5");
    expect(misspelt.status).toBe(400);
    expect(await misspelt.json()).toMatchObject({ error: "unknown_parameter" });
  });
});

/** A number as the feeds write it: "+998 90 123 45 67" for an Uzbek mobile number. */
function formatted(e164: string): string {
  return e164.replace(/^\+998(\d{2})(\d{3})(\d{2})(\d{2})$/, "+998 $1 $2 $3 $4");
}
