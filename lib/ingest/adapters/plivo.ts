import { z } from "zod";
import { AppError } from "@/lib/errors";
import { sameSecret } from "@/lib/security/secrets";
import type { Adapter, GatewayAuth } from "../adapter";
import { positiveInteger } from "../fields";
import type { InboundRequest } from "../request";
import { formParams, parseForm } from "../request";
import { internationalSender } from "../sender";
import { badSignature, hmac, malformedSignature, withAnySecret } from "../verify";

const configSchema = z.strictObject({
  // V2 signs only URL + nonce, so a captured V2 header vouches for any body: refuse it once Plivo sends V3.
  requireV3: z.boolean().optional(),
});

/**
 * Plivo incoming message (docs/ingest-sources.md §4): a form POST (or GET) per message, already joined (`Units`
 * parts). Authenticated by X-Plivo-Signature-V3 (covers URL and parameters) or, when absent, by the older
 * X-Plivo-Signature-V2 (URL + nonce only); the "Ma" variants carry the main account's token's signature.
 */
export const plivo: Adapter = {
  kind: "plivo",
  methods: ["POST", "GET"],
  mediaTypes: ["application/x-www-form-urlencoded"],
  configSchema,

  authenticate(request, gateway) {
    verifyPlivoSignature(request, gateway);
  },

  parse(request) {
    const p = formParams(request);
    // SMS carry `Text`; MMS and WhatsApp carry `Body`.
    const text = p.get("Text") ?? p.get("Body");
    const status = p.get("Status");
    if (text === undefined && status !== undefined) {
      return { ignored: `a '${status.slice(0, 40)}' delivery report, not an inbound message` };
    }
    const from = p.get("From");
    return {
      messages: [
        {
          to: p.get("To"),
          // Plivo writes international numbers without '+' ("14155550199").
          from: from === undefined ? undefined : internationalSender(from),
          text,
          receivedAt: null, // Plivo's webhook carries no time of its own
          sourceKey: p.get("MessageUUID"),
          segments: positiveInteger(p.get("Units")),
        },
      ],
    };
  },

  respond() {
    // An empty Plivo XML document: no reply message.
    return new Response("<Response></Response>", {
      status: 200,
      headers: { "Content-Type": "application/xml", "Cache-Control": "no-store" },
    });
  },

  setup: {
    title: "Plivo",
    summary:
      "Plivo sends each incoming SMS (long ones already joined) to the message URL of your number's Plivo application, as a form. " +
      "We check X-Plivo-Signature-V3 — an HMAC-SHA256 with your Auth Token over the URL, every parameter and a nonce — " +
      "or, where only the older X-Plivo-Signature-V2 comes, that one; the answer is an empty Plivo XML `<Response>` (no reply SMS).",
    secret: "your Plivo Auth Token (Plivo console → Overview, next to the Auth ID)",
    steps: [
      "Keep PUBLIC_URL set to the exact https origin Plivo calls ({publicUrl}): the signature covers scheme, host, port and path, so a request signed for another host is refused with 403.",
      "In the Plivo console open Messaging → Applications → XML and add a new application (or edit yours): paste {webhookUrl} into Message URL, set Message Method to POST (GET works too) and create it.",
      "Open Phone Numbers → Your Numbers, pick your number, set Application Type to XML Application, choose that application and update the number.",
      "Register the number here with `number add` in E.164 form (`+1…`): Plivo writes numbers without `+`, which we accept; senders get their `+` back too (short codes and names stay as sent).",
      "Send an SMS to the number: it appears on its inbox page. Plivo retries a failed delivery after 1, 2 and 4 minutes; every retry is stored once.",
      "For a subaccount's number, the subaccount's token and the main account's both work (Plivo signs with each). Rotating the token: give the new one with `gateway rotate {gatewayId} --secret <new token>` first; the previous one keeps working here until the next rotation.",
      "V2 signatures do not cover the message: to refuse requests that carry only V2, create the gateway with `requireV3`, as in the snippet below.",
    ],
    snippets: [
      {
        caption: "Accept only V3 signatures",
        language: "sh",
        code: `npm run admin -- gateway add {gatewayId} --kind plivo \\
  --secret '<your Plivo Auth Token>' --config '{"requireV3":true}'`,
      },
    ],
  },
};

const V3_HEADERS = ["x-plivo-signature-v3", "x-plivo-signature-ma-v3"];
const V2_HEADERS = ["x-plivo-signature-v2", "x-plivo-signature-ma-v2"];

/**
 * V3 when the request carries it (it covers the parameters), else V2 unless the gateway requires V3. Each header
 * may hold several comma-separated signatures (one per active token): any one matching any of our secrets is
 * enough. 401 no signature, 400 a signature without its nonce, 403 no match.
 */
export function verifyPlivoSignature(request: InboundRequest, gateway: GatewayAuth): void {
  const v3 = signaturesIn(request, V3_HEADERS);
  if (v3.length > 0) {
    const nonce = nonceOf(request, "x-plivo-signature-v3-nonce");
    const data = `${v3BaseString(request)}.${nonce}`;
    if (!matchesAny(gateway, data, v3)) throw badSignature("X-Plivo-Signature-V3");
    return;
  }
  if (gateway.config.requireV3 === true) {
    throw new AppError("missing_credentials", "The X-Plivo-Signature-V3 header is missing (this gateway requires V3).");
  }
  const v2 = signaturesIn(request, V2_HEADERS);
  if (v2.length === 0) {
    throw new AppError("missing_credentials", "The X-Plivo-Signature-V3 (or V2) header is missing.");
  }
  const nonce = nonceOf(request, "x-plivo-signature-v2-nonce");
  if (!matchesAny(gateway, v2BaseString(request) + nonce, v2)) throw badSignature("X-Plivo-Signature-V2");
}

/** V2 signs scheme://host[:port]/path (no query) followed by the nonce. */
export function v2BaseString(request: Pick<InboundRequest, "url">): string {
  return `${request.url.origin}${request.url.pathname}`;
}

/**
 * V3's string before ".nonce", exactly as plivo-node's validateV3Signature builds it: the URL without query,
 * then "?" + the query sorted as "k=v&…" (decoded values), then for a POST with parameters "." (after a query)
 * and Σ sorted(name + value).
 */
export function v3BaseString(request: InboundRequest): string {
  const base = v2BaseString(request);
  const query = parseForm(request.rawQuery);
  const sortedQuery = [...query.keys()]
    .sort()
    .map((name) => `${name}=${query.get(name)!}`)
    .join("&");
  const params = request.method === "POST" ? formParams(request) : new Map<string, string>();
  if (params.size === 0) return sortedQuery ? `${base}?${sortedQuery}` : base;
  const nameValues = [...params.keys()]
    .sort()
    .map((name) => name + params.get(name)!)
    .join("");
  return `${base}?${sortedQuery ? `${sortedQuery}.` : ""}${nameValues}`;
}

function signaturesIn(request: InboundRequest, names: string[]): string[] {
  return names.flatMap((name) =>
    (request.headers.get(name) ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

function nonceOf(request: InboundRequest, name: string): string {
  const nonce = request.headers.get(name)?.trim();
  if (!nonce) throw malformedSignature(`A Plivo signature came without its nonce ('${name}').`);
  return nonce;
}

function matchesAny(gateway: GatewayAuth, data: string, signatures: string[]): boolean {
  return withAnySecret(gateway, (secret) => {
    const expected = hmac("sha256", secret, data).toString("base64");
    return signatures.map((s) => sameSecret(s, expected)).includes(true);
  });
}
