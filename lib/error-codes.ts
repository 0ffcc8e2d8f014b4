/**
 * Every error a client can get from Numbox: the `error` code of the JSON body, its HTTP status, and what it means.
 * The README's table of error codes is this list (lib/error-codes.test.ts compares them), and server.mjs, which
 * answers before any of our TypeScript is loaded, may only use codes from here.
 *
 * A code keeps one meaning; where it is answered with two statuses (a bad id in the path is 400, the same in a
 * body field is 422), each has an entry of its own, named after the code, with `code` set to the code on the wire.
 */
export const ERROR_CODES = {
  // The request itself
  malformed_request: { status: 400, meaning: "The request is not valid HTTP/1.1." },
  malformed_target: {
    status: 400,
    meaning: "The request target is not a path starting with '/' (a proxy's absolute URL, '*').",
  },
  malformed_path: { status: 400, meaning: "The path has a malformed %-escape or a NUL." },
  malformed_body: { status: 400, meaning: "The body does not parse as the format the endpoint or source kind takes." },
  invalid_utf8: { status: 400, meaning: "The body is not valid UTF-8." },
  ambiguous_parameter: { status: 400, meaning: "A parameter is given twice, or both in the query and in the body." },
  invalid_parameter: {
    status: 400,
    meaning: "A query parameter is out of range, too short or too long, or not a number (limit, after, q…).",
  },
  unknown_parameter: {
    status: 400,
    meaning: "The query has a parameter the endpoint does not take; the detail names it and those it takes.",
  },
  invalid_number_param: {
    code: "invalid_number",
    status: 400,
    meaning: "The number in the path is not a phone number.",
  },
  invalid_id_param: { code: "invalid_id", status: 400, meaning: "The id in the path is not a positive integer." },
  invalid_service: {
    status: 400,
    meaning: "The service in the path is not a service's slug (lower case letters, digits and dashes).",
  },
  method_not_allowed: {
    status: 405,
    meaning: "The endpoint does not take this method; the Allow header lists those it takes.",
  },
  request_timeout: { status: 408, meaning: "The request did not arrive in time." },
  payload_too_large: { status: 413, meaning: "The body is larger than the endpoint accepts." },
  uri_too_long: { status: 414, meaning: "The URL is longer than the endpoint accepts." },
  unsupported_media_type: {
    status: 415,
    meaning: "The body's Content-Type is not one the endpoint or source kind takes.",
  },
  headers_too_large: { status: 431, meaning: "The request's headers are larger than the server accepts." },

  // Who is asking
  missing_credentials: { status: 401, meaning: "The gateway's API key (or the source's signature) is missing." },
  bad_key: { status: 401, meaning: "The API key is not one of this gateway's." },
  stale_request: {
    status: 401,
    meaning: "The signed request's timestamp is outside the window its source allows (a replay).",
  },
  unauthorized: { status: 401, meaning: "The admin API needs the admin token (ADMIN_TOKEN) as a Bearer token." },
  malformed_signature: { status: 400, meaning: "The signature header is present but not in the source's format." },
  bad_signature: { status: 403, meaning: "The signature does not match any of the gateway's secrets." },
  payload_hash_mismatch: { status: 403, meaning: "The signed hash of the body does not match the body received." },
  source_ip_not_allowed: {
    status: 403,
    meaning: "The request comes from an address outside the gateway's allow list.",
  },
  admin_disabled: { status: 403, meaning: "The admin API is off: the server has no ADMIN_TOKEN." },

  // What it names
  not_found: { status: 404, meaning: "There is no such API endpoint." },
  unknown_gateway: { status: 404, meaning: "There is no gateway with the id in the path." },
  unknown_gateway_field: {
    code: "unknown_gateway",
    status: 422,
    meaning: "The gateway named in the body does not exist.",
  },
  unknown_number: { status: 404, meaning: "The number is not one of ours." },
  unknown_service: {
    status: 404,
    meaning: "The service is not in the catalogue, and none of our numbers received it in the last 7 days.",
  },
  unknown_message: { status: 404, meaning: "There is no message with that id." },
  unknown_redaction: { status: 404, meaning: "There is no redaction rule with that id." },
  unknown_card: {
    status: 404,
    meaning: "There is no card image at that address: no such language, country, or number of ours.",
  },
  gateway_exists: { status: 409, meaning: "A gateway with that id exists already." },
  number_exists: { status: 409, meaning: "That number exists already." },
  idempotency_conflict: {
    status: 409,
    meaning: "The message id was used before for a different message; nothing of the batch is stored.",
  },

  // The message
  missing_recipient: { status: 422, meaning: "The message has no 'to'." },
  unknown_recipient: { status: 422, meaning: "'to' is not an active number of this gateway." },
  missing_sender: { status: 422, meaning: "The message has no 'from'." },
  invalid_sender: {
    status: 422,
    meaning: "'from' is not a plausible sender: at most 32 printable characters, no NUL.",
  },
  missing_text: { status: 422, meaning: "The message has no 'text'." },
  invalid_text: { status: 422, meaning: "'text' is not a string, or holds a NUL or an unpaired surrogate." },
  invalid_received_at: { status: 422, meaning: "'receivedAt' is not an ISO 8601 time." },
  invalid_id: { status: 422, meaning: "The message's 'id' is not a string of 1 to 200 characters (or holds a NUL)." },
  invalid_batch: {
    status: 422,
    meaning: "The batch is not a list of 1 to 100 messages, or an item of it is not a message.",
  },
  bad_concat_metadata: {
    status: 422,
    meaning: "A part of a long message has a missing or inconsistent reference, count or index.",
  },
  bad_binary_encoding: { status: 422, meaning: "A binary-encoded text (hex, UCS-2, UTF-16) does not decode." },
  bad_ucs2: { status: 422, meaning: "A UCS-2 text has an odd number of bytes or a broken surrogate." },

  // The admin API's input
  invalid_fields: { status: 422, meaning: "Fields of the body are missing or wrong; the detail names each." },
  invalid_number: { status: 422, meaning: "The number is not a valid phone number in international form." },
  missing_secret: { status: 422, meaning: "The gateway's kind signs its requests: it needs a secret." },
  unsupported_kind: {
    status: 422,
    meaning: "Gateways of that kind are not supported (yet); the detail lists those that are.",
  },
  invalid_pattern: { status: 422, meaning: "The redaction pattern is not a valid regular expression, or is too slow." },

  // Limits and the server
  rate_limited: {
    status: 429,
    meaning: "Too many requests from this address (or for this gateway); Retry-After says when to retry.",
  },
  internal_error: { status: 500, meaning: "Something failed on our side; it is logged." },
  unsupported_kind_served: {
    code: "unsupported_kind",
    status: 501,
    meaning: "The gateway's kind cannot take messages in this version.",
  },
  database_unavailable: {
    status: 503,
    meaning: "The database is unavailable; nothing was stored; retry after Retry-After.",
  },
  starting: { status: 503, meaning: "The server is starting; retry after Retry-After." },
  unsigned_callback: {
    status: 503,
    meaning: "A Vonage callback came without its signed JWT: refused for now, so that Vonage retries it.",
  },
} as const satisfies Record<string, { status: number; meaning: string; code?: string }>;

export type ErrorKey = keyof typeof ERROR_CODES;

/** The code on the wire and the status of an entry. */
export function errorOf(key: ErrorKey): { code: string; status: number; meaning: string } {
  const entry: { status: number; meaning: string; code?: string } = ERROR_CODES[key];
  return { code: entry.code ?? key, status: entry.status, meaning: entry.meaning };
}
