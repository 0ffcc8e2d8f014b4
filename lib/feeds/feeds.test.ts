import { extractFromJson, extractFromXml, type FeedEntry } from "@extractus/feed-extractor";
import { describe, expect, it } from "vitest";
import type { Message } from "@/lib/inbox/message";
import { feedAlternates, renderFeed, serviceFeedPaths, type Feed, type FeedFormat } from "./feeds";

/*
 * Each format read back by a feed parser from npm (the one readers' libraries use): the same entries, the same
 * stable ids, newest first, and an SMS that tries to be markup or to break the XML arrives as the text it is.
 */
function message(id: number, from: string, text: string, code: string | null = null): Message {
  const at = new Date(Date.UTC(2026, 10, 30, 6, 0, id)).toISOString();
  return {
    id,
    number: "+998940373339",
    from,
    text,
    code,
    service: null,
    links: [],
    receivedAt: at,
    createdAt: at,
    incomplete: false,
  };
}

const HOSTILE = 'Click <a href="x">here</a> ]]><script>alert(1)</script> & "quotes"\nline two\u0007\u0000';

const feed: Feed = {
  title: "SMS to +998 94 037 33 39 — Numbox",
  description: "Public inbox",
  page: "https://numbox.example/numbers/998940373339",
  self: {
    rss: "https://numbox.example/api/v1/numbers/998940373339/feed.rss",
    atom: "https://numbox.example/api/v1/numbers/998940373339/feed.atom",
    json: "https://numbox.example/api/v1/numbers/998940373339/feed.json",
  },
  site: "https://numbox.example",
  messages: [message(3, "<b>Evil</b> & Co", HOSTILE), message(2, "Telegram", "Telegram code: 51234", "51234")],
};

const options = { descriptionMaxLen: 0, useISODateFormat: true, getExtraEntryFields: (raw: unknown) => ({ raw }) };

type Raw = Record<string, unknown>;
const raw = (entry: FeedEntry) => (entry as FeedEntry & { raw: Raw }).raw;
const linkOf = (format: FeedFormat, entry: Raw) =>
  format === "atom" ? (entry.link as Raw)["@_href"] : format === "json" ? entry.url : entry.link;
const textOf = (format: FeedFormat, entry: Raw) =>
  format === "atom" ? (entry.content as Raw)["#text"] : format === "json" ? entry.content_text : entry.description;

function parse(format: FeedFormat) {
  const body = renderFeed(feed, format);
  return format === "json" ? extractFromJson(body, options) : extractFromXml(body, options);
}

describe.each(["rss", "atom", "json"] as const)("the %s feed", (format) => {
  it("parses, with the inbox as its link and every message as an entry, newest first", () => {
    const parsed = parse(format);
    expect(parsed.title).toBe(feed.title);
    expect(parsed.link).toBe(feed.page);
    const entries = parsed.entries as FeedEntry[];
    expect(entries.map((e) => e.id)).toEqual([
      "tag:numbox.example,2026:message:3",
      "tag:numbox.example,2026:message:2",
    ]);
    expect(entries.map((e) => linkOf(format, raw(e)))).toEqual([`${feed.page}#message-3`, `${feed.page}#message-2`]);
    const [, telegram] = entries as [FeedEntry, FeedEntry];
    expect(telegram.title).toBe("Telegram: 51234");
    expect(new Date(telegram.published!).toISOString()).toBe(feed.messages[1]!.createdAt);
  });

  it("carries a hostile sender and text as text: no markup, and no broken XML (whose control characters are dropped)", () => {
    const [hostile] = parse(format).entries as [FeedEntry];
    expect(hostile.title).toBe("<b>Evil</b> & Co");
    // What a reader gets once the XML (or JSON) is parsed: Atom and JSON Feed carry the text as it is; RSS carries
    // HTML that reads as that text, each line break a <br>.
    const text = 'Click <a href="x">here</a> ]]><script>alert(1)</script> & "quotes"\nline two';
    const expected = {
      rss: text
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace("\n", "<br>"),
      atom: text,
      // JSON can carry any character: the text exactly as received, as the API gives it.
      json: `${text}\u0007\u0000`,
    }[format];
    expect(textOf(format, raw(hostile))).toBe(expected);
  });
});

