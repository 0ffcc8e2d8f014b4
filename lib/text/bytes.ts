/**
 * Bytes written as text, read strictly: Node's Buffer.from(…, "hex" | "base64") silently stops at or skips
 * characters that do not belong, so a corrupted value would decode to other bytes instead of being refused.
 */

/** Hex ("48656c6c6f", either case, surrounding space ignored; "" is no bytes), or null. */
export function decodeHex(value: string): Uint8Array | null {
  const v = value.trim();
  if (v.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(v)) return null;
  return Uint8Array.from(Buffer.from(v, "hex"));
}

/** Base64 in the standard alphabet, padding optional, or null. */
export function decodeBase64(value: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) return null;
  return Uint8Array.from(Buffer.from(value, "base64"));
}
