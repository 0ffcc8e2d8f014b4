import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { sameSecret } from "@/lib/security/secrets";
import { decodeHex } from "@/lib/text/bytes";
import type { Adapter, GatewayAuth } from "../adapter";
import { isObject } from "../fields";
import type { InboundMessage, MessagePart } from "../message";
import { formParams, jsonBody, type InboundRequest } from "../request";
import { internationalSender } from "../sender";
import { parseIsoTimestamp } from "../time";
import { udhConcatenation } from "../udh";
import { authenticateWithKey, badSignature, checkTimestamp, hmac, malformedSignature, withAnySecret } from "../verify";

export const VONAGE_SIGNATURE_METHODS = ["md5hash", "md5", "sha1", "sha256", "sha512"] as const;
export type VonageSignatureMethod = (typeof VONAGE_SIGNATURE_METHODS)[number];

// Hex digits of each method's digest: anything else in `sig` is malformed, not merely wrong.
const SIG_HEX_LENGTH: Record<VonageSignatureMethod, number> = {
  md5hash: 32,
  md5: 32,
  sha1: 40,
  sha256: 64,
  sha512: 128,
};

// How far `timestamp` may be from our clock (docs/ingest-sources.md §2a: "reject stale timestamp, e.g. > 5 min").
export const VONAGE_SMS_WINDOW_SECONDS = 5 * 60;

// Vonage resends an unacknowledged message for 24 hours: wait that long for a long SMS's missing parts.
export const VONAGE_PARTS_WAIT_MS = 24 * 60 * 60 * 1000;

const config = z.strictObject({
  // Set when the account signs its webhooks (Dashboard → Settings → signature method); unset = the API key in the URL.
  signatureMethod: z.enum(VONAGE_SIGNATURE_METHODS).optional(),
  // Widen only if Vonage's retries after a long outage are refused as stale (401 stale_request in its logs).
  timestampWindowSeconds: z.number().int().min(60).max(86_400).optional(),
});

/**
 * Vonage SMS API inbound webhook (the legacy "SMS API" setting): one request per SMS part, as a GET query, a
 * POST form or POST-JSON (the dashboard's choice), with string values. Authenticated by the `sig` parameter
 * when the account signs its webhooks (the gateway's config names the algorithm), else by the gateway's API key
 * in the URL. Parts of a long SMS (`concat-ref`/`concat-total`/`concat-part`, or a concatenation UDH on a
 * binary message) are stored one by one, each under its own `messageId`, and joined when all are in.
 * Vonage wants 200 or 204; it retries 429/5xx (not other 4xx) for 24 hours.
 */
