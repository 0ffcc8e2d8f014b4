import type { Message } from "@/lib/inbox/message";
import { digitsOf, formatInternational } from "@/lib/text/phone";

/**
 * Recent messages as a feed (a number's, or a service's across the numbers), in the three formats feed readers take: RSS 2.0, Atom and JSON Feed 1.1.
 *
 * Written here rather than with the `feed` package: that package marks every Atom title and content as HTML and
 * wraps them in CDATA, which an SMS can close with "]]>", and fills JSON Feed's content_html only. An SMS and its
 * sender are attacker-controlled text: here they stay text (Atom type="text", JSON Feed content_text, RSS
 * description as escaped HTML that shows the text as it is), and characters XML cannot carry are dropped.
 */
export type FeedFormat = "rss" | "atom" | "json";

/** Where a number's feeds are, by format: the routes below, and the inbox page's autodiscovery links. */
export function numberFeedPaths(digits: string): Record<FeedFormat, string> {
  const at = `/api/v1/numbers/${digits}/feed`;
  return { rss: `${at}.rss`, atom: `${at}.atom`, json: `${at}.json` };
}

/** Where a service's feeds are, by format: the routes, and the service page's autodiscovery links. */
export function serviceFeedPaths(slug: string): Record<FeedFormat, string> {
  const at = `/api/v1/services/${encodeURIComponent(slug)}/feed`;
  return { rss: `${at}.rss`, atom: `${at}.atom`, json: `${at}.json` };
}

/**
 * A page's `<link rel="alternate" type=…>` to its feeds, as Next's metadata `alternates.types` takes them: how
 * feed readers find the feeds from the page (autodiscovery).
 */
export function feedAlternates(paths: Record<FeedFormat, string>): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(FEED_LINK_TYPES) as FeedFormat[]).map((format) => [FEED_LINK_TYPES[format], paths[format]]),
  );
}

/** The MIME type of each format, as `<link rel="alternate" type>` announces it. */
export const FEED_LINK_TYPES: Record<FeedFormat, string> = {
  rss: "application/rss+xml",
  atom: "application/atom+xml",
  json: "application/feed+json",
};

export type Feed = {
  title: string;
  description: string;
  /** The page the feed follows (the inbox, the service page). */
  page: string;
  /** This feed's own address in each format. */
  self: Record<FeedFormat, string>;
  /**
   * The site's address (`https://numbox.example`): each entry links to its message on its number's inbox page, and
   * its id is `tag:{host},2026:message:{id}`, the same across formats and renames of paths.
   */
  site: string;
  /**
   * Whether each entry's title names the number that received it: in a feed across numbers (a service's), which
   * number to use is the point; in a number's own feed it would only repeat the feed's title.
   */
  namesNumber?: boolean;
  messages: Message[];
};

export function renderFeed(feed: Feed, format: FeedFormat): string {
  if (format === "rss") return rss(feed);
  if (format === "atom") return atom(feed);
  return JSON.stringify(jsonFeed(feed), null, 2);
}

/** A message's id in every format: stable, and the same whichever format a reader switches to. */
function idOf(feed: Feed, message: Message): string {
  return `tag:${new URL(feed.site).hostname},2026:message:${message.id}`;
}

/** Where an entry leads: the message on its number's inbox page, whichever feed carries it. */
function linkOf(feed: Feed, message: Message): string {
  return `${feed.site}/numbers/${digitsOf(message.number)}#message-${message.id}`;
}

function titleOf(feed: Feed, message: Message): string {
  const title = message.code ? `${message.from}: ${message.code}` : message.from;
  return feed.namesNumber ? `${title} — to ${formatInternational(message.number)}` : title;
}

function updated(feed: Feed): string {
  return feed.messages[0]?.createdAt ?? new Date(0).toISOString();
}

function rss(feed: Feed): string {
  const items = feed.messages.map(
    (m) => `    <item>
      <title>${xml(titleOf(feed, m))}</title>
      <link>${xml(linkOf(feed, m))}</link>
      <guid isPermaLink="false">${xml(idOf(feed, m))}</guid>
      <pubDate>${new Date(m.createdAt).toUTCString()}</pubDate>
      <description>${xml(html(m.text))}</description>
    </item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${xml(feed.title)}</title>
    <link>${xml(feed.page)}</link>
    <description>${xml(feed.description)}</description>
    <atom:link href="${xml(feed.self.rss)}" rel="self" type="application/rss+xml"/>
    <lastBuildDate>${new Date(updated(feed)).toUTCString()}</lastBuildDate>
${items.join("\n")}
  </channel>
</rss>
`;
}

function atom(feed: Feed): string {
  const entries = feed.messages.map(
    (m) => `  <entry>
    <id>${xml(idOf(feed, m))}</id>
    <title type="text">${xml(titleOf(feed, m))}</title>
    <link href="${xml(linkOf(feed, m))}"/>
    <updated>${m.createdAt}</updated>
    <author><name>${xml(m.from)}</name></author>
    <content type="text">${xml(m.text)}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(feed.self.atom)}</id>
  <title type="text">${xml(feed.title)}</title>
  <subtitle type="text">${xml(feed.description)}</subtitle>
  <link rel="alternate" href="${xml(feed.page)}"/>
  <link rel="self" href="${xml(feed.self.atom)}"/>
  <updated>${updated(feed)}</updated>
${entries.join("\n")}
</feed>
`;
}

function jsonFeed(feed: Feed) {
  return {
    version: "https://jsonfeed.org/version/1.1",
    title: feed.title,
    description: feed.description,
    home_page_url: feed.page,
    feed_url: feed.self.json,
    items: feed.messages.map((m) => ({
      id: idOf(feed, m),
      url: linkOf(feed, m),
      title: titleOf(feed, m),
      content_text: m.text,
      date_published: m.createdAt,
      authors: [{ name: m.from }],
      // Where a reader shows them, the same fields the API gives (the code, the number).
      _numbox: { id: m.id, number: m.number, code: m.code, service: m.service, receivedAt: m.receivedAt },
    })),
  };
}

// XML 1.0 cannot carry most control characters (nor unpaired surrogates): one in an SMS would break the feed.
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function xml(text: string): string {
  return text
    .replace(NOT_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** RSS descriptions are HTML by convention: the text, escaped so that a reader shows it as it is, lines kept. */
function html(text: string): string {
  return xml(text).replace(/\r?\n/g, "<br>");
}
