import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "@/lib/config";
import { toErrorResponse } from "@/lib/http";
import { guardDoor } from "@/lib/limits/doors";
import { takeSlot } from "@/lib/limits/open-slots";
import { SSE_HEADERS, streamOnResponse } from "@/lib/live/sse";
import { streamOptions } from "@/lib/live/stream-request";
import { getDb } from "./database";
import { decodedSegment, securityHeaders, splitTarget, toHeaders, writeResponse } from "./node-http";

const STREAM_PATH = /^\/api\/v1\/numbers\/([^/]+)\/stream$/;

/**
 * GET /api/v1/numbers/{number}/stream, answered on Node's response before Next sees the request (server.mjs →
 * lib/server/start.ts), with the same checks, budget and answers as the route handler. Why: a stream is held for
 * minutes by thousands of clients at once, and each event is written to all of them. Through Next, each held
 * stream cost ~100 KiB (its request, response and web-stream wrappers, the route's async context) and each write
 * went through two web streams and Next's pipe before reaching the socket; here it is Node's response and one
 * closure, and an event is one `res.write` per subscriber. Returns false for any other request.
 */
export function serveStream(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET") return false;
  const { pathname, search } = splitTarget(req.url);
  const rawNumber = STREAM_PATH.exec(pathname)?.[1];
  if (rawNumber === undefined) return false;
  open(req, res, pathname, rawNumber, new URLSearchParams(search)).catch(async (error: unknown) => {
    if (res.headersSent) return void res.destroy();
    await writeResponse(res, pathname, toErrorResponse(error)).catch(() => res.destroy());
  });
  return true;
}

async function open(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  rawNumber: string,
  query: URLSearchParams,
): Promise<void> {
  const headers = toHeaders(req.headers);
  // The per-address API budget proxy.ts charges every other API request.
  const limited = await guardDoor(new Request(`http://numbox${req.url}`, { headers }), pathname, config());
  if (limited) return writeResponse(res, pathname, limited);
  const options = await streamOptions(await getDb(), decodedSegment(rawNumber), headers, query);
  // Taken last, once the request is known good; freed when the connection ends, whichever side ends it.
  const release = takeSlot("streams", headers, config().STREAMS_PER_ADDRESS, config());
  if (res.destroyed) return release();

  res.writeHead(200, { ...securityHeaders(pathname), ...SSE_HEADERS });
  streamOnResponse(res, { ...options, onEnd: release });
}
