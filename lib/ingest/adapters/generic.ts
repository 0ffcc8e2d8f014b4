import { AppError } from "@/lib/errors";
import type { Adapter } from "../adapter";
import { isObject } from "../fields";
import type { InboundMessage } from "../message";
import { jsonBody } from "../request";
import { authenticateWithKey, okJson } from "../verify";

export const MAX_BATCH = 100;

/**
 * Our own format, for modem scripts and anything else that can send JSON with a bearer key:
 * {"to","from","text","receivedAt"?,"id"?} or {"messages":[…]} (at most 100, all or nothing).
 */
export const generic: Adapter = {
  kind: "generic",
  methods: ["POST"],
  mediaTypes: ["application/json"],

  authenticate(request, gateway) {
    authenticateWithKey(request, gateway);
  },

  parse(request) {
    const body = jsonBody(request);
    if (!isObject(body)) {
      throw new AppError("malformed_body", 'Expected a JSON object: one message, or {"messages":[…]}.');
    }
    if (!("messages" in body)) return { messages: [toInbound(body, "")] };

    const batch = body.messages;
    if (!Array.isArray(batch) || batch.length === 0 || batch.length > MAX_BATCH) {
      throw new AppError("invalid_batch", `'messages' must be an array of 1 to ${MAX_BATCH} messages.`);
    }
    return {
      messages: batch.map((item, i) => {
        if (!isObject(item)) throw new AppError("invalid_batch", `messages[${i}] is not an object.`);
        return toInbound(item, `messages[${i}]: `);
      }),
    };
  },

  respond(result) {
    return okJson(
      result ? { accepted: result.accepted, duplicates: result.duplicates, ids: result.ids } : { ok: true },
    );
  },

  setup: {
    title: "Generic JSON (modem scripts, your own code)",
    summary:
      "Our own format: POST JSON with the gateway's API key as a bearer token. Use it from any script that can run curl.",
    secret: null,
    steps: [
      "Create the gateway and note the API key it prints (shown once).",
      "Register each of its numbers with `number add`.",
      "POST each received SMS as JSON; retry on 429/503 and network errors with the same `id`.",
      "Optionally POST to `/api/inbound/{gateway}/heartbeat` every few minutes so the site shows the host online.",
    ],
    snippets: [
      {
        caption: "Post one message",
        language: "sh",
        code: `curl -fsS -X POST "$NUMBOX/api/inbound/$GATEWAY" \\
  -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \\
  -d '{"to":"+998940373339","from":"Telegram","text":"Telegram code: 51234","id":"modem-1:000042"}'`,
      },
    ],
  },
};

function toInbound(o: Record<string, unknown>, where: string): InboundMessage {
  // Our format names the recipient always: a modem script knows its own number.
  if (o.to === undefined || o.to === null || o.to === "") {
    throw new AppError("missing_recipient", `${where}'to' is required: which of our numbers received the message.`);
  }
  const receivedAt = o.receivedAt === undefined || o.receivedAt === null ? null : (o.receivedAt as string);
  return { to: o.to, from: o.from, text: o.text, receivedAt, sourceKey: o.id };
}
