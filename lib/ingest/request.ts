import { AppError } from "@/lib/errors";
import { decodeUtf8 } from "@/lib/http/body";

/**
 * An inbound request, read once: the raw bytes (signatures cover them), and the URL as the sender called it —
 * PUBLIC_URL's origin with the request's path and raw query — never the Host or X-Forwarded-* headers.
 */
export type InboundRequest = {
  method: string;
  url: URL;
  // The query string exactly as sent (without "?"): some signatures cover its original order and escapes.
  rawQuery: string;
  headers: Headers;
  body: Uint8Array;
  mediaType: string | null; // "application/json", lower case, without parameters
  charset: string | null;
  now: Date;
};

/** Set by server.mjs to the request target exactly as received (a client-sent value is overwritten there). */
export const RAW_URL_HEADER = "x-numbox-raw-url";

export function toInboundRequest(
  request: Request,
  body: Uint8Array,
  publicUrl: string,
  now = new Date(),
): InboundRequest {
  const received = new URL(request.url);
  // Next re-encodes the query it hands to route handlers; server.mjs stamps the target as sent. Only the
  // origin is replaced, by the configured public one.
  const target = request.headers.get(RAW_URL_HEADER) ?? request.url;
  const rawQuery = target.includes("?") ? target.slice(target.indexOf("?") + 1).split("#")[0]! : "";
  const url = new URL(`${publicUrl.replace(/\/+$/, "")}${received.pathname}${rawQuery ? `?${rawQuery}` : ""}`);
  const [mediaType, ...params] = (request.headers.get("content-type") ?? "").split(";");
  const charset = params.map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(p)?.[1]).find(Boolean) ?? null;
  return {
    method: request.method.toUpperCase(),
    url,
    rawQuery,
    headers: request.headers,
    body,
    mediaType: mediaType?.trim().toLowerCase() || null,
    charset: charset?.toLowerCase() ?? null,
    now,
  };
}

/** The body as JSON (UTF-8, strictly). 400 malformed_body / invalid_utf8. */
export function jsonBody(request: InboundRequest): unknown {
  const text = decodeUtf8(request.body);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("malformed_body", "The body is not valid JSON.");
  }
}

/**
 * Form parameters: the query for GET, the url-encoded body for POST. Strict where URLSearchParams is lenient:
 * a bad %-escape or invalid UTF-8 is a 400, and a name repeated with different values is ambiguous (400).
 */
export function formParams(request: InboundRequest): Map<string, string> {
  const source = request.method === "GET" ? request.rawQuery : decodeUtf8(request.body);
  return parseForm(source);
}

export function parseForm(source: string): Map<string, string> {
  return formFields(source, decodeFormComponent, decodeFormComponent, (a, b) => a === b);
}

/**
 * The fields of a form (`name=value&…`; a pair without "=" is a name with an empty value), names and values
 * decoded by the caller's rules. Empty pairs are skipped; a name repeated with different values is 400
 * ambiguous_parameter, a repeat with the same value harmless.
 */
export function formFields<T>(
  source: string,
  decodeName: (component: string) => string,
  decodeValue: (component: string) => T,
  same: (a: T, b: T) => boolean,
): Map<string, T> {
  const fields = new Map<string, T>();
  if (source === "") return fields;
  for (const pair of source.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeName(eq < 0 ? pair : pair.slice(0, eq));
    const value = decodeValue(eq < 0 ? "" : pair.slice(eq + 1));
    const earlier = fields.get(name);
    if (earlier !== undefined && !same(earlier, value)) {
      throw new AppError("ambiguous_parameter", `The parameter '${name}' is repeated with different values.`);
    }
    fields.set(name, value);
  }
  return fields;
}

function decodeFormComponent(component: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(component.replaceAll("+", " "));
  } catch {
    throw new AppError("malformed_body", "The form encoding is broken (a bad %-escape or invalid UTF-8).");
  }
  return decoded;
}

/** A required header, or 401 missing_credentials naming it. */
export function requireHeader(request: InboundRequest, name: string): string {
  const value = request.headers.get(name);
  if (value === null || value.trim() === "") {
    throw new AppError("missing_credentials", `The '${name}' header is missing.`);
  }
  return value.trim();
}
