import { AppError } from "@/lib/errors";
import { sameSecret } from "@/lib/security/secrets";
import type { Adapter, GatewayAuth } from "../adapter";
import { isObject } from "../fields";
import { formParams, jsonBody, type InboundRequest } from "../request";
import { parseIsoTimestamp } from "../time";
import {
  authenticateWithKey,
  badSignature,
  checkTimestamp,
  hmac,
  malformedSignature,
  okWithCounts,
  sha256,
  withAnySecret,
} from "../verify";
import { simSlot } from "./android-common";

// The sign covers only the timestamp, not the message: a narrow window is all it offers (docs/ingest-sources.md §9b).
export const SMSFORWARDER_WINDOW_SECONDS = 60 * 60;

/**
 * SmsForwarder (pppscn/SmsForwarder), Webhook channel: a GET query, a form POST, or — with a template that
 * starts with `{` — a JSON body by POST, PUT or PATCH. The recommended template names the raw SMS
 * (`org_content`), its sender, receive time, SIM slot and device. Authenticated by the gateway's API key
 * (bearer header, Basic auth password or `?key=`); when the gateway has a secret, also by the app's
 * DingTalk-style `sign` = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)) within ±1 h. The app sends no
 * message id: the key is a hash of (from, receive_time, org_content, device_mark), which its re-sends share.
 */
export const smsforwarder: Adapter = {
  kind: "smsforwarder",
  methods: ["POST", "GET", "PUT", "PATCH"],
  mediaTypes: ["application/json", "application/x-www-form-urlencoded"],

  authenticate(request, gateway) {
    authenticateWithKey(request, gateway, { query: true, basic: true });
    if (gateway.secrets.length > 0) verifySmsForwarderSign(readFields(request), request.now, gateway);
  },

  parse(request) {
    const fields = readFields(request);
    const text = fields.get("org_content") ?? fields.get("content") ?? fields.get("msg");
    const from = fields.get("from");
    const receiveTime = fields.get("receive_time");
    const deviceMark = fields.get("device_mark") ?? "";
    // receive_time comes from the SMS itself, so the app's re-sends share it; without it, the send timestamp
    // still makes the app's own HTTP retries one message (and two equal texts are never merged into one).
    const moment = receiveTime ?? fields.get("timestamp");
    const sourceKey =
      moment !== undefined && text !== undefined
        ? sha256(JSON.stringify([from ?? "", moment, text, deviceMark])).toString("hex")
        : null;
    return {
      messages: [
        {
          from,
          text,
          sim: simSlot(fields.get("card_slot")),
          // "yyyy-MM-dd HH:mm:ss", written in UTC by the app.
          receivedAt: parseIsoTimestamp(receiveTime),
          sourceKey,
        },
      ],
    };
  },

  respond: okWithCounts,

  setup: {
    title: "SmsForwarder (Android app by pppscn)",
    summary:
      "The SmsForwarder app's Webhook channel, with a JSON template that carries the raw SMS. The gateway's API key authenticates it (in the URL as `key=`, or in a header); with a gateway secret, the app's `sign` (within 1 hour) is required too.",
    secret: null,
    urlSuffix: "?key=<API key>",
    steps: [
      "Install SmsForwarder on the phone (GitHub releases of pppscn/SmsForwarder) and grant it the SMS permission.",
      "Under Senders add a Webhook sender: Request method POST, Webhook URL {webhookUrl} (replace `<API key>` with the key printed when the gateway was created).",
      "Set the Params template to the JSON below (the app sends a template that starts with `{` as a JSON body). `[org_content]` is the SMS exactly as received; `[content]` would be the rule's rendered template.",
      "Optional: set a Secret in the sender and create the gateway with the same secret (`--secret`); requests then need a valid `sign` less than an hour old. The sign does not cover the message, so keep the API key in the URL (or send it as an `Authorization: Bearer` header) either way.",
      'Optional: set “Response” to `"ok":true` so the app only counts our answer as success.',
      "Set a Device mark in the app's general settings when several phones post to one gateway. On a dual-SIM phone register each number with `number add … --sim 1` / `--sim 2` (the app reports `SIM1…`/`SIM2…` as the card slot).",
      "Add a forwarding rule (type SMS, match all) that uses this sender, then send an SMS to the phone: it appears on the number's inbox page.",
    ],
    snippets: [
      {
        caption: "Params template (JSON)",
        language: "json",
        code: `{"from":"[from]","org_content":"[org_content]","receive_time":"[receive_time]","card_slot":"[card_slot]","device_mark":"[device_mark]","timestamp":"[timestamp]","sign":"[sign]"}`,
      },
    ],
  },
};

/**
 * The app's fields, wherever the chosen method put them: the query for GET, the JSON body for a JSON template,
 * the form body otherwise. Values are strings; anything else in a JSON template is made one.
 */
function readFields(request: InboundRequest): Map<string, string> {
  if (request.method === "GET" || request.mediaType !== "application/json") return formParams(request);
  const body = jsonBody(request);
  if (!isObject(body)) {
    throw new AppError("malformed_body", 'Expected the SmsForwarder JSON template: {"from":…,"org_content":…,…}.');
  }
  const fields = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === "string") fields.set(name, value);
    else if (typeof value === "number" || typeof value === "boolean") fields.set(name, String(value));
  }
  return fields;
}

/**
 * `sign` = base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)), timestamp in ms within ±1 h. The app
 * percent-encodes the sign before putting it in the template (and a GET template once more), so after the
 * body's own decoding it may still read `…%2Fw%3D`: it is decoded once more here.
 */
export function verifySmsForwarderSign(fields: Map<string, string>, now: Date, gateway: GatewayAuth): void {
  const timestamp = fields.get("timestamp");
  const rawSign = fields.get("sign");
  if (!timestamp || !rawSign) {
    throw new AppError(
      "missing_credentials",
      "This gateway has a secret: send 'timestamp' and 'sign' ([timestamp] and [sign] in the SmsForwarder template).",
    );
  }
  checkTimestamp(timestamp, now, SMSFORWARDER_WINDOW_SECONDS, "ms");
  let sign = rawSign.trim();
  if (sign.includes("%")) {
    try {
      sign = decodeURIComponent(sign);
    } catch {
      throw malformedSignature("The 'sign' has a broken %-escape.");
    }
  }
  if (!/^[A-Za-z0-9+/]{43}=$/.test(sign)) {
    throw malformedSignature("The 'sign' is not base64 of an HMAC-SHA256 (44 characters).");
  }
  const ok = withAnySecret(gateway, (secret) =>
    sameSecret(hmac("sha256", secret, `${timestamp.trim()}\n${secret}`).toString("base64"), sign),
  );
  if (!ok) throw badSignature("SmsForwarder 'sign'");
}
