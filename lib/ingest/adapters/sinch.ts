import { createHmac } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { Adapter, GatewayAuth } from "../adapter";
import type { InboundMessage } from "../message";
import type { InboundRequest } from "../request";
import { jsonBody } from "../request";
import { internationalSender } from "../sender";
import { parseIsoTimestamp } from "../time";
import { authenticateWithKey, badSignature, checkTimestamp, malformedSignature, okJson, safeEqual, withAnySecret } from "../verify";

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
 * Sinch SMS REST API inbound callbacks (ingest-formats.md §5): one JSON object per message — `mo_text`,
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
    if (!isObject(body)) throw new AppError(400, "malformed_body", "A Sinch callback is a JSON object.");
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
        return { ignored: type ? `a '${type.slice(0, 40)}' callback, not an inbound message` : "not an inbound message callback" };
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
        caption: "Try it as Sinch would (put one of your numbers in \"to\"); expect HTTP 200 {\"ok\":true}",
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
    throw malformedSignature(`Sinch signs with ${SIGNATURE}, ${NONCE} and ${TIMESTAMP} together; one of them is missing.`);
  }
  const algorithmName = request.headers.get(ALGORITHM)?.trim() || "HmacSHA256";
  const algorithm = ALGORITHMS[algorithmName.toLowerCase()];
  if (!algorithm) throw malformedSignature(`The signature algorithm '${algorithmName.slice(0, 20)}' is not one Sinch uses.`);
  checkTimestamp(timestamp, request.now, SIGNATURE_WINDOW_SECONDS);

  const signed = Buffer.concat([request.body, Buffer.from(`.${nonce}.${timestamp}`, "utf8")]);
  const ok = withAnySecret(gateway, (secret) =>
    safeEqual(createHmac(algorithm, secret).update(signed).digest("base64"), signature),
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

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * A mo_binary callback: `body` is base64, `udh` hex with its length byte first. Sinch gives no data coding, so the
 * payload is read as UCS-2 (UTF-16BE), the coding of text that arrives this way; a part of a concatenated SMS
 * keeps its bytes, joined with the other parts' before decoding (a character may straddle two parts).
 */
function binaryMessage(body: Record<string, unknown>): InboundMessage {
  const bad = (detail: string) => new AppError(422, "bad_binary_encoding", detail);
  if (typeof body.body !== "string" || !BASE64.test(body.body)) throw bad("The 'body' of a mo_binary callback must be base64.");
  const bytes = new Uint8Array(Buffer.from(body.body, "base64"));
  const concat = body.udh === undefined || body.udh === null || body.udh === "" ? null : concatenation(body.udh, bad);
  if (bytes.length % 2 !== 0) {
    throw new AppError(422, "bad_ucs2", `The binary payload has an odd number of bytes (${bytes.length}): it is not UCS-2.`);
  }
  if (concat) return { ...envelope(body), text: "", part: { ...concat, ucs2: bytes } };
  let text: string;
  try {
    text = new TextDecoder("utf-16be", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError(422, "bad_ucs2", "The binary payload is not valid UCS-2 (an unpaired surrogate).");
  }
  return { ...envelope(body), text, segments: 1 };
}

/** The concatenation element of a UDH (IE 0x00: 8-bit reference, IE 0x08: 16-bit), or null when it has none. */
export function concatenation(
  udh: unknown,
  bad: (detail: string) => AppError,
): { ref: string; part: number; total: number } | null {
  if (typeof udh !== "string" || !HEX.test(udh)) throw bad("The 'udh' of a mo_binary callback must be hex.");
  const b = Buffer.from(udh, "hex");
  if (b[0] !== b.length - 1) throw bad(`The UDH length byte says ${b[0]} bytes, but ${b.length - 1} follow.`);
  let found: { ref: string; part: number; total: number } | null = null;
  for (let i = 1; i < b.length; ) {
    const id = b[i]!;
    const length = b[i + 1];
    if (length === undefined || i + 2 + length > b.length) throw bad("A UDH information element runs past the header's end.");
    const data = b.subarray(i + 2, i + 2 + length);
    if (id === 0x00 || id === 0x08) {
      const refLength = id === 0x00 ? 1 : 2;
      if (length !== refLength + 2) throw bad(`The concatenation element 0x0${id} must be ${refLength + 2} bytes long, not ${length}.`);
      const ref = refLength === 1 ? data[0]! : data.readUInt16BE(0);
      found = { ref: String(ref), total: data[refLength]!, part: data[refLength + 1]! };
    }
    i += 2 + length;
  }
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
