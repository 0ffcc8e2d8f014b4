import { createHash, createHmac } from "node:crypto";
import { bearerToken, keyMatches } from "@/lib/security/secrets";
import { AppError } from "@/lib/errors";
import { json } from "@/lib/http";
import type { GatewayAuth } from "./adapter";
import type { InboundRequest } from "./request";
import type { StoreResult } from "./store";

export function hmac(
  algorithm: "sha1" | "sha256" | "sha512" | "md5",
  key: string | Uint8Array,
  data: string | Uint8Array,
): Buffer {
  return createHmac(algorithm, key).update(data).digest();
}

export function sha256(data: string | Uint8Array): Buffer {
  return createHash("sha256").update(data).digest();
}

/** True when `check` accepts any of the gateway's signing secrets (two are active during a rotation). */
export function withAnySecret(gateway: GatewayAuth, check: (secret: string) => boolean): boolean {
  if (gateway.secrets.length === 0) {
    throw new AppError(
      "bad_signature",
      `Gateway '${gateway.id}' has no signing secret configured, so no signature can be checked.`,
    );
  }
  let ok = false;
  for (const secret of gateway.secrets) ok = check(secret) || ok; // no early exit: same work either way
  return ok;
}

export const badSignature = (what = "signature") =>
  new AppError("bad_signature", `The ${what} does not match this gateway's secret.`);

export const malformedSignature = (detail: string) => new AppError("malformed_signature", detail);

/**
 * A unix timestamp header (seconds, or milliseconds with `ms`) within `windowSeconds` of now, else 401
 * stale_request; not a number at all → 400 malformed_signature.
 */
export function checkTimestamp(raw: string, now: Date, windowSeconds: number, unit: "s" | "ms" = "s"): number {
  if (!/^\d{1,16}$/.test(raw.trim())) throw malformedSignature(`The timestamp '${raw.slice(0, 20)}' is not a number.`);
  const value = Number(raw.trim());
  const seconds = unit === "ms" ? value / 1000 : value;
  if (Math.abs(now.getTime() / 1000 - seconds) > windowSeconds) {
    throw new AppError("stale_request", `The request's timestamp is more than ${windowSeconds} s from our clock.`);
  }
  return value;
}

/**
 * The gateway's API key, from `Authorization: Bearer <key>` or — for sources that cannot send headers
 * (Kannel, Jasmin, unsigned Vonage or Infobip setups) — from the query string as `key=`. With `basic`, also
 * as the password of `Authorization: Basic` (any user name): what Infobip and SmsForwarder can send.
 */
export function authenticateWithKey(
  request: Pick<InboundRequest, "headers" | "url">,
  gateway: GatewayAuth,
  options: { query?: boolean; basic?: boolean } = {},
): void {
  const authorization = request.headers.get("authorization");
  const key =
    bearerToken(authorization) ??
    (options.basic ? basicPassword(authorization) : null) ??
    (options.query ? request.url.searchParams.get("key") : null);
  if (!key) {
    throw new AppError(
      "missing_credentials",
      `Send the gateway's API key as 'Authorization: Bearer <key>'${options.basic ? ", as the Basic auth password" : ""}${
        options.query ? " or as '?key=<key>' in the URL" : ""
      }.`,
      {
        "WWW-Authenticate": options.basic
          ? 'Bearer realm="numbox-inbound", Basic realm="numbox-inbound"'
          : 'Bearer realm="numbox-inbound"',
      },
    );
  }
  let ok = false;
  for (const hash of gateway.apiKeyHashes) ok = keyMatches(key, hash) || ok;
  if (!ok) {
    throw new AppError("bad_key", `The API key is not valid for gateway '${gateway.id}'.`, {
      "WWW-Authenticate": 'Bearer realm="numbox-inbound", error="invalid_token"',
    });
  }
}

/** The password of an `Authorization: Basic` header, or null; 400 malformed_signature when it cannot be decoded. */
function basicPassword(header: string | null): string | null {
  const match = /^Basic\s+(\S*)\s*$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(match[1]!) ? Buffer.from(match[1]!, "base64").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  if (colon < 0) throw malformedSignature("The Basic credentials are not base64 of 'user:password'.");
  return decoded.slice(colon + 1) || null;
}

/** Plain 200 JSON success, for sources that only look at the status. */
export function okJson(body: Record<string, unknown> = { ok: true }): Response {
  return json(body);
}

/** The answer of the sources that only look at the status: 200 JSON, with what was stored when anything was. */
export function okWithCounts(result: StoreResult | null): Response {
  return okJson(result ? { ok: true, accepted: result.accepted, duplicates: result.duplicates } : { ok: true });
}
