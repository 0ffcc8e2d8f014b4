import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { config } from "@/lib/config";
import {
  API_CONTENT_SECURITY_POLICY,
  FIXED_SECURITY_HEADERS,
  isApiPath,
  requestSecurity,
} from "@/lib/security/headers";

// What the doors answered before Next (lib/server/respond.ts, inbound.ts, stream.ts) share with Node's request
// and response.

/** A request target cut into its path and its query (without the "?"; "" when there is none). */
export function splitTarget(url: string | undefined): { pathname: string; search: string } {
  const target = url ?? "/";
  const query = target.indexOf("?");
  return query === -1
    ? { pathname: target, search: "" }
    : { pathname: target.slice(0, query), search: target.slice(query + 1) };
}

/** A Node request's headers as fetch Headers, for the code that reads them (limits, cursors). */
export function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/** The security headers proxy.ts and next.config.ts give an answer Next would have made. */
export function securityHeaders(pathname: string): Record<string, string> {
  return { ...fixedHeaders(pathname), ...answered(pathname) };
}

/** Writes a fetch Response (a 429, an API error) to Node's response, with those headers. */
export async function writeResponse(res: ServerResponse, pathname: string, response: Response): Promise<void> {
  const headers = fixedHeaders(pathname);
  // Its length is the body's, set below, whatever the response said (fetch's Headers are lower case).
  response.headers.forEach((value, name) => name !== "content-length" && (headers[name] = value));
  Object.assign(headers, answered(pathname));
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...headers, "Content-Length": body.length });
  res.end(body);
}

function fixedHeaders(pathname: string): Record<string, string> {
  const headers: Record<string, string> = Object.fromEntries(
    FIXED_SECURITY_HEADERS.map(({ key, value }) => [key, value]),
  );
  if (isApiPath(pathname)) headers["Content-Security-Policy"] = API_CONTENT_SECURITY_POLICY;
  return headers;
}

function answered(pathname: string): Record<string, string> {
  return requestSecurity(pathname, { publicUrl: config().PUBLIC_URL, dev: false }).answered;
}

/** A path segment decoded, as Next decodes a route's params; as it is when it does not decode. */
export function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
