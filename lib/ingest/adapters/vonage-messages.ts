import { AppError } from "@/lib/errors";
import type { Adapter, GatewayAuth } from "../adapter";
import { at, isObject } from "../fields";
import type { InboundMessage } from "../message";
import { jsonBody, type InboundRequest } from "../request";
import { internationalSender } from "../sender";
import { parseIsoTimestamp } from "../time";
import { okWithCounts } from "../verify";
import { bearerJwt, checkHashClaim, count, numericClaim, staleRequest, verifyJwt } from "./vonage-common";

// How far the JWT's `iat` may be from our clock. Vonage signs every attempt afresh, retries included.
export const VONAGE_JWT_WINDOW_SECONDS = 5 * 60;

/**
 * Vonage Messages API inbound webhook: JSON, one request per message (Vonage joins long SMS), signed with a
 * `Authorization: Bearer` JWT (HS256 with the account's signature secret) whose `payload_hash` is the body's
 * SHA-256 and whose `iat` must be recent. Both the current flat shape (v1) and the older nested one (v0.1,
 * "olympus") are read. Other channels (WhatsApp, MMS, RCS…) and status updates share the URL: 200, ignored.
 */
export const vonageMessages: Adapter = {
  kind: "vonage-messages",
  methods: ["POST"],
  mediaTypes: ["application/json"],

  authenticate(request, gateway) {
    verifyVonageJwt(request, gateway);
  },

  parse(request) {
    const body = jsonBody(request);
    if (!isObject(body)) throw new AppError("malformed_body", "Expected a JSON object: a Vonage Messages API webhook.");
    const nested = isObject(body.from) || isObject(body.to);
    const channel = nested ? (at(body, "from", "type") ?? at(body, "to", "type")) : body.channel;
    const content = nested ? at(body, "message", "content") : body;
    const text = nested ? at(content, "text") : body.text;
    if (typeof body.status === "string" && text === undefined) {
      return { ignored: `A message status update ('${body.status.slice(0, 20)}'), not an inbound message.` };
    }
    if (channel !== "sms") return { ignored: `A message on the '${String(channel).slice(0, 20)}' channel, not SMS.` };
    const type = nested ? at(content, "type") : body.message_type;
    if (type !== undefined && type !== "text")
      return { ignored: `An SMS of type '${String(type).slice(0, 20)}', not text.` };

    const from = nested ? at(body, "from", "number") : body.from;
    const sms = nested ? at(body, "message", "sms") : body.sms;
    const message: InboundMessage = {
      to: nested ? at(body, "to", "number") : body.to,
      from: typeof from === "string" ? internationalSender(from) : from,
      text,
      receivedAt: parseIsoTimestamp(body.timestamp),
      sourceKey: body.message_uuid,
      segments: count(at(sms, "num_messages")) ?? count(at(sms, "total_count")),
    };
    return { messages: [message] };
  },

  respond: okWithCounts,

  setup: {
    title: "Vonage Messages API",
    summary:
      "With the Messages API, Vonage posts each inbound SMS (long ones already joined) as JSON to your application's Inbound URL, signed with a JWT: we check it with your account's signature secret, compare its `payload_hash` with the body and refuse an `iat` more than 5 minutes off. Other channels and status updates are acknowledged and ignored.",
    secret: "your Vonage signature secret (Dashboard → Settings → API settings → Signature secret)",
    steps: [
      "In the Vonage API Dashboard open API Settings → SMS settings and select “Messages API”, so inbound SMS go to an application (for the older “SMS API” use the `vonage-sms` kind).",
      "Copy the account's signature secret from the same Settings page: it is the gateway's secret. Vonage always signs Messages API webhooks with SHA-256 (HS256), whatever signature method the page shows.",
      "Open Applications, create or edit the application, enable the Messages capability, and set Inbound URL to {webhookUrl} (method POST). Point Status URL here too if you like: status updates are answered 200 and ignored.",
      "Link your number to the application (Applications → your application → Link numbers).",
      "Register the number with `number add` in E.164 form (`+447700900000`): Vonage writes it without `+`, which we accept.",
      "Send an SMS to the number: it appears on its inbox page. In the rare case Vonage sends an unsigned webhook we answer 503, which makes Vonage retry it signed (its advice); a wrong secret gives 403.",
    ],
  },
};

/**
 * The Messages API's JWT: `Authorization: Bearer` HS256 with the signature secret (one of the gateway's two
 * during a rotation), then `payload_hash` = hex SHA-256 of the raw body (403 payload_hash_mismatch), then
 * `iat` within ±5 minutes (401 stale_request).
 */
export function verifyVonageJwt(request: InboundRequest, gateway: GatewayAuth): void {
  if (!request.headers.get("authorization")?.trim()) {
    // Vonage: "in the rare case of an internal error … the callback service will send an unsigned callback.
    // By returning an HTTP 5xx response, a retry will be triggered" — a 401 would lose the message for good.
    throw new AppError(
      "unsigned_callback",
      "The request carries no 'Authorization: Bearer <JWT>': refused for now, so that Vonage retries it signed.",
      { "Retry-After": "5" },
    );
  }
  const token = bearerJwt(request, "Vonage signed webhook");
  const claims = verifyJwt(token, gateway, ["HS256"], "Vonage JWT");
  checkHashClaim(claims.payload_hash, request.body, "payload");
  const iat = numericClaim(claims, "iat", "Vonage JWT");
  if (Math.abs(request.now.getTime() / 1000 - iat) > VONAGE_JWT_WINDOW_SECONDS) {
    throw staleRequest(`The JWT was issued (iat) more than ${VONAGE_JWT_WINDOW_SECONDS} s from our clock.`);
  }
}
