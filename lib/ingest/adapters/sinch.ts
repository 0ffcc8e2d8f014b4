import { createHmac } from "node:crypto";
import { AppError } from "@/lib/errors";
import { sameSecret } from "@/lib/security/secrets";
import { decodeBase64, decodeHex } from "@/lib/text/bytes";
import type { Adapter, GatewayAuth } from "../adapter";
import { isObject } from "../fields";
import type { InboundMessage } from "../message";
import type { InboundRequest } from "../request";
import { jsonBody } from "../request";
import { internationalSender } from "../sender";
import { parseIsoTimestamp } from "../time";
import { decodeUcs2, ucs2Part } from "../ucs2";
import { udhConcatenation } from "../udh";
import {
  authenticateWithKey,
  badSignature,
  checkTimestamp,
  malformedSignature,
  okJson,
  withAnySecret,
} from "../verify";

// How far the signature's timestamp may be from our clock: a replayed callback is refused after this.
export const SIGNATURE_WINDOW_SECONDS = 300;

const SIGNATURE = "x-sinch-webhook-signature";
const NONCE = "x-sinch-webhook-signature-nonce";
const TIMESTAMP = "x-sinch-webhook-signature-timestamp";
const ALGORITHM = "x-sinch-webhook-signature-algorithm";

// The algorithms Sinch's SDKs accept in x-sinch-webhook-signature-algorithm (HmacSHA256 is what Sinch sends).
const ALGORITHMS: Record<string, "sha256" | "sha384" | "sha512"> = {
  hmacsha256: "sha256",
  hmacsha384: "sha384",
  hmacsha512: "sha512",
};

/**
 * Sinch SMS REST API inbound callbacks (docs/ingest-sources.md §5): one JSON object per message — `mo_text`,
 * `mo_media`, or `mo_binary` (base64 body + hex UDH; concatenated parts are joined here). Authenticated by the
 * HMAC headers when Sinch signs the callback, otherwise by the gateway's API key (Basic auth password, bearer
 * token, or `?key=`): Sinch sets callback authentication up per account, on request.
 */
export const sinch: Adapter = {
  kind: "sinch",
  methods: ["POST"],
  mediaTypes: ["application/json"],

  authenticate(request, gateway) {
    if ([SIGNATURE, NONCE, TIMESTAMP, ALGORITHM].some((name) => request.headers.has(name))) {
      verifySinchSignature(request, gateway);
    } else {
      // Unsigned: the gateway's API key, as the Basic auth password, a bearer token, or `?key=`.
      authenticateWithKey(request, gateway, { query: true, basic: true });
    }
  },

  parse(request) {
    const body = jsonBody(request);
    if (!isObject(body)) throw new AppError("malformed_body", "A Sinch callback is a JSON object.");
    const type = typeof body.type === "string" ? body.type : typeof body.body === "string" ? "mo_text" : null;
    switch (type) {
      case "mo_text":
        return { messages: [{ ...envelope(body), text: body.body }] };
      case "mo_media":
        return { messages: [{ ...envelope(body), text: mediaText(body.body) }] };
      case "mo_binary":
        return { messages: [binaryMessage(body)] };
      default:
        // Delivery reports (delivery_report_sms, recipient_delivery_report_sms…) and anything else that is not an MO.
        return {
          ignored: type
            ? `a '${type.slice(0, 40)}' callback, not an inbound message`
            : "not an inbound message callback",
        };
    }
  },

  respond() {
    return okJson();
  },

  setup: {
    title: "Sinch SMS",
    summary:
      "Sinch posts each incoming SMS as JSON (`mo_text`; binary `mo_binary` parts are joined here) to your service plan's callback URL. " +
      "We accept a callback signed with Sinch's HMAC headers (`x-sinch-webhook-signature`…, within 5 minutes), " +
      "or one carrying the gateway's API key: in the URL as `key=`, as the password of HTTP Basic auth, or as a bearer token.",
    secret: null,
    urlSuffix: "?key=<API key>",
    steps: [
      "In the Sinch Customer Dashboard open SMS → APIs, select your service plan ID and set its callback URL to {webhookUrl} (replace `<API key>` with the key printed when the gateway was created). Keep PUBLIC_URL on https: the key travels in the URL.",
      "Register the number here with `number add` in E.164 form: Sinch names it in `to`, with or without `+`; all-digit international senders get their `+`.",
      "If Sinch's account team sets up HTTP Basic authentication for your callbacks instead, use {publicUrl}/api/inbound/{gatewayId} without `?key=`, any user name and the API key as password.",
      "If Sinch signs your callbacks (headers `x-sinch-webhook-signature`, `-nonce`, `-timestamp`, `-algorithm`), create the gateway with the signing secret as in the first snippet below: signed callbacks are then checked against it and need no key. Their timestamp must be within 5 minutes of our clock, so keep the server's clock synchronised (NTP).",
      "Send an SMS to the number: it appears on its inbox page. Sinch retries on 5xx and 429 for almost a day, but not on other 4xx: an authenticated callback we could not store is kept for you in `quarantine list`.",
    ],
    snippets: [
      {
        caption: "Signed callbacks: create the gateway with Sinch's callback signing secret",
        language: "sh",
        code: `npm run admin -- gateway add {gatewayId} --kind sinch --secret '<callback signing secret>'`,
      },
      {
        caption: 'Try it as Sinch would (put one of your numbers in "to"); expect HTTP 200 {"ok":true}',
        language: "sh",
        code: `curl -i -X POST "{webhookUrl}" -H 'Content-Type: application/json' \\
  -d '{"type":"mo_text","id":"setup-test-1","from":"+447700900001","to":"+12345678900","body":"Hello from Sinch","received_at":"2024-01-01T10:00:00.000Z"}'`,
      },
    ],
  },
};

