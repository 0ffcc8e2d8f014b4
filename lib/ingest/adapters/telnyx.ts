import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { AppError } from "@/lib/errors";
import { decodeBase64 } from "@/lib/text/bytes";
import type { Adapter, GatewayAuth } from "../adapter";
import { isObject } from "../fields";
import type { InboundMessage } from "../message";
import { jsonBody, requireHeader, type InboundRequest } from "../request";
import { parseIsoTimestamp } from "../time";
import { badSignature, checkTimestamp, malformedSignature, okWithCounts, withAnySecret } from "../verify";
import { concatBytes } from "./android-common";

// What Telnyx's own SDK allows between its clock and ours (telnyx-node `webhooks.ts`).
export const TELNYX_WINDOW_SECONDS = 300;

// DER prefix that turns a raw 32-byte Ed25519 public key into an SPKI key (RFC 8410).
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/**
 * Telnyx Messaging (API v2 webhooks): JSON events signed with Ed25519 over `telnyx-timestamp|body`.
 * Only `message.received` is an inbound SMS; `message.sent`, `message.finalized` and the rest get 200 and
 * are ignored. Telnyx wants a 2xx within 2 s, so the answer is a plain 200 right after the commit.
 */
export const telnyx: Adapter = {
  kind: "telnyx",
  methods: ["POST"],
  mediaTypes: ["application/json"],

  authenticate(request, gateway) {
    verifyTelnyxSignature(request, gateway);
  },

  parse(request) {
    const body = jsonBody(request);
    const data = isObject(body) ? body.data : undefined;
    if (!isObject(data) || typeof data.event_type !== "string") {
      throw new AppError("malformed_body", 'Expected a Telnyx webhook event: {"data":{"event_type":…,"payload":{…}}}.');
    }
    if (data.event_type !== "message.received")
      return { ignored: `Telnyx event '${data.event_type}' is not an inbound message.` };
    const payload = isObject(data.payload) ? data.payload : {};
    return { messages: [toInbound(payload)] };
  },

  respond: okWithCounts,

  setup: {
    title: "Telnyx Messaging",
    summary:
      "Telnyx posts each inbound SMS as a JSON `message.received` event signed with Ed25519; we check the signature with your account's public key, within Telnyx's 5-minute window, and answer 200 at once. Delivery events (`message.sent`, `message.finalized`) are acknowledged and ignored.",
    secret:
      "your Telnyx public key (base64), from Mission Control → Account Settings → Keys & Credentials → Public Key",
    steps: [
      "In Mission Control open Account Settings → Keys & Credentials → Public Key and copy the key (44 base64 characters ending in `=`): it is the gateway's secret.",
      "Open Messaging → Messaging Profiles, edit the profile your number is assigned to, and under Inbound set Webhook URL to {webhookUrl} with webhook API version 2 (leave the failover URL empty or point it at a second Numbox instance).",
      "Make sure the number is assigned to that messaging profile (Numbers → My Numbers → Messaging Profile).",
      "Register the number here with `number add` in E.164 form (`+1…`): Telnyx names it in `to[0].phone_number`.",
      "Send an SMS to the number: it appears on its inbox page. A wrong key gives 403 in Telnyx's webhook log (Messaging → Message Detail Records).",
    ],
  },
};

function toInbound(payload: Record<string, unknown>): InboundMessage {
  const from = isObject(payload.from) ? payload.from.phone_number : undefined;
  const firstTo = Array.isArray(payload.to) ? payload.to[0] : undefined;
  const to = isObject(firstTo) ? firstTo.phone_number : undefined;
  const media = Array.isArray(payload.media) ? payload.media : [];
  // An MMS may carry only media: its text is then empty (or its subject), not missing.
  const text =
    typeof payload.text === "string"
      ? payload.text
      : media.length > 0
        ? typeof payload.subject === "string"
          ? payload.subject
          : ""
        : payload.text;
  return {
    to,
    from,
    text,
    receivedAt: parseIsoTimestamp(payload.received_at),
    sourceKey: payload.id,
    segments: typeof payload.parts === "number" ? payload.parts : null,
  };
}

/**
 * Ed25519 over the bytes `telnyx-timestamp + "|" + raw body`, with the account's public key (the gateway's
 * secret, base64 of 32 bytes; current and previous during a rotation). Missing headers 401, a signature that
 * is not base64 of 64 bytes or a timestamp that is not a number 400, outside ±300 s 401, no key matching 403.
 */
export function verifyTelnyxSignature(request: InboundRequest, gateway: GatewayAuth): void {
  const signatureHeader = requireHeader(request, "telnyx-signature-ed25519");
  const timestamp = requireHeader(request, "telnyx-timestamp");
  const signature = decodeBase64(signatureHeader.trim());
  if (!signature || signature.length !== 64) {
    throw malformedSignature("The 'telnyx-signature-ed25519' header is not base64 of a 64-byte Ed25519 signature.");
  }
  checkTimestamp(timestamp, request.now, TELNYX_WINDOW_SECONDS);
  const signed = concatBytes(`${timestamp}|`, request.body);
  if (gateway.secrets.length > 0 && gateway.secrets.every((secret) => publicKeyOf(secret) === null)) {
    throw new AppError(
      "bad_signature",
      `Gateway '${gateway.id}' has no usable Telnyx public key: its secret must be the base64 key from Mission Control (32 bytes).`,
    );
  }
  const ok = withAnySecret(gateway, (secret) => {
    const key = publicKeyOf(secret);
    try {
      return key !== null && verify(null, signed, key, signature);
    } catch {
      return false;
    }
  });
  if (!ok) throw badSignature("Telnyx Ed25519 signature");
}

/** A Telnyx public key (base64 of the raw 32 bytes) as a Node key, or null when it is not one. */
export function publicKeyOf(secret: string): KeyObject | null {
  const raw = decodeBase64(secret.trim());
  if (!raw || raw.length !== 32) return null;
  try {
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
  } catch {
    return null;
  }
}
