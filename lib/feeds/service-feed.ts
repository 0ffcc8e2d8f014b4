import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { isKnownService, latestServiceMessages } from "@/lib/inbox/deliverability";
import { serviceName } from "@/lib/services/service";
import { FEED_SIZE, type FeedOfSite } from "./answer";
import { serviceFeedPaths } from "./feeds";

/**
 * A service's feed: its newest visible messages on the numbers in service, as its page lists them
 * (latestServiceMessages), each entry naming and linking the number that received it. A service Numbox does not
 * know is a 404 `unknown_service`; one of the catalogue's that nothing received lately is an empty feed.
 */
export async function serviceFeed(db: Db, slug: string, now: Date): Promise<FeedOfSite> {
  if (!(await isKnownService(db, slug, now)))
    throw new AppError("unknown_service", `Numbox knows no service '${slug}'.`);
  const messages = await latestServiceMessages(db, slug, FEED_SIZE);
  // As its page names it: the catalogue's name, or for a sender's own service the sender it came from.
  const name = serviceName(slug) ?? messages[0]?.from ?? slug;
  return {
    title: `${name} SMS on Numbox`,
    description: `The latest text messages from ${name} to Numbox's public numbers, newest first, each with the number that received it. Public: anyone can read them.`,
    pagePath: `/services/${encodeURIComponent(slug)}`,
    paths: serviceFeedPaths(slug),
    namesNumber: true,
    messages,
  };
}
