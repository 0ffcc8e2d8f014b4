import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { handler, json, methodsNotAllowed } from "@/lib/http";
import { occupySlot } from "@/lib/limits/open-slots";
import { isKnownNumber } from "@/lib/live/known-numbers";
import { unknownNumber } from "@/lib/inbox/params";
import { DEFAULT_WAIT_SECONDS, parseNumber, parseQuery, waitQuery } from "@/lib/api/schemas";
import { nextMessage } from "@/lib/live/next-message";

type Context = { params: Promise<{ number: string }> };

export const GET = handler(async (request: Request, { params }: Context) => {
  const number = parseNumber((await params).number);
  const longest = config().WAIT_MAX_SECONDS;
  const query = parseQuery(waitQuery(longest), new URL(request.url).searchParams);
  const timeout = query.timeout ?? Math.min(DEFAULT_WAIT_SECONDS, longest);
  const filter = { from: query.from, service: query.service, contains: query.contains };
  const db = await getDb();
  if (!(await isKnownNumber(db, number))) throw unknownNumber(number);

  const release = occupySlot("waits", request, config().WAITS_PER_ADDRESS, config());
  let message;
  try {
    ({ message } = await nextMessage(db, number, {
      filter,
      after: query.after,
      timeoutMs: timeout * 1000,
      signal: request.signal,
    }));
  } finally {
    release();
  }
  return message ? json(message) : new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