/**
 * The HMAC Sinch puts on signed callbacks: base64(HMAC(secret, rawBody + "." + nonce + "." + timestamp)),
 * timestamp in unix seconds within SIGNATURE_WINDOW_SECONDS. 400 incomplete or malformed headers, 401 stale,
 * 403 mismatch.
 */
export function verifySinchSignature(request: InboundRequest, gateway: GatewayAuth): void {
  const signature = request.headers.get(SIGNATURE)?.trim();
  const nonce = request.headers.get(NONCE)?.trim();
  const timestamp = request.headers.get(TIMESTAMP)?.trim();
  if (!signature || !nonce || !timestamp) {
    throw malformedSignature(
      `Sinch signs with ${SIGNATURE}, ${NONCE} and ${TIMESTAMP} together; one of them is missing.`,
    );
  }
  const algorithmName = request.headers.get(ALGORITHM)?.trim() || "HmacSHA256";
  const algorithm = ALGORITHMS[algorithmName.toLowerCase()];
  if (!algorithm)
    throw malformedSignature(`The signature algorithm '${algorithmName.slice(0, 20)}' is not one Sinch uses.`);
  checkTimestamp(timestamp, request.now, SIGNATURE_WINDOW_SECONDS);

  const signed = Buffer.concat([request.body, Buffer.from(`.${nonce}.${timestamp}`, "utf8")]);
  const ok = withAnySecret(gateway, (secret) =>
    sameSecret(createHmac(algorithm, secret).update(signed).digest("base64"), signature),
  );
  if (!ok) throw badSignature(SIGNATURE);
}

/** What every Sinch MO carries besides its content. */
function envelope(body: Record<string, unknown>): Omit<InboundMessage, "text"> {
  return {
    to: body.to,
    // Sinch writes MSISDNs with or without '+' depending on the account: all-digit international numbers get it.
    from: typeof body.from === "string" ? internationalSender(body.from) : body.from,
    // When Sinch received it; the handset's `sent_at` only when the operator gave no better.
    receivedAt: parseIsoTimestamp(body.received_at) ?? parseIsoTimestamp(body.sent_at),
    sourceKey: body.id,
  };
}

/** An MMS's text: its message, else its subject; "" for media alone; absent when there is nothing at all. */
function mediaText(body: unknown): unknown {
  if (!isObject(body)) return typeof body === "string" ? body : undefined;
  if (typeof body.message === "string") return body.message;
  if (typeof body.subject === "string") return body.subject;
  return Array.isArray(body.media) && body.media.length > 0 ? "" : undefined;
}

/**
 * A mo_binary callback: `body` is base64, `udh` hex with its length byte first. Sinch gives no data coding, so the
 * payload is read as UCS-2 (UTF-16BE), the coding of text that arrives this way; a part of a concatenated SMS
 * keeps its bytes, joined with the other parts' before decoding (a character may straddle two parts).
 */
function binaryMessage(body: Record<string, unknown>): InboundMessage {
  const bad = (detail: string) => new AppError("bad_binary_encoding", detail);
  const bytes = typeof body.body === "string" ? decodeBase64(body.body) : null;
  if (!bytes) throw bad("The 'body' of a mo_binary callback must be base64.");
  const concat =
    body.udh === undefined || body.udh === null || body.udh === "" ? null : udhConcatenation(udhBytes(body.udh, bad));
  // A part's text is left to the joining; its bytes must still be whole code units.
  if (concat) return { ...envelope(body), text: "", part: { ...concat, ucs2: ucs2Part(bytes).ucs2 } };
  return { ...envelope(body), text: decodeUcs2(bytes), segments: 1 };
}

function udhBytes(udh: unknown, bad: (detail: string) => AppError): Uint8Array {
  const bytes = typeof udh === "string" ? decodeHex(udh) : null;
  if (!bytes || bytes.length === 0) throw bad("The 'udh' of a mo_binary callback must be hex.");
  return bytes;
}