export const vonageSms: Adapter = {
  kind: "vonage-sms",
  methods: ["GET", "POST"],
  mediaTypes: ["application/x-www-form-urlencoded", "application/json"],
  configSchema: config,
  partsWaitMs: VONAGE_PARTS_WAIT_MS,

  authenticate(request, gateway) {
    const { signatureMethod, timestampWindowSeconds } = readConfig(gateway);
    if (!signatureMethod) {
      authenticateWithKey(request, gateway, { query: true });
      return;
    }
    const params = vonageParams(request);
    // Vonage checks a new webhook URL with a bare request: nothing to store, so nothing to prove.
    if (isEmpty(params)) return;
    verifyVonageSignature(
      params,
      gateway,
      signatureMethod,
      request.now,
      timestampWindowSeconds ?? VONAGE_SMS_WINDOW_SECONDS,
    );
  },

  parse(request) {
    const params = vonageParams(request);
    if (isEmpty(params)) return { ignored: "An empty request (Vonage checking the webhook URL)." };
    if (!params.has("text") && !params.has("data") && !params.has("type") && params.has("status")) {
      return { ignored: `A delivery receipt (status '${params.get("status")!.slice(0, 20)}'), not an inbound SMS.` };
    }
    return { messages: [toInbound(params)] };
  },

  respond() {
    return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
  },

  setup: {
    title: "Vonage SMS API",
    summary:
      "Vonage's SMS API calls the webhook once per SMS part, as GET, POST or POST-JSON. Unsigned accounts authenticate with the gateway's API key in the URL; accounts with signed webhooks are checked by `sig` with the configured algorithm and a `timestamp` within 5 minutes. Parts of a long SMS are joined here in whatever order they come; the answer is 204.",
    secret: null,
    urlSuffix: "?key=<API key>",
    steps: [
      "In the Vonage API Dashboard open API Settings → SMS settings and select “SMS API” (not “Messages API”): with Messages API selected, inbound SMS go to an application instead — use the `vonage-messages` kind for that.",
      "Set the inbound SMS webhook URL to {webhookUrl} (replace `<API key>` with the key printed when the gateway was created) and choose any HTTP method — GET, POST or POST-JSON all work. Save. A per-number URL (Numbers → Your numbers → edit) works too.",
      "Vonage cannot send headers, so the key travels in the URL: keep PUBLIC_URL on https.",
      "If Vonage signs your account's webhooks (the Dashboard's Settings page shows the signature secret and the signature method — MD5 hash, MD5/SHA-1/SHA-256/SHA-512 HMAC; signing of inbound SMS may have to be switched on by Vonage support): create the gateway with that secret and method instead, as in the first snippet below, and leave `?key=…` off the URL. The signature then authenticates each request, and a `timestamp` more than 5 minutes from our clock is refused.",
      "Register the number with `number add` in E.164 form (`+447700900000`): Vonage writes it without `+`, which we accept; senders get their `+` back too.",
      "Long SMS arrive as one webhook per part; each part is stored at once, and the message appears when all parts are in — or after 24 hours (Vonage's retry period) with what arrived, marked incomplete.",
    ],
    snippets: [
      {
        caption:
          "Signed webhooks: create the gateway with the signature secret and method (md5hash, md5, sha1, sha256 or sha512)",
        language: "sh",
        code: `npm run admin -- gateway add {gatewayId} --kind vonage-sms \\
  --secret '<signature secret>' --config '{"signatureMethod":"sha256"}'`,
      },
      {
        caption: "Try it as Vonage would (unsigned GET); expect HTTP 204",
        language: "sh",
        code: `curl -i "{webhookUrl}&msisdn=447700900001&to=447700900000&messageId=0A0000000123ABCD1&text=Your+code+is+123456&type=text&keyword=YOUR&message-timestamp=2026-11-22+10%3A00%3A00"`,
      },
    ],
  },
};

function readConfig(gateway: GatewayAuth): z.output<typeof config> {
  // Checked when the gateway was created; a config edited into nonsense since falls back to the API key.
  return config.safeParse(gateway.config).data ?? {};
}

/** The webhook's parameters: the query of a GET, the form or JSON object of a POST (all values strings). */
export function vonageParams(request: InboundRequest): Map<string, string> {
  if (request.method === "GET" || request.mediaType !== "application/json") return formParams(request);
  const body = jsonBody(request);
  if (!isObject(body)) throw new AppError("malformed_body", "Expected a JSON object of Vonage's inbound SMS fields.");
  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === "string") params.set(name, value);
    else if (typeof value === "number" || typeof value === "boolean") params.set(name, String(value));
    else if (value !== null) {
      throw new AppError(
        "malformed_body",
        `'${name.slice(0, 40)}' is not a plain value: Vonage sends flat string fields.`,
      );
    }
  }
  return params;
}

/** No message fields at all (our own `key` aside). */
function isEmpty(params: Map<string, string>): boolean {
  return [...params.keys()].every((name) => name === "key");
}

/**
 * Vonage's signed-webhook check (vonage-node-sdk `SMS#verifySignature`): every parameter but `sig`, sorted by
 * name, as `&name=value` with `&` and `=` inside values replaced by `_`; `md5hash` = MD5(that + secret),
 * the others HMAC-<alg>(secret, that); hex, compared case-insensitively. Then `timestamp` within the window.
 */
export function verifyVonageSignature(
  params: Map<string, string>,
  gateway: GatewayAuth,
  method: VonageSignatureMethod,
  now: Date,
  windowSeconds: number,
): void {
  const sig = params.get("sig")?.trim();
  if (!sig) {
    throw new AppError(
      "missing_credentials",
      "The 'sig' parameter is missing: this gateway expects Vonage's signed webhooks.",
    );
  }
  if (!/^[0-9a-f]+$/i.test(sig) || sig.length !== SIG_HEX_LENGTH[method]) {
    throw malformedSignature(`The 'sig' parameter is not a ${method} digest (${SIG_HEX_LENGTH[method]} hex digits).`);
  }
  const timestamp = params.get("timestamp");
  if (timestamp === undefined) throw malformedSignature("A signed Vonage webhook must carry 'timestamp'.");
  const query = signedQuery(params);
  const ok = withAnySecret(gateway, (secret) => sameSecret(vonageSignature(query, secret, method), sig.toLowerCase()));
  if (!ok) throw badSignature("Vonage 'sig' parameter");
  checkTimestamp(timestamp, now, windowSeconds);
}

