import { handler } from "@/lib/http";
import { noQuery, parseQuery, parseService } from "@/lib/api/schemas";
import { getDb } from "@/lib/server/database";
import { feedAnswer } from "./answer";
import type { FeedFormat } from "./feeds";
import { serviceFeed } from "./service-feed";

type Context = { params: Promise<{ slug: string }> };

/**
 * The route of a service's feed in one format (`/api/v1/services/{slug}/feed.rss`, `.atom`, `.json`). Any message
 * to any number may change it, so the page cache keeps it with the lists (lib/server/cacheable.ts) and sets its
 * Cache-Control and ETag; "no-store" is for an answer the cache does not keep.
 */
export function serviceFeedRoute(format: FeedFormat) {
  return handler(async (request: Request, { params }: Context) => {
    const slug = parseService((await params).slug);
    parseQuery(noQuery, new URL(request.url).searchParams);
    return feedAnswer(await serviceFeed(await getDb(), slug, new Date()), format, "no-store");
  });
}