describe("a feed across numbers (a service's)", () => {
  const other = { ...message(4, "Telegram", "Telegram code: 77777", "77777"), number: "+4915112345678" };
  const service: Feed = {
    ...feed,
    title: "Telegram SMS on Numbox",
    page: "https://numbox.example/services/telegram",
    self: {
      rss: "https://numbox.example/api/v1/services/telegram/feed.rss",
      atom: "https://numbox.example/api/v1/services/telegram/feed.atom",
      json: "https://numbox.example/api/v1/services/telegram/feed.json",
    },
    namesNumber: true,
    messages: [other, feed.messages[1]!],
  };

  it.each(["rss", "atom", "json"] as const)(
    "in %s, names each entry's number and links it to that number's inbox, ids as a number's feed has them",
    (format) => {
      const body = renderFeed(service, format);
      const parsed = format === "json" ? extractFromJson(body, options) : extractFromXml(body, options);
      expect(parsed.link).toBe(service.page);
      const entries = parsed.entries as FeedEntry[];
      expect(entries.map((e) => e.id)).toEqual([
        "tag:numbox.example,2026:message:4",
        "tag:numbox.example,2026:message:2",
      ]);
      expect(entries.map((e) => e.title)).toEqual([
        "Telegram: 77777 — to +49 1511 2345678",
        "Telegram: 51234 — to +998 94 037 33 39",
      ]);
      expect(entries.map((e) => linkOf(format, raw(e)))).toEqual([
        "https://numbox.example/numbers/4915112345678#message-4",
        "https://numbox.example/numbers/998940373339#message-2",
      ]);
    },
  );

  it("has its paths under the service's slug, escaped, and announces them as a page's alternates", () => {
    expect(serviceFeedPaths("telegram").atom).toBe("/api/v1/services/telegram/feed.atom");
    expect(serviceFeedPaths("сбер").rss).toBe("/api/v1/services/%D1%81%D0%B1%D0%B5%D1%80/feed.rss");
    expect(feedAlternates(serviceFeedPaths("telegram"))).toEqual({
      "application/rss+xml": "/api/v1/services/telegram/feed.rss",
      "application/atom+xml": "/api/v1/services/telegram/feed.atom",
      "application/feed+json": "/api/v1/services/telegram/feed.json",
    });
  });
});

describe("formats", () => {
  it("RSS keeps a message's lines as line breaks of its HTML description, escaped so that nothing else is markup", () => {
    const body = renderFeed(feed, "rss");
    expect(body).toContain("&lt;br&gt;line two");
    expect(body).toContain("&amp;lt;script&amp;gt;");
    expect(body).not.toContain("<script>");
    expect(body).not.toContain("]]>");
  });

  it("JSON Feed gives the text as content_text and the code where the API gives it", () => {
    const body = JSON.parse(renderFeed(feed, "json")) as { items: Record<string, unknown>[] };
    expect(body.items[1]).toMatchObject({
      content_text: "Telegram code: 51234",
      _numbox: { id: 2, number: "+998940373339", code: "51234" },
    });
    expect(body.items[0]).not.toHaveProperty("content_html");
  });

  // (Not Atom: this parser takes a feed without entries for something else, though Atom allows one.)
  it.each(["rss", "json"] as const)("an empty inbox is a valid, empty %s feed", (format) => {
    const empty = renderFeed({ ...feed, messages: [] }, format);
    const parsed = format === "json" ? extractFromJson(empty, options) : extractFromXml(empty, options);
    expect(parsed.title).toBe(feed.title);
    expect(parsed.entries).toEqual([]);
  });
});
