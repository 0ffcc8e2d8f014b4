import { AppError } from "@/lib/errors";
import type { Adapter, GatewayAuth } from "../adapter";
import { isObject } from "../fields";
import type { InboundMessage } from "../message";
import { formParams, jsonBody, requireHeader, type InboundRequest } from "../request";
import { internationalSender } from "../sender";
import { parseIsoTimestamp } from "../time";
import { okWithCounts } from "../verify";
import { checkHashClaim, numericClaim, signedUrl, staleRequest, verifyJwt } from "./vonage-common";

// The clock skew MessageBird's own SDK allows around the token's nbf/exp (messagebird-nodejs, jose clockTolerance).
export const MESSAGEBIRD_CLOCK_TOLERANCE_SECONDS = 5;

/**
 * MessageBird (legacy platform) inbound SMS to a virtual mobile number or a short code: the message's fields in
 * the query of a GET (or a POST form/JSON body), signed with the `MessageBird-Signature-JWT` header — an HMAC
 * JWT whose `url_hash` covers the full URL as called (query in its original order) and `payload_hash` the body,
 * valid between `nbf` and `exp` (60 s apart). Answer: 200.
 */
export const messagebird: Adapter = {
  kind: "messagebird",
  methods: ["GET", "POST"],
  mediaTypes: ["application/x-www-form-urlencoded", "application/json"],

  authenticate(request, gateway) {
    verifyMessageBirdJwt(request, gateway);
  },

  parse(request) {
    const params = messageBirdParams(request);
    // The short-code variant names our number `shortcode` (not a phone number we can hold): the gateway's
    // only number receives it.
    const shortCode = params.has("mid") || params.has("shortcode");
    const message: InboundMessage = shortCode
      ? {
          from: sender(params.get("originator")),
          text: params.get("message") ?? params.get("body"),
          receivedAt: parseCompactTime(params.get("receive_datetime")),
          sourceKey: params.get("mid"),
        }
      : {
          to: params.get("recipient"),
          from: sender(params.get("originator")),
          text: params.get("body"),
          receivedAt: parseLenientIso(params.get("createdDatetime")),
          sourceKey: params.get("id"),
        };
    if (message.from === undefined && message.text === undefined && message.sourceKey === undefined) {
      return { ignored: "No message fields (originator, body, id): not an inbound SMS." };
    }
    return { messages: [message] };
  },

  respond: okWithCounts,

  setup: {
    title: "MessageBird (legacy platform)",
    summary:
      "MessageBird calls the URL for each SMS to your virtual mobile number (VMN) or short code — usually as a GET with the message in the query — and signs it with the `MessageBird-Signature-JWT` header: we check it with your signing key, including the hash of the full URL and body, within the token's 60-second lifetime.",
    secret: "your MessageBird signing key (Dashboard → Developers, shown with the API access keys)",
    steps: [
      "In the MessageBird Dashboard open Developers and copy the signing key (next to the API access keys): it is the gateway's secret.",
      "Open Numbers, pick your virtual mobile number, and add a flow (Flow Builder) for incoming SMS with the step “Forward to URL” / “Call HTTP endpoint”: URL {webhookUrl}, method GET (POST works too). Short codes: set the same URL as the short code's forward URL.",
      "Set PUBLIC_URL to exactly the scheme and host MessageBird calls: the signature covers the whole URL, query included, in the order MessageBird sent it.",
      "Register the number with `number add` in E.164 form (`+31642500190`): MessageBird names it in `recipient` without `+`, which we accept. A short code's messages go to the gateway's only number.",
      "Send an SMS to the number: it appears on its inbox page. A wrong key gives 403; a request replayed after its token expired gives 401.",
    ],
  },
};

/** VMN GET: the query; POST: the form or JSON body (flat fields). */
function messageBirdParams(request: InboundRequest): Map<string, string> {
  if (request.method === "GET" || request.mediaType !== "application/json") return formParams(request);
  const body = jsonBody(request);
  if (!isObject(body)) throw new AppError("malformed_body", "Expected a JSON object of MessageBird's message fields.");
  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === "string" || typeof value === "number") params.set(name, String(value));
  }
  return params;
}

function sender(originator: string | undefined): string | undefined {
  return originator === undefined ? undefined : internationalSender(originator);
}

/**
 * `createdDatetime` as it arrives: MessageBird writes `2016-05-03T14:26:57+00:00` into the query without
 * escaping the `+`, which form decoding turns into a space — read " 00:00" as "+00:00".
 */
export function parseLenientIso(value: string | undefined): Date | null {
  if (value === undefined) return null;
  return parseIsoTimestamp(value.trim().replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$/, "$1+$2"));
}

/** The short-code variant's `receive_datetime`, `YmdHis` (`20160503142657`), taken as UTC. */
export function parseCompactTime(value: string | undefined): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value?.trim() ?? "");
  return m ? parseIsoTimestamp(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : null;
}

/**
 * `MessageBird-Signature-JWT` as messagebird-nodejs `webhook-signature-jwt.js` checks it: HS256/384/512 with
 * the signing key, `iss` MessageBird, `nbf`/`exp` with 5 s tolerance (401 stale_request), a `jti`, `url_hash`
 * = SHA-256 of the full URL and `payload_hash` = SHA-256 of the body — required when there is a body
 * (403 payload_hash_mismatch).
 */
export function verifyMessageBirdJwt(request: InboundRequest, gateway: GatewayAuth): void {
  const token = requireHeader(request, "messagebird-signature-jwt");
  verifyMessageBirdToken(token, signedUrl(request), request.body, request.now, gateway);
}

export function verifyMessageBirdToken(
  token: string,
  url: string,
  body: Uint8Array,
  now: Date,
  gateway: GatewayAuth,
): void {
  const what = "MessageBird-Signature-JWT";
  const claims = verifyJwt(token, gateway, ["HS256", "HS384", "HS512"], what);
  if (claims.iss !== "MessageBird") {
    throw new AppError("bad_signature", `The ${what} was not issued by MessageBird.`);
  }
  const seconds = now.getTime() / 1000;
  const nbf = claims.nbf === undefined ? null : numericClaim(claims, "nbf", what);
  const exp = numericClaim(claims, "exp", what);
  if (nbf !== null && seconds < nbf - MESSAGEBIRD_CLOCK_TOLERANCE_SECONDS) {
    throw staleRequest(`The ${what} is not valid yet (nbf is ahead of our clock).`);
  }
  if (seconds > exp + MESSAGEBIRD_CLOCK_TOLERANCE_SECONDS) throw staleRequest(`The ${what} has expired.`);
  if (typeof claims.jti !== "string" || claims.jti === "")
    throw new AppError("malformed_signature", `The ${what} has no 'jti'.`);
  checkHashClaim(claims.url_hash, url, "URL");
  if (claims.payload_hash !== undefined) checkHashClaim(claims.payload_hash, body, "payload");
  else if (body.length > 0) {
    throw new AppError("payload_hash_mismatch", `The ${what} covers no body, but the request has one.`);
  }
}
