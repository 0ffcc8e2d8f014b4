import { AppError } from "@/lib/errors";
import type { Adapter } from "../adapter";
import { isObject } from "../fields";
import type { InboundMessage } from "../message";
import { jsonBody } from "../request";
import { internationalSender } from "../sender";
import { parseIsoTimestamp } from "../time";
import { validateMessage } from "../validate";
import { authenticateWithKey, okWithCounts } from "../verify";

// Any recipient: lets a batch's messages be checked for everything but the recipient before any is stored.
const ANY_RECIPIENT = [{ number: "+10000000000", active: true, sim: null }];

/**
 * Infobip inbound SMS (forward method, `MO_JSON_2`): a JSON batch `{"results":[…],"messageCount":N}`. Infobip
 * signs nothing, so the gateway's API key authenticates it: as the Basic auth password (Subscriptions
 * notification profile), a bearer token, or `?key=` in the URL. A batch is stored all or nothing: a count that
 * does not match or any invalid result rejects the whole batch (422 invalid_batch).
 */
export const infobip: Adapter = {
  kind: "infobip",
  methods: ["POST"],
  mediaTypes: ["application/json"],

  authenticate(request, gateway) {
    authenticateWithKey(request, gateway, { query: true, basic: true });
  },

  parse(request) {
    const body = jsonBody(request);
    if (!isObject(body) || !Array.isArray(body.results)) {
      throw new AppError("malformed_body", 'Expected an Infobip inbound batch: {"results":[…],"messageCount":N}.');
    }
    const results = body.results;
    if (body.messageCount !== undefined && body.messageCount !== results.length) {
      throw new AppError(
        "invalid_batch",
        `'messageCount' (${JSON.stringify(body.messageCount)}) does not match the ${results.length} results sent.`,
      );
    }
    if (results.length === 0) return { ignored: "The Infobip batch holds no messages." };
    return { messages: results.map((result, i) => toInbound(result, i)) };
  },

  respond: okWithCounts,

  setup: {
    title: "Infobip inbound SMS",
    summary:
      "Infobip forwards inbound SMS as JSON batches (`results[]`). Infobip does not sign them, so the gateway's API key authenticates each request (in the URL as `key=`, or as the Basic auth password); a batch is stored all or nothing.",
    secret: null,
    urlSuffix: "?key=<API key>",
    steps: [
      "In the Infobip web interface open Channels and Numbers → Numbers, pick your number and add (or edit) an inbound configuration for SMS with the action Forward to HTTP.",
      "Set the URL to {webhookUrl} (replace `<API key>` with the key printed when the gateway was created), method POST, renderer/format JSON (`MO_JSON_2`).",
      "Or, with a Subscriptions notification profile: use {publicUrl}/api/inbound/{gatewayId} without `?key=` and set Basic authentication with any user name and the API key as password.",
      "Register the number here with `number add` in E.164 form: Infobip names it in `to` without the `+`, which we add.",
      "Send an SMS to the number: it appears on its inbox page. A refused batch is kept in quarantine (admin API) with the reason.",
    ],
  },
};

function toInbound(result: unknown, i: number): InboundMessage {
  const where = `results[${i}]: `;
  if (!isObject(result))
    throw new AppError("invalid_batch", `${where}is not an object; no message of the batch was stored.`);
  const message: InboundMessage = {
    to: result.to,
    from: typeof result.from === "string" ? internationalSender(result.from) : result.from,
    text: result.text,
    receivedAt: parseIsoTimestamp(result.receivedAt),
    sourceKey: result.messageId,
    segments: typeof result.smsCount === "number" ? result.smsCount : null,
  };
  if (message.sourceKey === undefined || message.sourceKey === null || message.sourceKey === "") {
    throw new AppError("invalid_batch", `${where}'messageId' is missing; no message of the batch was stored.`);
  }
  // Everything but the recipient is checked here, so one bad result names itself and rejects the whole batch.
  // (An unknown recipient is found by the pipeline, which rejects the whole batch too: 422 unknown_recipient.)
  try {
    validateMessage({ ...message, to: undefined }, ANY_RECIPIENT, where);
  } catch (error) {
    if (error instanceof AppError && error.status === 422) {
      throw new AppError("invalid_batch", `${error.detail} (${error.code}); no message of the batch was stored.`);
    }
    throw error;
  }
  return message;
}
