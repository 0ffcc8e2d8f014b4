import type { Gateway } from "@/db/schema";
import { bearerToken, keyMatches } from "@/lib/admin/keys";
import { AppError } from "@/lib/errors";
import { isJson } from "@/lib/http";
import type { Adapter } from "./adapter";
import { decodeUtf8 } from "./body";
import type { InboundMessage } from "./message";

export const MAX_BATCH = 100;

/**
 * Our own format, for modem scripts and anything else that can send JSON with a bearer key:
 * {"to","from","text","receivedAt"?,"id"?} or {"messages":[…]} (at most 100, all or nothing).
 */
export const generic: Adapter = {
  accepts: isJson,

  authenticate(request: Request, gateway: Gateway) {
    authenticateWithKey(request, gateway);
  },

  parse(body: Uint8Array): InboundMessage[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(decodeUtf8(body));
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(400, "malformed_body", "The body is not valid JSON.");
    }
    if (!isObject(parsed)) {
      throw new AppError(400, "malformed_body", "Expected a JSON object: one message, or {\"messages\":[…]}.");
    }
    if (!("messages" in parsed)) return [toInbound(parsed)];

    const batch = parsed.messages;
    if (!Array.isArray(batch) || batch.length === 0 || batch.length > MAX_BATCH) {
      throw new AppError(422, "invalid_batch", `'messages' must be an array of 1 to ${MAX_BATCH} messages.`);
    }
    return batch.map((item, i) => {
      if (!isObject(item)) throw new AppError(422, "invalid_batch", `messages[${i}] is not an object.`);
      return toInbound(item);
    });
  },

  respond(result) {
    return Response.json(
      { accepted: result.accepted, duplicates: result.duplicates, ids: result.ids },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
};

/** The gateway's API key as a bearer token: how our own scripts and heartbeats authenticate. */
export function authenticateWithKey(request: Request, gateway: Gateway): void {
  const key = bearerToken(request.headers.get("authorization"));
  if (!key) {
    throw new AppError(401, "missing_credentials", "Send the gateway's API key as 'Authorization: Bearer <key>'.", {
      "WWW-Authenticate": 'Bearer realm="numbox-inbound"',
    });
  }
  if (!keyMatches(key, gateway.apiKeyHash)) {
    throw new AppError(401, "bad_key", `The API key is not valid for gateway '${gateway.id}'.`, {
      "WWW-Authenticate": 'Bearer realm="numbox-inbound", error="invalid_token"',
    });
  }
}

function toInbound(o: Record<string, unknown>): InboundMessage {
  return { to: o.to, from: o.from, text: o.text, receivedAt: o.receivedAt, sourceKey: o.id };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
