import { createHash } from "node:crypto";
import type { Adapter } from "../adapter";
import type { InboundMessage } from "../message";
import type { InboundRequest } from "../request";
import { internationalSender } from "../sender";
import { parseEpoch, parseIsoTimestamp } from "../time";
import { decodeUcs2, ucs2Part } from "../ucs2";
import { authenticateWithKey } from "../verify";
import {
  concatenationOf,
  decodeCharset,
  decodeWindows1252,
  intField,
  isKnownCharset,
  isUcs2Charset,
  parseFormBytes,
  percentDecode,
  recipientField,
  textField,
  udhFrom,
} from "./smsc-common";

// Kannel's %c / X-Kannel-Coding (gw/sms.h): 0 = 7-bit (passed on as text in the charset %C), 1 = 8-bit, 2 = UCS-2.
const DC_8BIT = 1;
const DC_UCS2 = 2;

/**
 * Kannel's smsbox, through an `sms-service` group: `get-url` with escape codes in the query (the recommended
 * template below), or `post-url` with the text as the body (in its charset, `application/octet-stream` for 8-bit)
 * and the rest in X-Kannel-* headers — escape codes in the post-url's own query (id=%I) are read as well.
 * Kannel cannot sign, so the gateway's API key rides in the URL (`?key=`, over HTTPS). Idempotency by %I.
 * The answer is an empty 200: smsbox turns any body into a reply SMS to the sender.
 */
export const kannel: Adapter = {
  kind: "kannel",
  methods: ["GET", "POST"],
  mediaTypes: ["text/plain", "application/octet-stream"],

  authenticate(request, gateway) {
    authenticateWithKey(request, gateway, { query: true });
  },

  parse(request) {
    const query = parseFormBytes(request.rawQuery);
    const post = request.method !== "GET";
    // In a post-url the URL's own escape codes win over the X-Kannel-* headers smsbox adds.
    const field = (name: string, header?: string): string | undefined =>
      textField(query, name) ?? (post && header ? headerValue(request, header) : undefined);

    // Delivery reports (dlr-url pointed here, with dlr=%d) are not inbound SMS.
    if (field("dlr")) return { ignored: "a Kannel delivery report, not an inbound SMS" };

    const coding =
      intField(field("coding", "x-kannel-coding")) ??
      (post && request.mediaType === "application/octet-stream" ? DC_8BIT : null);
    const charset = (post ? request.charset : null) ?? field("charset") ?? null;
    const bytes = post ? request.body : query.get("text");
    const udhField = query.get("udh") ?? (post ? headerBytes(request, "x-kannel-udh") : undefined);
    const udh = udhFrom(udhField);
    const concat = udh ? concatenationOf(udh) : null;

    let text: string | undefined;
    let part: InboundMessage["part"];
    if (bytes !== undefined) {
      // A charset we know decides (UTF-16BE for UCS-2 in Kannel ≥ 1.4); without one, the coding does.
      const ucs2 = charset && isKnownCharset(charset) ? isUcs2Charset(charset) : coding === DC_UCS2;
      if (ucs2 && concat) {
        const p = ucs2Part(bytes);
        text = p.text;
        part = { ...concat, ucs2: p.ucs2 };
      } else {
        text = ucs2 ? decodeUcs2(bytes) : decodeText(bytes, coding, charset);
        if (concat) part = concat;
      }
    }

    const from = field("from", "x-kannel-from");
    const to = field("to", "x-kannel-to");
    const time = field("ts", "x-kannel-time");
    const message: InboundMessage = {
      to: recipientField(to),
      from: from === undefined ? undefined : internationalSender(from),
      text,
      receivedAt: kannelTime(time),
      sourceKey: field("id") || fallbackKey(from, to, time, udh, bytes),
      part,
    };
    return { messages: [message] };
  },

  // Empty, so that smsbox has nothing to send back as a reply SMS (with `max-messages = 0` it would not anyway).
  respond() {
    return new Response(null, {
      status: 200,
      headers: { "Content-Type": "text/plain", "Content-Length": "0", "Cache-Control": "no-store" },
    });
  },

  setup: {
    title: "Kannel (smsbox)",
    summary:
      "Kannel's smsbox calls a URL for every inbound SMS through an `sms-service` group. Kannel cannot sign requests, so the gateway's API key goes in that URL (serve it over HTTPS). We decode the text by its coding and charset (UCS-2 included), join the parts of a long SMS that bearerbox did not combine, store each message once by Kannel's message id (`%I`), and answer 200 with an empty body so that no reply SMS goes back to the sender.",
    secret: null,
    urlSuffix: "?key=<API key>",
    steps: [
      "Create the gateway and register the number(s) it receives on, in international form (`+998…`). Replace `<API key>` in the configuration below with the key printed when the gateway was created.",
      "For a GSM modem (`group = smsc` with `smsc = at`), set `my-number = +…` to the SIM's number so that `%P` names it. With one number on the gateway you may leave it out: a `to` that is no phone number is ignored and the gateway's only number receives the message.",
      "Add the `sms-service` group below to kannel.conf. `keyword = default` with `catch-all = true` takes every message; `max-messages = 0` (and `omit-empty = true`) keep Kannel from texting our answer back to the sender.",
      "`text=%b` passes the message's exact bytes (decoded here with `coding=%c` and `charset=%C`, UCS-2 included); `text=%a` also works but squeezes whitespace and garbles UCS-2 text. Keep `id=%I`: it is what makes a retried call count once.",
      "In the `smsbox` group set `http-request-retry` and `http-queue-delay`: by default Kannel never retries a failed call (and we answer 503 when we cannot store a message). Restart Kannel.",
      "Leave bearerbox's `sms-combine-concatenated-mo` at its default (`true`); parts that still arrive on their own (after `sms-combine-concatenated-mo-timeout`) carry their UDH in `udh=%u` and are joined here.",
      "Send an SMS to the number: it appears on its inbox page, and smsbox's log shows the call answered with status 200.",
      "Rather POST? Use the `post-url` group instead: the text travels as the body in its charset, the sender in `X-Kannel-From` (needs `send-sender = true`), the rest in `X-Kannel-*` headers; keep `id=%I` in its URL.",
    ],
    snippets: [
      {
        caption: "kannel.conf — every inbound SMS to Numbox, no reply SMS",
        language: "ini",
        code: `# Add to your existing smsbox group: retry while Numbox is unreachable (default: never).
group = smsbox
http-request-retry = 20
http-queue-delay = 30

group = sms-service
keyword = default
catch-all = true
max-messages = 0
omit-empty = true
get-url = "{webhookUrl}&id=%I&from=%p&to=%P&text=%b&coding=%c&charset=%C&udh=%u&ts=%T&smsc=%i"`,
      },
      {
        caption: "kannel.conf — the same with post-url (instead of the get-url service above)",
        language: "ini",
        code: `group = sms-service
keyword = default
catch-all = true
max-messages = 0
omit-empty = true
send-sender = true
post-url = "{webhookUrl}&id=%I&ts=%T"`,
      },
      {
        caption: "Try it: the call smsbox makes for “Your code is 51234” (answer: 200, empty body)",
        language: "sh",
        code: `curl -i "{webhookUrl}&id=7f6b2a50-0d3c-4c1e-9a57-5b8e2f1c0a11&from=447700900001&to=%2B998940373339&text=Your+code+is+51234&coding=0&charset=UTF-8&ts=1763805600"`,
      },
    ],
  },
};

