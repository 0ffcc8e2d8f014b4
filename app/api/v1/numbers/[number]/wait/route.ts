import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { handler, json, methodsNotAllowed } from "@/lib/http";
import { occupySlot } from "@/lib/limits/open-slots";
import { messagesAfter, newestMessageId } from "@/lib/inbox/messages";
import { isKnownNumber } from "@/lib/live/known-numbers";
import { parseCursor, parseIntParam, requireNumberParam, unknownNumber } from "@/lib/inbox/params";
import { liveInboxes } from "@/lib/live/inboxes";
import { waitForMessage } from "@/lib/live/wait";

type Context = { params: Promise<{ number: string }> };

// Messages read per query while looking for an earlier match (an old cursor may have many after it).
const WAIT_PAGE = 500;
// A wait without `timeout` lasts this long, or WAIT_MAX_SECONDS where the operator allows less.
const DEFAULT_WAIT_SECONDS = 30;

export const GET = handler(async (request: Request, { params }: Context) => {
  const number = requireNumberParam((await params).number);
  const query = new URL(request.url).searchParams;
  const longest = config().WAIT_MAX_SECONDS;
  const timeout = parseIntParam("timeout", query.get("timeout"), Math.min(DEFAULT_WAIT_SECONDS, longest), 1, longest);
  const filter = { from: query.get("from") || undefined, contains: query.get("contains") || undefined };
  const db = await getDb();
  if (!(await isKnownNumber(db, number))) throw unknownNumber(number);

  // Without a cursor, wait for the next message: the newest one now is the cursor.
  const after = parseCursor("after", query.get("after")) ?? (await newestMessageId(db, number));
  const release = occupySlot("waits", request, config().WAITS_PER_ADDRESS, config());
  let message;
  try {
    message = await waitForMessage({
      number,
      filter,
      live: liveInboxes,
      after,
      stored: (cursor) => messagesAfter(db, number, cursor, WAIT_PAGE),
      pageSize: WAIT_PAGE,
      timeoutMs: timeout * 1000,
      signal: request.signal,
    });
  } finally {
    release();
  }
  return message ? json(message) : new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
