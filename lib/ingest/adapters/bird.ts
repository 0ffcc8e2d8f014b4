import { z } from "zod";
import { AppError } from "@/lib/errors";
import { sameSecret } from "@/lib/security/secrets";
import type { Adapter, GatewayAuth } from "../adapter";
import { at, isObject } from "../fields";
import { jsonBody, requireHeader, type InboundRequest } from "../request";
import { parseIsoTimestamp } from "../time";
import { badSignature, checkTimestamp, hmac, malformedSignature, okWithCounts, sha256, withAnySecret } from "../verify";
import { signedUrl } from "./vonage-common";

// How far `messagebird-request-timestamp` may be from our clock (the timestamp is signed, so this bounds replays).
export const BIRD_WINDOW_SECONDS = 5 * 60;

const config = z.strictObject({
  // Bird names the receiving channel, not the number: connector id → our number in E.164.
  connectors: z
    .record(
      z.string().min(1).max(100),
      z.string().regex(/^\+[1-9]\d{5,14}$/, "a number in E.164 form, e.g. +31612345678"),
    )
    .optional(),
});

/**
 * Bird (the new MessageBird platform, docs.bird.com) channels webhook: a JSON event
 * `{"service":"channels","event":"sms.inbound","payload":{…}}`, signed with `messagebird-signature` =
 * base64 HMAC-SHA256(signing key, timestamp + "\n" + URL + "\n" + SHA-256(body) as raw bytes) and
 * `messagebird-request-timestamp`. Only `sms.inbound` is stored; other events get 200 and are ignored. The
 * payload names the receiving channel connector, which the gateway's config maps to our number.
 */
export const bird: Adapter = {
  kind: "bird",
  methods: ["POST"],
  mediaTypes: ["application/json"],
  configSchema: config,

  authenticate(request, gateway) {
    verifyBirdSignature(request, gateway);
  },

  parse(request, gateway) {
    const body = jsonBody(request);
    if (!isObject(body))
      throw new AppError("malformed_body", 'Expected a Bird webhook event: {"event":…,"payload":{…}}.');
    const payload = body.payload;
    const inbound =
      body.event === "sms.inbound" || (body.event === undefined && at(payload, "direction") === "incoming");
    if (!inbound) return { ignored: `Bird event '${String(body.event).slice(0, 40)}' is not an inbound SMS.` };
    if (!isObject(payload)) throw new AppError("malformed_body", "The sms.inbound event has no 'payload' object.");
    const bodyType = at(payload, "body", "type");
    if (bodyType !== undefined && bodyType !== "text") {
      return { ignored: `A Bird message with a '${String(bodyType).slice(0, 20)}' body, not text.` };
    }
    return {
      messages: [
        {
          to: recipientOf(payload, gateway),
          from: at(payload, "sender", "contact", "identifierValue"),
          text: at(payload, "body", "text", "text"),
          receivedAt: parseIsoTimestamp(payload.createdAt),
          sourceKey: payload.id,
          segments: Array.isArray(payload.parts) && payload.parts.length > 0 ? payload.parts.length : null,
        },
      ],
    };
  },

  respond: okWithCounts,

  setup: {
    title: "Bird (new MessageBird platform)",
    summary:
      "Bird posts an `sms.inbound` event for each SMS to your number's SMS channel, signed with `messagebird-signature` (HMAC-SHA256 over the timestamp, the URL and the body's hash): we check it with the webhook's signing key and a timestamp within 5 minutes. Bird names the receiving channel connector rather than the number, so the gateway maps connector ids to numbers.",
    secret: "the signing key of your Bird webhook subscription (the same string you give Bird)",
    steps: [
      "Pick a signing key — any random string, e.g. the output of `openssl rand -base64 32` — and create the gateway with it as the secret.",
      "Subscribe Bird's `sms.inbound` event of your number's SMS channel to {webhookUrl} with that signing key: with Bird's API as in the first snippet (the organization and workspace ids appear in the dashboard's URLs; create an access key in the dashboard's settings), or in the dashboard under Developer → Webhooks. Leave `template` unset: the standard event body is what we read. Bird only calls https URLs, so PUBLIC_URL must be https.",
      "Register the number with `number add` in E.164 form (`+31612345678`).",
      "Bird names the receiving channel connector (`payload.receiver.connector.id`), not the number. With one number per gateway nothing more is needed; with several, map each connector id to its number in the gateway's config, as in the second snippet.",
      "Send an SMS to the number: it appears on its inbox page. Other events on the same URL are answered 200 and ignored; a wrong signing key gives 403, a timestamp more than 5 minutes off 401.",
    ],
    snippets: [
      {
        caption: "Subscribe the SMS channel's inbound messages (Bird API)",
        language: "sh",
        code: `curl -X POST "https://api.bird.com/organizations/<organization id>/workspaces/<workspace id>/webhook-subscriptions" \\
  -H "Authorization: AccessKey <Bird access key>" -H "Content-Type: application/json" \\
  -d '{"service":"channels","event":"sms.inbound","url":"{webhookUrl}","signingKey":"<signing key>",
       "eventFilters":[{"key":"channelId","value":"<SMS channel id>"}]}'`,
      },
      {
        caption: "Several numbers on one gateway: map each Bird connector id to its number",
        language: "sh",
        code: `npm run admin -- gateway add {gatewayId} --kind bird --secret '<signing key>' \\
  --config '{"connectors":{"86cc4dc0-3dc0-41b7-ac43-8ec829ead56f":"+31612345678"}}'`,
      },
    ],
  },
};

/**
 * Our number: the one the gateway's config maps the receiving connector to; with no mapping configured, none
 * (the gateway's only number receives it). A connector missing from a configured mapping: 422 unknown_recipient.
 */
function recipientOf(payload: Record<string, unknown>, gateway: GatewayAuth): string | undefined {
  const connectors = config.safeParse(gateway.config).data?.connectors ?? {};
  if (Object.keys(connectors).length === 0) return undefined;
  const id = at(payload, "receiver", "connector", "id");
  const number = typeof id === "string" ? connectors[id] : undefined;
  if (number === undefined) {
    throw new AppError(
      "unknown_recipient",
      `The receiving connector '${String(id).slice(0, 64)}' is not mapped to a number in this gateway's config ('connectors').`,
    );
  }
  return number;
}

/**
 * `messagebird-signature` (base64 of 32 bytes) over `timestamp + "\n" + URL + "\n"` followed by the raw 32-byte
 * SHA-256 of the body, HMAC-SHA256 with the signing key; `messagebird-request-timestamp` within ±5 minutes.
 */
export function verifyBirdSignature(request: InboundRequest, gateway: GatewayAuth): void {
  const signature = requireHeader(request, "messagebird-signature");
  const timestamp = requireHeader(request, "messagebird-request-timestamp");
  if (!/^[A-Za-z0-9+/]{43}=$/.test(signature)) {
    throw malformedSignature("The 'messagebird-signature' header is not base64 of a 32-byte HMAC-SHA256.");
  }
  if (!/^\d{1,16}$/.test(timestamp))
    throw malformedSignature("The 'messagebird-request-timestamp' header is not a number.");
  const signed = Buffer.concat([Buffer.from(`${timestamp}\n${signedUrl(request)}\n`, "utf8"), sha256(request.body)]);
  const ok = withAnySecret(gateway, (secret) =>
    sameSecret(hmac("sha256", secret, signed).toString("base64"), signature),
  );
  if (!ok) throw badSignature("Bird signature");
  checkTimestamp(timestamp, request.now, BIRD_WINDOW_SECONDS);
}
