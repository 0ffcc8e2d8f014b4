import { isIP } from "node:net";

/** Set by server.mjs to the socket peer's address; a client-sent value is overwritten there. */
export const PEER_HEADER = "x-numbox-peer";

/**
 * The client's address, built so that a client cannot choose it: the socket peer as our own server saw it, or —
 * behind `trustProxy` reverse proxies that each append the address they received from to X-Forwarded-For —
 * the entry those proxies wrote about the client: the trustProxy-th from the right. Anything further left was
 * written by the client and is ignored. Null when unknown (a request that did not come through server.mjs).
 */
export function clientAddress(headers: Headers, trustProxy: number): string | null {
  const peer = normalize(headers.get(PEER_HEADER));
  if (trustProxy <= 0) return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // Fewer entries than trusted hops means the request did not come through all our proxies: trust only the peer.
  if (forwarded.length < trustProxy) return peer;
  return normalize(forwarded[forwarded.length - trustProxy]!) ?? peer;
}

/** "::ffff:203.0.113.7" → "203.0.113.7"; "[2001:db8::1]:443" and junk are handled; not an IP → null. */
function normalize(value: string | null): string | null {
  if (!value) return null;
  let v = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(v)) v = v.slice(7);
  return isIP(v) ? v.toLowerCase() : null;
}
