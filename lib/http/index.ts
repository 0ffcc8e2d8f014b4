import { unstable_rethrow } from "next/navigation";
import { errorOf, type ErrorKey } from "@/lib/error-codes";
import { AppError, isDatabaseUnavailable } from "@/lib/errors";
import { describeError } from "@/lib/security/log";
import { refuseUnstorable } from "@/lib/unstorable";
import { metrics } from "@/lib/observability/metrics";
import { log } from "@/lib/observability/log";

/** The JSON error body every API route answers with, {"error":"<code>","detail":"<sentence>"}, for an entry of the catalogue. */
export function errorResponse(key: ErrorKey, detail: string, headers: Record<string, string> = {}) {
  const { code, status } = errorOf(key);
  return errorBody(status, code, detail, headers);
}

function errorBody(status: number, code: string, detail: string, headers: Record<string, string>) {
  return Response.json({ error: code, detail }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/**
 * Maps what a route throws to a response: client errors as they are, an unreachable database as 503 (so
 * senders retry), anything else as a logged 500 that says nothing about our internals.
 */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof AppError) return errorBody(error.status, error.code, error.detail, error.headers);
  if (isDatabaseUnavailable(error)) {
    metrics().databaseErrors.inc();
    log().error({ error: describeError(error, { stack: false }) }, "database unavailable");
    return errorResponse("database_unavailable", "The database is unavailable; try again shortly.", {
      "Retry-After": "5",
    });
  }
  // Described, not dumped: a failed query's error carries its parameters (secrets, keys, message text).
  metrics().internalErrors.inc();
  log().error({ error: describeError(error) }, "internal error");
  return errorResponse("internal_error", "Something went wrong on our side.");
}

/** Wraps a route handler so that every failure becomes a JSON error response. */
export function handler<Args extends unknown[]>(fn: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await fn(...args);
    } catch (error) {
      // Next's own control flow (connection() while the build tries to prerender a route, notFound()) is
      // Next's to handle: caught here, the build logged it as an internal error.
      unstable_rethrow(error);
      return toErrorResponse(error);
    }
  };
}

/**
 * Handlers for the methods a route does not take: a JSON 405 naming the ones it does (Next's own 405 has an
 * empty body and no Allow header). Pick the ones to export: `export const { POST, PUT, PATCH, DELETE } =
 * methodsNotAllowed("GET, HEAD")`.
 */
export function methodsNotAllowed(allow: string) {
  const refuse = async () =>
    errorResponse("method_not_allowed", `This endpoint answers ${allow} only.`, { Allow: allow });
  return { GET: refuse, POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/**
 * Reads a JSON body for the admin API: 415 for another content type, 400 when it does not parse, 422 naming the
 * field when text in it cannot be stored (a NUL).
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  if (!isJson(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the body as application/json.");
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new AppError("malformed_body", "The body is not valid JSON.");
  }
  refuseUnstorable(body);
  return body;
}

export function isJson(contentType: string | null): boolean {
  return /^application\/json\s*(;|$)/i.test(contentType?.trim() ?? "");
}
