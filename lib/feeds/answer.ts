import { config } from "@/lib/config";
import { FEED_LINK_TYPES, renderFeed, type Feed, type FeedFormat } from "./feeds";

/** How many of the newest messages a feed carries: readers poll, and keep what they have already seen. */
export const FEED_SIZE = 50;

/** A feed as its route knows it: where it is on this site (its paths, its page's path), the rest as Feed has it. */
export type FeedOfSite = Omit<Feed, "page" | "self" | "site"> & { pagePath: string; paths: Record<FeedFormat, string> };

/**
 * The answer of a feed route, in one format, for every kind of feed (a number's, a service's): the addresses made
 * absolute on this server's PUBLIC_URL, the body rendered, the format's media type. `cacheControl` is the route's:
 * a number's feed may be kept by anyone a minute; a service's is kept by the page cache, which sets its own.
 */
export function feedAnswer(feed: FeedOfSite, format: FeedFormat, cacheControl: string): Response {
  const site = config().PUBLIC_URL.replace(/\/$/, "");
  const { pagePath, paths, ...rest } = feed;
  const body = renderFeed(
    {
      ...rest,
      page: site + pagePath,
      self: { rss: site + paths.rss, atom: site + paths.atom, json: site + paths.json },
      site,
    },
    format,
  );
  return new Response(body, {
    headers: { "Content-Type": `${FEED_LINK_TYPES[format]}; charset=utf-8`, "Cache-Control": cacheControl },
  });
}
