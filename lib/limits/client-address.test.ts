import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { clientAddress, PEER_HEADER, type ProxyTrust } from "./client-address";

const headers = (peer: string | null, forwarded?: string) => {
  const h = new Headers();
  if (peer !== null) h.set(PEER_HEADER, peer);
  if (forwarded !== undefined) h.set("x-forwarded-for", forwarded);
  return h;
};

/** Trust as the operator writes it in the environment; TRUSTED_PROXIES unset → the default private ranges. */
const trust = (hops: number, proxies?: string): ProxyTrust =>
  parseConfig({ TRUST_PROXY: String(hops), TRUSTED_PROXIES: proxies });

describe("clientAddress", () => {
  it("is the socket peer when no proxy is trusted, whatever X-Forwarded-For claims", () => {
    expect(clientAddress(headers("198.51.100.7", "1.2.3.4"), trust(0))).toBe("198.51.100.7");
    expect(clientAddress(headers("::ffff:198.51.100.7"), trust(0))).toBe("198.51.100.7");
    expect(clientAddress(headers("2001:DB8::1"), trust(0))).toBe("2001:db8::1");
    // A trusted proxy's header is not read either when no hop is trusted.
    expect(clientAddress(headers("10.0.0.2", "203.0.113.9"), trust(0))).toBe("10.0.0.2");
  });

  it("behind N trusted proxies, is the address our proxies wrote, never what the client wrote left of it", () => {
    // The client forged "6.6.6.6"; our one proxy appended the address it really saw.
    expect(clientAddress(headers("10.0.0.2", "6.6.6.6, 203.0.113.9"), trust(1))).toBe("203.0.113.9");
    // Two proxies, both on the private network: the outer one appended the client, the inner one the outer.
    expect(clientAddress(headers("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.3"), trust(2))).toBe("203.0.113.9");
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy: a client reaching Node directly", () => {
    // The default list is loopback and private networks; a client on the internet is in none of them.
    expect(clientAddress(headers("198.51.100.7", "203.0.113.9"), trust(1))).toBe("198.51.100.7");
    expect(clientAddress(headers("2001:db8::7", "203.0.113.9"), trust(3))).toBe("2001:db8::7");
    // The operator's own list replaces the default: a proxy outside it is a client like any other.
    expect(clientAddress(headers("10.0.0.2", "203.0.113.9"), trust(1, "192.0.2.0/24"))).toBe("10.0.0.2");
    expect(clientAddress(headers("192.0.2.10", "203.0.113.9"), trust(1, "192.0.2.0/24"))).toBe("203.0.113.9");
    expect(clientAddress(headers("::ffff:192.0.2.10", "203.0.113.9"), trust(1, "192.0.2.0/24, 2001:db8::/32"))).toBe(
      "203.0.113.9",
    );
    expect(clientAddress(headers("2001:db8::5", "203.0.113.9"), trust(1, "192.0.2.0/24, 2001:db8::/32"))).toBe(
      "203.0.113.9",
    );
  });

  it("walks left only while each hop is a trusted proxy, at most TRUST_PROXY hops", () => {
    // The entry our proxy wrote is a public address: that is the client, even with hops to spare.
    expect(clientAddress(headers("10.0.0.2", "6.6.6.6, 203.0.113.9"), trust(3))).toBe("203.0.113.9");
    // A private client behind one proxy stays that client: one hop, not a step further left.
    expect(clientAddress(headers("10.0.0.2", "6.6.6.6, 10.0.0.9"), trust(1))).toBe("10.0.0.9");
    // Two private hops, then the client; a third hop is not taken when only two are trusted.
    expect(clientAddress(headers("127.0.0.1", "6.6.6.6, 198.51.100.4, 192.168.1.1, 10.0.0.3"), trust(2))).toBe(
      "192.168.1.1",
    );
    expect(clientAddress(headers("127.0.0.1", "6.6.6.6, 198.51.100.4, 192.168.1.1, 10.0.0.3"), trust(3))).toBe(
      "198.51.100.4",
    );
    // Fewer entries than hops: the leftmost was still written by one of our proxies.
    expect(clientAddress(headers("10.0.0.2", "203.0.113.9"), trust(2))).toBe("203.0.113.9");
  });

  it("falls back to the last known address when the header is missing or not an address", () => {
    expect(clientAddress(headers("10.0.0.2"), trust(1))).toBe("10.0.0.2");
    expect(clientAddress(headers("10.0.0.2", "not-an-ip"), trust(1))).toBe("10.0.0.2");
    expect(clientAddress(headers("10.0.0.2", "6.6.6.6, junk, 10.0.0.3"), trust(3))).toBe("10.0.0.3");
    expect(clientAddress(headers(null), trust(0))).toBeNull();
    expect(clientAddress(headers(null, "203.0.113.9"), trust(1))).toBeNull();
  });
});

describe("TRUSTED_PROXIES", () => {
  it("takes IPs and CIDR ranges separated by commas, and refuses anything else with the reason", () => {
    expect(() => parseConfig({ TRUSTED_PROXIES: "203.0.113.0/24, 2001:db8::1" })).not.toThrow();
    expect(() => parseConfig({ TRUSTED_PROXIES: "proxy.internal" })).toThrow(
      /TRUSTED_PROXIES: 'proxy.internal' is not an IP address or CIDR range/,
    );
    expect(() => parseConfig({ TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(
      /TRUSTED_PROXIES: '10.0.0.0\/33' has an impossible prefix length/,
    );
  });
});