/** `&name=value…` over every parameter but `sig`, in JavaScript's default sort order (as Vonage's SDK). */
export function signedQuery(params: Map<string, string>): string {
  return [...params.keys()]
    .filter((name) => name !== "sig")
    .sort()
    .map((name) => `&${name}=${params.get(name)!.replace(/[&=]/g, "_")}`)
    .join("");
}

/** The lower-case hex signature of a signed query. */
export function vonageSignature(query: string, secret: string, method: VonageSignatureMethod): string {
  if (method === "md5hash")
    return createHash("md5")
      .update(query + secret)
      .digest("hex");
  return hmac(method, secret, query).toString("hex");
}

function toInbound(params: Map<string, string>): InboundMessage {
  const msisdn = params.get("msisdn");
  const type = params.get("type") ?? "text";
  let text = params.get("text");
  let part = partFromParams(params);

  if (type === "binary") {
    const data = params.get("data");
    const udh = params.get("udh");
    const udhPart = udh ? udhConcatenation(hexBytes(udh, "udh")) : null;
    part ??= udhPart;
    text = data === undefined ? undefined : binaryText(hexBytes(data, "data"));
  } else if (type === "unicode" && part && text !== undefined) {
    // A UCS-2 part may end in half of a surrogate pair (an emoji split across two SMS): carry the part's
    // UTF-16 code units so the pair is rejoined before decoding; the text is only what shows if a part is lost.
    part = { ...part, ucs2: utf16be(text) };
    text = text.toWellFormed();
  }

  return {
    to: params.get("to"),
    from: msisdn === undefined ? undefined : internationalSender(msisdn),
    text,
    receivedAt: parseIsoTimestamp(params.get("message-timestamp")),
    sourceKey: params.get("messageId"),
    segments: part ? null : 1,
    ...(part ? { part } : {}),
  };
}

/** `concat`, `concat-ref`, `concat-total`, `concat-part` → a part; absent → null; 422 when not numbers. */
function partFromParams(params: Map<string, string>): MessagePart | null {
  const ref = params.get("concat-ref");
  const total = params.get("concat-total");
  const part = params.get("concat-part");
  if (params.get("concat") !== "true" && ref === undefined && total === undefined && part === undefined) return null;
  if (!ref || !/^\d{1,3}$/.test(total ?? "") || !/^\d{1,3}$/.test(part ?? "")) {
    throw new AppError(
      "bad_concat_metadata",
      "A concatenated part needs 'concat-ref' and numeric 'concat-total' and 'concat-part'.",
    );
  }
  // "Part 1 of 1" is a whole message.
  if (total === "1" && part === "1") return null;
  return { ref, total: Number(total), part: Number(part) };
}

/** A hex field ('data', 'udh') as bytes; not hex: 422 bad_binary_encoding. */
function hexBytes(value: string, name: string): Uint8Array {
  const bytes = decodeHex(value);
  if (!bytes) throw badBinary(`'${name}' is not hex-encoded bytes.`);
  return bytes;
}

const badBinary = (detail: string) => new AppError("bad_binary_encoding", detail);

// C0 controls other than tab, newline and carriage return: not text.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * A binary (8-bit) SMS has no character set: text some phones send as 8-bit UTF-8 is shown as such; anything
 * else (an app's data SMS, a WAP push) is shown as hex rather than as garbled characters, so nothing is lost.
 */
export function binaryText(bytes: Uint8Array): string {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    if (!CONTROL.test(text)) return text;
  } catch {
    // not UTF-8: shown as hex below
  }
  return `[binary SMS, ${bytes.length} bytes] ${Buffer.from(bytes).toString("hex").toUpperCase()}`;
}

/** A string's UTF-16 code units, big-endian, lone surrogates included. */
export function utf16be(text: string): Uint8Array {
  const bytes = Buffer.alloc(text.length * 2);
  for (let i = 0; i < text.length; i++) bytes.writeUInt16BE(text.charCodeAt(i), i * 2);
  return bytes;
}