/** Text that is not UCS-2: in its charset when it names one we know, else by coding (8-bit as Latin-1, else UTF-8). */
function decodeText(bytes: Uint8Array, coding: number | null, charset: string | null): string {
  const named = charset ? decodeCharset(bytes, charset) : null;
  if (named !== null) return named;
  if (coding === DC_8BIT) return decodeWindows1252(bytes);
  // Kannel passes 7-bit text as UTF-8 (%C "UTF-8"); releases before 1.4 used Windows-1252. Without a charset
  // that promises UTF-8, bytes that are not UTF-8 are read the old way rather than refused.
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

/** %T (unix seconds), or %t / X-Kannel-Time ("2026-11-22 10:00:00", UTC). Unreadable → null, never refused. */
function kannelTime(value: string | undefined): Date | null {
  const v = value?.trim();
  if (!v) return null;
  return /^\d+$/.test(v) ? parseEpoch(v) : parseIsoTimestamp(v);
}

/**
 * Without %I in the URL, a retry is recognised by what it carries: sender, recipient, Kannel's timestamp (which
 * stays the same across smsbox's retries), UDH and text bytes. Without a timestamp there is nothing stable to
 * tell a retry from a second identical SMS, so each call is stored.
 */
function fallbackKey(
  from: string | undefined,
  to: string | undefined,
  time: string | undefined,
  udh: Uint8Array | null,
  text: Uint8Array | undefined,
): string | undefined {
  if (!time?.trim()) return undefined;
  const hash = createHash("sha256");
  for (const piece of [from ?? "", to ?? "", time.trim(), Buffer.from(udh ?? []).toString("hex")])
    hash.update(`${piece}\u0000`);
  hash.update(text ?? new Uint8Array());
  return `sha256:${hash.digest("hex")}`;
}

function headerValue(request: InboundRequest, name: string): string | undefined {
  const value = request.headers.get(name)?.trim();
  return value ? value : undefined;
}

/** X-Kannel-UDH is the URL-encoded raw UDH ("%05%00%03%2A%02%01"). */
function headerBytes(request: InboundRequest, name: string): Uint8Array | undefined {
  const value = headerValue(request, name);
  return value === undefined ? undefined : percentDecode(value);
}
