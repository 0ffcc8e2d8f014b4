import { handler } from "@/lib/http";
import { listMessages } from "@/lib/inbox/messages";
import { isOurNumber } from "@/lib/inbox/numbers";
import { unknownNumber } from "@/lib/inbox/params";
import { noQuery, parseNumber, parseQuery } from "@/lib/api/schemas";
import { getDb } from "@/lib/server/database";
import { digitsOf, formatInternational } from "@/lib/text/phone";
import { FEED_SIZE, feedAnswer } from "./answer";
import { numberFeedPaths, type FeedFormat } from "./feeds";

type Context = { params: Promise<{ number: string }> };

/**
 * The route of a number's feed in one format (`/api/v1/numbers/{number}/feed.rss`, `.atom`, `.json`). Cacheable
 * for a minute: a reader polls every few minutes at most, and a proxy in front may answer the rest.
 */
export function numberFeedRoute(format: FeedFormat) {
  return handler(async (request: Request, { params }: Context) => {
    const number = parseNumber((await params).number);
    parseQuery(noQuery, new URL(request.url).searchParams);
    const db = await getDb();
    if (!(await isOurNumber(db, number))) throw unknownNumber(number);
    const { messages } = await listMessages(db, number, { limit: FEED_SIZE });
    return feedAnswer(
      {
        title: `SMS to ${formatInternational(number)} — Numbox`,
        description: `The text messages ${formatInternational(number)} receives on Numbox, newest first. Public: anyone can read them.`,
        pagePath: `/numbers/${digitsOf(number)}`,
        paths: numberFeedPaths(digitsOf(number)),
        messages,
      },
      format,
      "public, max-age=60",
    );
  });
}
