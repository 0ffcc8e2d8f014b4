import type { Db } from "@/db/client";
import { config } from "@/lib/config";
import { unknownNumber } from "@/lib/inbox/params";
import { parseCursorHeader, parseNumber, parseQuery, streamQuery } from "@/lib/api/schemas";
import { liveInboxes } from "./inboxes";
import { isKnownNumber } from "./known-numbers";
import { STREAM_LIMITS, type StreamOptions } from "./sse";

/**
 * GET /api/v1/numbers/{number}/stream, checked — one of our numbers, a valid cursor — and turned into what the
 * stream needs; a 4xx AppError otherwise. Shared by the two doors to the stream: Node's response directly in
 * production (lib/server/stream.ts), the route handler in development.
 */
export async function streamOptions(
  db: Db,
  rawNumber: string,
  headers: Headers,
  query: URLSearchParams,
): Promise<Omit<StreamOptions, "signal" | "onEnd">> {
  const number = parseNumber(rawNumber);
  const { after: opened } = parseQuery(streamQuery, query);
  // A reconnecting EventSource sends Last-Event-ID: it is newer than the ?after= it was opened with.
  const after = parseCursorHeader(headers.get("last-event-id")) ?? opened ?? null;
  if (!(await isKnownNumber(db, number))) throw unknownNumber(number);
  const { SSE_REPLAY_LIMIT, SSE_HEARTBEAT_SECONDS, SSE_RETRY_MS, SSE_MAX_LIFETIME_SECONDS } = config();
  return {
    number,
    after,
    live: liveInboxes,
    replayLimit: SSE_REPLAY_LIMIT,
    heartbeatMs: SSE_HEARTBEAT_SECONDS * 1000,
    retryMs: SSE_RETRY_MS,
    lifetimeMs: SSE_MAX_LIFETIME_SECONDS * 1000,
    ...STREAM_LIMITS,
  };
}
