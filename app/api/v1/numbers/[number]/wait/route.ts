import { getDb } from "@/db";
import { config } from "@/lib/config";
import { handler, json, methodsNotAllowed } from "@/lib/http";
import { occupySlot } from "@/lib/limits/open-slots";
import { listMessages, messagesAfter } from "@/lib/inbox/messages";
import { getNumber } from "@/lib/inbox/numbers";
import { parseCursor, parseIntParam, requireNumberParam, unknownNumber } from "@/lib/inbox/params";
import { bus } from "@/lib/live/bus";
import { waitForMessage } from "@/lib/live/wait";

type Context = { params: Promise<{ number: string }> };

export const GET = handler(async (request: Request, { params }: Context) => {
  const number = requireNumberParam((await params).number);
  const query = new URL(request.url).searchParams;
  const timeout = parseIntParam("timeout", query.get("timeout"), 30, 1, config().WAIT_MAX_SECONDS);
  const filter = { from: query.get("from") || undefined, contains: query.get("contains") || undefined };
  const db = await getDb();
  if (!(await getNumber(db, number))) throw unknownNumber(number);

  // Without a cursor, wait for the next message: the newest one now is the cursor.
  const after =
    parseCursor("after", query.get("after")) ??
    (await listMessages(db, number, { limit: 1 })).messages[0]?.id ??
    0;
  const release = occupySlot("waits", request, config().WAITS_PER_ADDRESS, config());
  let message;
  try {
    message = await waitForMessage({
      number,
      filter,
      bus,
      after,
      stored: () => messagesAfter(db, number, after, 1000),
      timeoutMs: timeout * 1000,
      signal: request.signal,
    });
  } finally {
    release();
  }
  return message ? json(message) : new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
