import { AppError } from "@/lib/errors";
import { sameSecret } from "@/lib/security/secrets";
import type { Adapter, GatewayAuth } from "../adapter";
import { positiveInteger } from "../fields";
import type { InboundRequest } from "../request";
import { formParams, requireHeader } from "../request";
import { badSignature, hmac, malformedSignature, sha256, withAnySecret } from "../verify";

// What Twilio reads as "no reply": an empty TwiML document (docs/ingest-sources.md §1).
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

// A base64 HMAC-SHA1: 20 bytes, 28 characters with one '=' of padding.
const SIGNATURE_FORMAT = /^[A-Za-z0-9+/]{27}=$/;

/**
 * Twilio Programmable Messaging, "A message comes in" (docs/ingest-sources.md §1): a form POST (or GET) per message,
 * already joined, signed with X-Twilio-Signature = base64(HMAC-SHA1(Auth Token, URL + sorted name+value)).
 */
export const twilio: Adapter = {
  kind: "twilio",
  methods: ["POST", "GET"],
  mediaTypes: ["application/x-www-form-urlencoded"],

  authenticate(request, gateway) {
    verifyTwilioSignature(request, gateway);
  },

  parse(request) {
    if (request.method === "POST" && request.mediaType !== "application/x-www-form-urlencoded") {
      // JSON-bodied Twilio webhooks verify (see verifyTwilioSignature) but are not the inbound SMS webhook.
      throw new AppError(
        "unsupported_media_type",
        "The Twilio inbound SMS webhook is a form (application/x-www-form-urlencoded).",
      );
    }
    const p = formParams(request);
    const body = p.get("Body");
    const status = p.get("SmsStatus") ?? p.get("MessageStatus");
    if (body === undefined && status !== undefined && status !== "received") {
      return { ignored: `a '${status.slice(0, 40)}' status callback, not an inbound message` };
    }
    return {
      messages: [
        {
          // WhatsApp (and other channels) write our number as "whatsapp:+1…": the number is what follows.
          to: p.get("To")?.replace(/^[a-z][a-z0-9-]*:/i, ""),
          from: p.get("From"), // "+1…", "whatsapp:+…", a short code or a name: kept as sent
          text: body,
          receivedAt: null, // Twilio's webhook carries no time of its own
          sourceKey: p.get("MessageSid") ?? p.get("SmsMessageSid") ?? p.get("SmsSid"),
          segments: positiveInteger(p.get("NumSegments")),
        },
      ],
    };
  },

  respond() {
    return new Response(EMPTY_TWIML, {
      status: 200,
      headers: { "Content-Type": "text/xml", "Cache-Control": "no-store" },
    });
  },

  setup: {
    title: "Twilio Programmable Messaging",
    summary:
      "Twilio sends each incoming SMS (long ones already joined) to the number's “A message comes in” webhook as a form. " +
      "We check X-Twilio-Signature — an HMAC-SHA1 with your Auth Token over the exact URL and every parameter — " +
      "and answer with an empty TwiML `<Response>`, so Twilio sends no reply SMS.",
    secret: "your Twilio Auth Token (Twilio Console → Account Dashboard → Account Info)",
    steps: [
      "Keep PUBLIC_URL set to the exact https origin Twilio calls ({publicUrl}): the signature covers scheme, host, port, path and query, so a request signed for another host, or for http behind a TLS proxy, is refused with 403.",
      "In the Twilio Console open Phone Numbers → Manage → Active numbers and pick your number. Under Messaging Configuration → “A message comes in” choose Webhook, paste {webhookUrl} exactly as shown, choose HTTP POST (HTTP GET works too) and save. If the number sends through a Messaging Service, set the same URL in the service's Integration → “Send a webhook” instead.",
      "Register the number here with `number add` in E.164 form (`+1…`), as Twilio names it in `To`.",
      "Send an SMS to the number: it appears on its inbox page. Long messages arrive joined, with their segment count; WhatsApp senders keep their `whatsapp:+…` form.",
      "Rotating the Auth Token: create the secondary token in the Console, give it here with `gateway rotate {gatewayId} --secret <secondary token>`, then promote it in the Console. The previous token keeps working here until the next rotation.",
      "Twilio does not retry a failed webhook by default: if you run a second Numbox instance, set it as the number's Fallback URL (“Primary handler fails”). A refused request shows as error 11200 in Twilio's Debugger; an authenticated one we could not store (say, for a number not registered here) is kept: `quarantine list`.",
    ],
    snippets: [
      {
        caption: "Or point the number at Numbox through Twilio's REST API (PN… is the number's SID)",
        language: "sh",
        code: `curl -fsS -X POST "https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/IncomingPhoneNumbers/PNxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.json" \\
  -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN" \\
  --data-urlencode "SmsUrl={webhookUrl}" --data-urlencode "SmsMethod=POST"`,
      },
    ],
  },
};

/**
 * Checks X-Twilio-Signature the way twilio-node's validateRequest does, against the configured public URL with
 * the raw query as sent: form POSTs sign URL + Σ sorted(name + value); GETs sign the URL alone; JSON-bodied
 * webhooks carry `bodySHA256` in the URL, sign the URL alone, and the body must hash to it. The URL is tried with
 * and without its port (Twilio signs either form). 401 missing header, 400 malformed, 403 mismatch.
 */
export function verifyTwilioSignature(request: InboundRequest, gateway: GatewayAuth): void {
  const signature = requireHeader(request, "x-twilio-signature");
  if (!SIGNATURE_FORMAT.test(signature)) {
    throw malformedSignature("X-Twilio-Signature is not a base64 HMAC-SHA1 (28 characters).");
  }
  const bodyHash = request.url.searchParams.get("bodySHA256");
  const params = bodyHash === null && request.method === "POST" ? sortedNameValues(formParams(request)) : "";
  const signed = urlVariants(request).map((url) => url + params);
  const ok = withAnySecret(gateway, (secret) =>
    signed.map((data) => sameSecret(hmac("sha1", secret, data).toString("base64"), signature)).includes(true),
  );
  if (!ok) throw badSignature("X-Twilio-Signature");
  if (bodyHash !== null && !sameSecret(sha256(request.body).toString("hex"), bodyHash.toLowerCase())) {
    throw new AppError("payload_hash_mismatch", "The body does not match the bodySHA256 in the signed URL.");
  }
}

/** name+value of every parameter, names in plain code-unit order, no separators (what Twilio signs). */
export function sortedNameValues(params: Map<string, string>): string {
  return [...params.keys()]
    .sort()
    .map((name) => name + params.get(name)!)
    .join("");
}

/** The public URL with the raw query, once without and once with an explicit port (twilio-node tries both). */
function urlVariants(request: InboundRequest): string[] {
  const { protocol, hostname, port, pathname } = request.url;
  const query = request.rawQuery ? `?${request.rawQuery}` : "";
  const explicitPort = port || (protocol === "https:" ? "443" : "80");
  return [`${protocol}//${hostname}${pathname}${query}`, `${protocol}//${hostname}:${explicitPort}${pathname}${query}`];
}
