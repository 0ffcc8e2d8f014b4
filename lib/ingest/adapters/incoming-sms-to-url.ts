import { AppError } from "@/lib/errors";
import type { Adapter } from "../adapter";
import { isObject } from "../fields";
import { jsonBody } from "../request";
import { parseEpoch, parseIsoTimestamp } from "../time";
import { authenticateWithKey, okWithCounts, sha256 } from "../verify";
import { simSlot, verifyHexHmac } from "./android-common";

/**
 * "Incoming SMS to URL forwarder" (bogkonstantin/android_income_sms_gateway_webhook): the phone POSTs a JSON
 * body rendered from the rule's template — by default {from, text, sentStamp, receivedStamp, sim}. The rule's
 * custom headers carry `Authorization: Bearer <API key>`; when the gateway has a secret, the rule must also
 * "Sign with HMAC-SHA-256" (`X-Signature` = hex HMAC-SHA256(secret, body)). The app sends no message id, but
 * renders the body once and retries it byte for byte, so the body's hash is the idempotency key.
 */
export const incomingSmsToUrl: Adapter = {
  kind: "sms-forwarder",
  methods: ["POST"],
  mediaTypes: ["application/json"],

  authenticate(request, gateway) {
    authenticateWithKey(request, gateway);
    // No timestamp is signed, so a replay is possible: the body-hash key stores it once anyway.
    if (gateway.secrets.length > 0) verifyHexHmac(request, gateway, "x-signature", request.body);
  },

  parse(request) {
    const body = jsonBody(request);
    if (!isObject(body)) {
      throw new AppError(
        "malformed_body",
        'Expected the forwarder\'s JSON template: {"from":…,"text":…,"sentStamp":…,"sim":…}.',
      );
    }
    return {
      messages: [
        {
          from: body.from,
          text: body.text,
          sim: simSlot(body.sim),
          // The SMS centre's time (when the SMS was sent); else when the phone received it.
          receivedAt: readTime(body.sentStamp) ?? readTime(body.receivedStamp),
          sourceKey: sha256(request.body).toString("hex"),
        },
      ],
    };
  },

  respond: okWithCounts,

  setup: {
    title: "Incoming SMS to URL forwarder (Android app by bogkonstantin)",
    summary:
      "A small Android app that POSTs every received SMS as JSON from a template. The gateway's API key goes in the rule's custom headers; with a gateway secret, the app's HMAC-SHA-256 signature (`X-Signature`) is required too. Retries of the same body are stored once.",
    secret: null,
    steps: [
      "Install “Incoming SMS to URL forwarder” on the phone (F-Droid `tech.bogomolov.incomingsmsgateway` or the GitHub releases) and grant it the SMS permission.",
      "Add a forwarding rule: sender `*` (every sender), Webhook URL {webhookUrl}.",
      "Keep the default JSON payload template (below): we read `from`, `text`, `sentStamp` (or `receivedStamp`, epoch milliseconds) and `sim`.",
      "Set the rule's custom headers to the JSON below, with the API key printed when the gateway was created.",
      "Optional, recommended: tick “Sign with HMAC-SHA-256” with a random secret, and create the gateway with that secret (`--secret`); requests without a valid `X-Signature` are then refused. Leave “Ignore SSL” off.",
      "On a dual-SIM phone register each number with `number add … --sim 1` / `--sim 2` (the app reports `sim1`/`sim2`); a phone with one number needs no `--sim`. Messages the app could not place (`undetected`) go to the gateway's only number.",
      "Press Test in the app, then send a real SMS: it appears on the number's inbox page. Failed deliveries are retried (10 times by default).",
    ],
    snippets: [
      {
        caption: "JSON payload template (the app's default)",
        language: "json",
        code: `{
  "from":"%from%",
  "text":"%text%",
  "sentStamp":%sentStamp%,
  "receivedStamp":%receivedStamp%,
  "sim":"%sim%"
}`,
      },
      {
        caption: "Custom headers",
        language: "json",
        code: `{"User-agent":"SMS Forwarder App","Authorization":"Bearer <API key>"}`,
      },
    ],
  },
};

/** Epoch milliseconds (a number or, from older templates, a quoted one), or a formatted date. */
function readTime(value: unknown): Date | null {
  return parseEpoch(value) ?? parseIsoTimestamp(value);
}
