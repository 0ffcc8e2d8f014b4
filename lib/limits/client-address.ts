import { BlockList, isIP } from "node:net";
import type { Config } from "@/lib/config";
import { isAllowed } from "@/lib/ip-allowlist";

/** Set by server.mjs to the socket peer's address; a client-sent value is overwritten there. */
export const PEER_HEADER = "x-numbox-peer";

/** The operator's reverse proxies: how many hops to believe, and which peers are proxies at all. */
export type ProxyTrust = Pick<Config, "TRUST_PROXY" | "TRUSTED_PROXIES">;

/** No proxy in front: the socket peer is the client. */
export const NO_PROXY: ProxyTrust = { TRUST_PROXY: 0, TRUSTED_PROXIES: new BlockList() };

/**
 * The client's address, built so that a client cannot choose it: the socket peer as our own server saw it, or —
 * when that peer is one of our proxies — the address it wrote into X-Forwarded-For, and so on leftwards while
 * each hop is itself a trusted proxy, at most TRUST_PROXY hops (the walk of express's proxy-addr). Each proxy
 * appends the address it received from, so an entry is believed only if the hop to its right is a proxy we
 * know; anything further left was written by the client and is ignored. A client that reaches Node directly is
 * not in TRUSTED_PROXIES, so its own X-Forwarded-For is never read. Null when unknown (a request that did not
 * come through server.mjs).
 */
export function clientAddress(headers: Headers, trust: ProxyTrust): string | null {
  let client = normalize(headers.get(PEER_HEADER));
  if (!client || trust.TRUST_PROXY <= 0) return client;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (let hop = 0; hop < trust.TRUST_PROXY && isAllowed(trust.TRUSTED_PROXIES, client); hop++) {
    // A proxy that wrote nothing, or junk, is the last address we know.
    const written = normalize(forwarded[forwarded.length - 1 - hop] ?? null);
    if (!written) break;
    client = written;
  }
  return client;
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
