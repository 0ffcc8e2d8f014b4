import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { handler, methodsNotAllowed } from "@/lib/http";
import { occupySlot, releasedWhenClosed } from "@/lib/limits/open-slots";
import { messagesAfter, newestMessageId } from "@/lib/inbox/messages";
import { isOurNumber } from "@/lib/inbox/numbers";
import { parseCursor, requireNumberParam, unknownNumber } from "@/lib/inbox/params";
import { liveInboxes } from "@/lib/live/inboxes";
import { messageStream, SSE_HEADERS } from "@/lib/live/sse";

type Context = { params: Promise<{ number: string }> };

export const GET = handler(async (request: Request, { params }: Context) => {
  const number = requireNumberParam((await params).number);
  // A reconnecting EventSource sends Last-Event-ID: it is newer than the ?after= it was opened with.
  const after =
    parseCursor("Last-Event-ID", request.headers.get("last-event-id")) ??
    parseCursor("after", new URL(request.url).searchParams.get("after"));
  const db = await getDb();
  if (!(await isOurNumber(db, number))) throw unknownNumber(number);

  const { SSE_REPLAY_LIMIT, SSE_HEARTBEAT_SECONDS, SSE_RETRY_MS, SSE_MAX_LIFETIME_SECONDS, STREAMS_PER_ADDRESS } = config();
  // Taken last, once the request is known good; freed when the client goes away or the stream ends.
  const release = occupySlot("streams", request, STREAMS_PER_ADDRESS, config());
  const stream = messageStream({
    number,
    // Without a cursor: what is stored from this request on. Taken now, before the answer starts, so a message
    // stored while the stream sets itself up is replayed rather than missed.
    after: after ?? (await newestMessageId(db, number)),
    live: liveInboxes,
    replay: (cursor) => messagesAfter(db, number, cursor, SSE_REPLAY_LIMIT),
    replayLimit: SSE_REPLAY_LIMIT,
    heartbeatMs: SSE_HEARTBEAT_SECONDS * 1000,
    retryMs: SSE_RETRY_MS,
    lifetimeMs: SSE_MAX_LIFETIME_SECONDS * 1000,
    signal: request.signal,
  });
  return new Response(releasedWhenClosed(stream, release), { headers: SSE_HEADERS });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
