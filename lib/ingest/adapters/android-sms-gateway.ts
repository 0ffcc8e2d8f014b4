import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { Adapter, GatewayAuth } from "../adapter";
import { isObject } from "../fields";
import type { InboundMessage } from "../message";
import { jsonBody, requireHeader, type InboundRequest } from "../request";
import { parseIsoTimestamp } from "../time";
import { authenticateWithKey, checkTimestamp, okWithCounts } from "../verify";
import { concatBytes, simSlot, verifyHexHmac } from "./android-common";

// The window the app's documentation recommends for X-Timestamp (it signs again on every retry).
export const ANDROID_GATEWAY_WINDOW_SECONDS = 5 * 60;

const config = z
  .object({
    // The phone's device id (Settings → Cloud server / the envelope's `deviceId`): other devices are refused.
    deviceId: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/**
 * SMS Gateway for Android™ (capcom6/android-sms-gateway, sms-gate.app): webhook events in a JSON envelope
 * {deviceId, event, id, payload, webhookId}. Authenticated twice: the gateway's API key in the URL (`?key=`)
 * or as a bearer token, and the app's `X-Signature` = hex HMAC-SHA256(signing key, body + X-Timestamp)
 * within ±5 min. The app retries any non-2xx (4xx too) for about two days, so only `sms:received`
 * (and its batched form) is stored; every other event gets 200 and is ignored. The phone does not say which
 * of our numbers received the SMS: `payload.simNumber` picks the gateway's number for that SIM slot.
 */
export const androidSmsGateway: Adapter = {
  kind: "android-sms-gateway",
  methods: ["POST"],
  mediaTypes: ["application/json"],
  configSchema: config,

  authenticate(request, gateway) {
    authenticateWithKey(request, gateway, { query: true });
    verifyAndroidGatewaySignature(request, gateway);
  },

  parse(request, gateway) {
    const body = jsonBody(request);
    if (!isObject(body) || typeof body.event !== "string") {
      throw new AppError("malformed_body", 'Expected an android-sms-gateway event: {"event":…,"id":…,"payload":{…}}.');
    }
    if (body.event !== "sms:received" && body.event !== "sms:batch:received") {
      return { ignored: `android-sms-gateway event '${body.event}' is not an inbound SMS.` };
    }
    const expected = config.parse(gateway.config).deviceId;
    if (expected !== undefined && body.deviceId !== expected) {
      throw new AppError(
        "unknown_recipient",
        `The event comes from device '${String(body.deviceId).slice(0, 64)}', but this gateway is configured for device '${expected}'.`,
      );
    }
    if (typeof body.id !== "string" || body.id === "") {
      throw new AppError("invalid_id", "The event has no 'id': it is what makes the app's retries stored once.");
    }
    const payload = isObject(body.payload) ? body.payload : {};
    if (body.event === "sms:received") return { messages: [toInbound(payload, body.id)] };

    // Newer app versions batch several received SMS in one event: one envelope id, stable across retries.
    const batch = payload.messages;
    if (!Array.isArray(batch) || batch.length === 0) {
      throw new AppError("invalid_batch", "An 'sms:batch:received' event needs 'payload.messages': [ … ].");
    }
    return { messages: batch.map((m, i) => toInbound(isObject(m) ? m : {}, `${body.id}:${i}`)) };
  },

  respond: okWithCounts,

  setup: {
    title: "SMS Gateway for Android™ (android-sms-gateway, sms-gate.app)",
    summary:
      "The Android app posts each received SMS as a signed JSON webhook (`sms:received`). We check the gateway's API key (in the URL) and the app's HMAC signature (`X-Signature`, within 5 minutes), and find our number from the SIM slot the SMS arrived on. Other events (`sms:sent`, `sms:delivered`, `sms:failed`, `system:ping`) are acknowledged and ignored.",
    secret: "the app's webhook signing key (Settings → Webhooks → Signing Key)",
    urlSuffix: "?key=<API key>",
    steps: [
      "Install SMS Gateway for Android™ on the phone (from sms-gate.app or F-Droid/GitHub releases) and grant it the SMS permissions.",
      "In the app open Settings → Webhooks and copy the Signing Key (or set one): it is the gateway's secret.",
      "Register each SIM's number here with `number add … --sim 1` / `--sim 2` (the app reports the slot as `simNumber`, 1-based); a phone with one number needs no `--sim`.",
      'Optionally pin the phone: create the gateway with `--config \'{"deviceId":"<device id>"}\'`; events from any other device are then refused.',
      "Register the webhook for the `sms:received` event with the app's API (below): Local server mode on the phone, or the Cloud/Private server API. The app only accepts `https://` URLs.",
      "Send an SMS to the phone: it appears on the number's inbox page. The app retries any failed delivery for about two days.",
    ],
    snippets: [
      {
        caption:
          "Register the webhook — Local server mode (from the phone's network; address, user and password as shown on the app's Home tab)",
        language: "sh",
        code: `curl -X POST -u "<user>:<password>" -H 'Content-Type: application/json' \\
  -d '{"id":"numbox","url":"{webhookUrl}","event":"sms:received"}' \\
  http://<phone IP>:8080/webhooks`,
      },
      {
        caption:
          "Register the webhook — Cloud mode (credentials from the app's Home tab; Private mode: your server's /3rdparty/v1/webhooks)",
        language: "sh",
        code: `curl -X POST -u "<user>:<password>" -H 'Content-Type: application/json' \\
  -d '{"id":"numbox","url":"{webhookUrl}","event":"sms:received"}' \\
  https://api.sms-gate.app/3rdparty/v1/webhooks`,
      },
    ],
  },
};

function toInbound(payload: Record<string, unknown>, sourceKey: string): InboundMessage {
  const sim = payload.simNumber === undefined || payload.simNumber === null ? null : simSlot(payload.simNumber);
  return {
    sim,
    from: payload.phoneNumber,
    text: payload.message,
    receivedAt: parseIsoTimestamp(payload.receivedAt),
    sourceKey,
  };
}

/**
 * `X-Signature` = lowercase hex HMAC-SHA256(signing key, raw body + X-Timestamp), `X-Timestamp` in unix
 * seconds within ±5 min (the app signs again on every retry). Any of the gateway's secrets (rotation).
 */
export function verifyAndroidGatewaySignature(request: InboundRequest, gateway: GatewayAuth): void {
  requireHeader(request, "x-signature");
  const timestamp = requireHeader(request, "x-timestamp");
  checkTimestamp(timestamp, request.now, ANDROID_GATEWAY_WINDOW_SECONDS);
  verifyHexHmac(request, gateway, "x-signature", concatBytes(request.body, timestamp));
}
