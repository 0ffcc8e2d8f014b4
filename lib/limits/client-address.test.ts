import { describe, expect, it } from "vitest";
import { clientAddress, PEER_HEADER } from "./client-address";

const headers = (peer: string | null, forwarded?: string) => {
  const h = new Headers();
  if (peer !== null) h.set(PEER_HEADER, peer);
  if (forwarded !== undefined) h.set("x-forwarded-for", forwarded);
  return h;
};

describe("clientAddress", () => {
  it("is the socket peer when no proxy is trusted, whatever X-Forwarded-For claims", () => {
    expect(clientAddress(headers("198.51.100.7", "1.2.3.4"), 0)).toBe("198.51.100.7");
    expect(clientAddress(headers("::ffff:198.51.100.7"), 0)).toBe("198.51.100.7");
    expect(clientAddress(headers("2001:DB8::1"), 0)).toBe("2001:db8::1");
  });

  it("behind N trusted proxies, is the N-th address from the right: what our proxies wrote", () => {
    // The client forged "6.6.6.6"; our one proxy appended the address it really saw.
    expect(clientAddress(headers("10.0.0.2", "6.6.6.6, 203.0.113.9"), 1)).toBe("203.0.113.9");
    // Two proxies: the CDN appended the client, the load balancer appended the CDN.
    expect(clientAddress(headers("10.0.0.2", "6.6.6.6, 203.0.113.9, 192.0.2.50"), 2)).toBe("203.0.113.9");
  });

  it("falls back to the peer when the header is missing, short or not an address", () => {
    expect(clientAddress(headers("10.0.0.2"), 1)).toBe("10.0.0.2");
    expect(clientAddress(headers("10.0.0.2", "203.0.113.9"), 2)).toBe("10.0.0.2");
    expect(clientAddress(headers("10.0.0.2", "not-an-ip"), 1)).toBe("10.0.0.2");
    expect(clientAddress(headers(null), 0)).toBeNull();
  });
});
