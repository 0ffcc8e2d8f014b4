import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new gateway API key: 32 random bytes, prefixed so that it is recognisable in a config file or a leak scan. */
export function newApiKey(): string {
  return `nbx_${randomBytes(32).toString("base64url")}`;
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Constant-time check of a presented key against a stored hash. */
export function keyMatches(key: string, storedHash: string): boolean {
  const presented = createHash("sha256").update(key, "utf8").digest();
  const stored = Buffer.from(storedHash, "hex");
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/**
 * The one constant-time comparison of secrets, signatures and hashes, of any length: both sides are SHA-256
 * hashed to 32 bytes first, so neither a length nor the first differing byte changes the time taken.
 */
export function sameSecret(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const digest = (v: string | Uint8Array) => createHash("sha256").update(v).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}
