import { createHmac } from "node:crypto";
import { AppError } from "@/lib/errors";
import { sameSecret } from "@/lib/security/secrets";
import type { GatewayAuth } from "../adapter";
import { isObject } from "../fields";
import type { InboundRequest } from "../request";
import { badSignature, malformedSignature, sha256, withAnySecret } from "../verify";

/**
 * What the Vonage (SMS API, Messages API), MessageBird and Bird adapters share: HS256/384/512 JWTs checked by
 * hand (small and exact, no JOSE library for three HMACs), the URL the provider signed, and JSON helpers.
 */

export type JwtAlgorithm = "HS256" | "HS384" | "HS512";

const HMAC_OF: Record<JwtAlgorithm, "sha256" | "sha384" | "sha512"> = {
  HS256: "sha256",
  HS384: "sha384",
  HS512: "sha512",
};

/**
 * A JWT's claims once its HMAC signature matches one of the gateway's secrets. Not three base64url parts, or a
 * header or claims that are not JSON objects: 400 malformed_signature. An algorithm we do not accept (`none`,
 * RS256 where HS256 is expected) or no secret matching: 403 bad_signature. The claims themselves (times,
 * hashes) are the caller's to check.
 */
export function verifyJwt(
  token: string,
  gateway: GatewayAuth,
  algorithms: readonly JwtAlgorithm[],
  what: string,
): Record<string, unknown> {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)) || !parts[0] || !parts[1]) {
    throw malformedSignature(`The ${what} is not a JWT (three base64url parts separated by '.').`);
  }
  const [encodedHeader, encodedClaims, signature] = parts as [string, string, string];
  const header = decodeJsonPart(encodedHeader, `${what} header`);
  const claims = decodeJsonPart(encodedClaims, `${what} claims`);
  const alg = header.alg;
  if (typeof alg !== "string" || !(algorithms as readonly string[]).includes(alg)) {
    throw new AppError(
      "bad_signature",
      `The ${what} is signed with '${String(alg).slice(0, 10)}'; only ${algorithms.join(", ")} is accepted.`,
    );
  }
  const signed = `${encodedHeader}.${encodedClaims}`;
  const ok = withAnySecret(gateway, (secret) =>
    sameSecret(
      createHmac(HMAC_OF[alg as JwtAlgorithm], secret)
        .update(signed)
        .digest("base64url"),
      signature,
    ),
  );
  if (!ok) throw badSignature(what);
  return claims;
}

function decodeJsonPart(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw malformedSignature(`The ${what} is not base64url-encoded JSON.`);
  }
  if (!isObject(value)) throw malformedSignature(`The ${what} is not a JSON object.`);
  return value;
}

/** A `payload_hash` / `url_hash` claim (hex SHA-256) against what we received: 403 payload_hash_mismatch. */
export function checkHashClaim(claim: unknown, data: string | Uint8Array, what: string): void {
  if (typeof claim !== "string" || !sameSecret(claim.toLowerCase(), sha256(data).toString("hex"))) {
    throw new AppError("payload_hash_mismatch", `The signed ${what} hash does not match the ${what} we received.`);
  }
}

/** A numeric date claim (`iat`, `nbf`, `exp`), or 400 malformed_signature naming it. */
export function numericClaim(claims: Record<string, unknown>, name: string, what: string): number {
  const value = claims[name];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw malformedSignature(`The ${what} has no numeric '${name}' claim.`);
  }
  return value;
}

export const staleRequest = (detail: string) => new AppError("stale_request", detail);

/**
 * The URL as the provider called (and signed) it: PUBLIC_URL's origin and path with the query exactly as sent
 * (original order and escapes; `request.url` would re-encode some characters).
 */
export function signedUrl(request: InboundRequest): string {
  return `${request.url.origin}${request.url.pathname}${request.rawQuery ? `?${request.rawQuery}` : ""}`;
}

/** The value of an `Authorization: Bearer` header; 401 when absent, 400 when it is another scheme. */
export function bearerJwt(request: InboundRequest, what: string): string {
  const header = request.headers.get("authorization")?.trim();
  if (!header) {
    throw new AppError("missing_credentials", `The 'Authorization: Bearer <JWT>' header (${what}) is missing.`);
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw malformedSignature(`The Authorization header is not 'Bearer <JWT>' (${what}).`);
  return match[1]!;
}

/** A part count as sources send it ("2", 2): a positive integer, or null. */
export function count(value: unknown): number | null {
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\d{1,4}$/.test(value.trim())
        ? Number(value)
        : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}
