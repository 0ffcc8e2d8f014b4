import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { toErrorResponse } from "@/lib/http";
import { heartbeat, ingest, ingestLimits } from "@/lib/ingest/ingest";
import { getDb } from "./database";
import { decodedSegment, splitTarget, toHeaders, writeResponse } from "./node-http";

const INBOUND_PATH = /^\/api\/inbound\/([^/]+)(\/heartbeat)?$/;
// What the route handlers take; any other method goes on to them for its 405.
const MESSAGE_METHODS = new Set(["GET", "POST", "PUT", "PATCH"]);

/**
 * POST /api/inbound/{gateway} (and its heartbeat), answered on Node's request and response before Next sees it
 * (server.mjs → lib/server/start.ts), by the same domain code as the route handlers, which serve development.
 * Why: a webhook is a small request with a database transaction behind it, and Next's handling around a route
 * — routing, its request wrappers, and the async context every promise of the transaction then carries —
 * cost more than the store itself (a single-message POST: 11.6 ms through Next, 4 ms for ingest() alone).
 * Returns false for any other request.
 */
export function serveInbound(req: IncomingMessage, res: ServerResponse): boolean {
  const { pathname } = splitTarget(req.url);
  const match = INBOUND_PATH.exec(pathname);
  if (!match) return false;
  const isHeartbeat = match[2] !== undefined;
  if (isHeartbeat ? req.method !== "POST" : !MESSAGE_METHODS.has(req.method ?? "")) return false;
  void answer(req, res, pathname, decodedSegment(match[1]!), isHeartbeat);
  return true;
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  gateway: string,
  isHeartbeat: boolean,
): Promise<void> {
  let response: Response;
  try {
    const request = toRequest(req);
    const db = await getDb();
    response = isHeartbeat ? await heartbeat(db, gateway, request) : await ingest(db, gateway, request, ingestLimits());
  } catch (error) {
    response = toErrorResponse(error);
  }
  // A body still arriving when the answer is ready (a refusal: too large, wrong key) is not waited for: the
  // connection closes after the answer instead of carrying on behind it.
  if (!req.complete) res.shouldKeepAlive = false;
  await writeResponse(res, pathname, response).catch(() => res.destroy());
}

/** The request as fetch sees it: ingest reads its headers and its body as a stream (with its own size limit). */
function toRequest(req: IncomingMessage): Request {
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
  return new Request(`http://numbox${req.url}`, {
    method,
    headers: toHeaders(req.headers),
    body,
    duplex: "half",
  } as RequestInit);
}
