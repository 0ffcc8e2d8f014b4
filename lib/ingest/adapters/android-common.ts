import { sameSecret } from "@/lib/security/secrets";
import type { GatewayAuth } from "../adapter";
import { requireHeader, type InboundRequest } from "../request";
import { badSignature, hmac, malformedSignature, withAnySecret } from "../verify";

/**
 * What the Android-phone sources (android-sms-gateway, SMS forwarder apps) and the JSON providers of this group
 * share: the hex HMAC-SHA256 signature header two of the apps send, SIM slot names.
 */

/**
 * Checks a lowercase-hex HMAC-SHA256 signature header (`X-Signature`) over `data` against the gateway's
 * secrets: 401 when the header is missing, 400 when it is not 64 hex digits, 403 when no secret matches.
 */
export function verifyHexHmac(request: InboundRequest, gateway: GatewayAuth, header: string, data: Uint8Array): void {
  const signature = requireHeader(request, header);
  if (!/^[0-9a-f]{64}$/i.test(signature)) {
    throw malformedSignature(`The '${header}' header is not a hex HMAC-SHA256 (64 hex digits).`);
  }
  const presented = signature.toLowerCase();
  if (!withAnySecret(gateway, (secret) => sameSecret(hmac("sha256", secret, data).toString("hex"), presented))) {
    throw badSignature(`'${header}' signature`);
  }
}

/** Bytes of several parts, as one buffer (a signed message is often "body + timestamp"). */
export function concatBytes(...parts: (Uint8Array | string)[]): Uint8Array {
  return Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p)));
}

/**
 * A SIM slot as the apps name it — 1, "1", "sim1", "SIM2_Carrier_+998…" — as a 1-based slot number;
 * null when the app could not tell ("undetected", "notification", -1).
 */
export function simSlot(value: unknown): number | null {
  if (typeof value === "number") return Number.isInteger(value) && value >= 1 && value <= 16 ? value : null;
  if (typeof value !== "string") return null;
  const match = /^\s*(?:sim\s*)?(\d{1,2})(?!\d)/i.exec(value);
  if (!match) return null;
  const slot = Number(match[1]);
  return slot >= 1 && slot <= 16 ? slot : null;
}
