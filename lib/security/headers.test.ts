import { describe, expect, it } from "vitest";
import {
  API_CONTENT_SECURITY_POLICY,
  FIXED_SECURITY_HEADERS,
  SELF_CONTAINED_PAGE_CONTENT_SECURITY_POLICY,
  isHttps,
  newNonce,
  pageContentSecurityPolicy,
  requestSecurity,
} from "./headers";

/** "a b; c d" → {a: ["b"], c: ["d"]} */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe("nonces", () => {
  it("are 128 random bits in base64, different every time", () => {
    const nonces = new Set(Array.from({ length: 1000 }, newNonce));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("the page CSP", () => {
  const policy = directives(pageContentSecurityPolicy({ nonce: "abc123==", dev: false, https: false }));

  it("runs only scripts carrying the nonce, never inline or eval'd ones", () => {
    expect(policy["script-src"]).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(policy["script-src"]).not.toContain("'unsafe-inline'");
    expect(policy["script-src"]).not.toContain("'unsafe-eval'");
  });

  it("talks only to its own origin, cannot be framed, has no plugins, no foreign base or form targets", () => {
    expect(policy["connect-src"]).toEqual(["'self'"]);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
    expect(policy["object-src"]).toEqual(["'none'"]);
    expect(policy["base-uri"]).toEqual(["'self'"]);
    expect(policy["form-action"]).toEqual(["'self'"]);
    expect(policy["default-src"]).toEqual(["'self'"]);
  });

  it("allows inline styles only with the nonce", () => {
    expect(policy["style-src"]).toEqual(["'self'", "'nonce-abc123=='"]);
  });

  it("allows eval, and inline styles without a nonce, only in development (React's error stacks, the overlay)", () => {
    const dev = directives(pageContentSecurityPolicy({ nonce: "n", dev: true, https: false }));
    expect(dev["script-src"]).toContain("'unsafe-eval'");
    expect(dev["script-src"]).not.toContain("'unsafe-inline'");
    expect(dev["style-src"]).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it("upgrades insecure sub-resources only on an https site (it would break a plain-http localhost)", () => {
    expect(policy).not.toHaveProperty("upgrade-insecure-requests");
    const https = directives(pageContentSecurityPolicy({ nonce: "n", dev: false, https: true }));
    expect(https).toHaveProperty("upgrade-insecure-requests");
  });
});

describe("the API CSP", () => {
  it("lets a JSON response opened as a document do nothing", () => {
    const policy = directives(API_CONTENT_SECURITY_POLICY);
    expect(policy["default-src"]).toEqual(["'none'"]);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
  });
});

describe("requestSecurity", () => {
  it("gives a page a fresh nonce, on the request (for Next) and the response (for the browser)", () => {
    const a = requestSecurity("/numbers/998940373339", { publicUrl: "http://localhost:3000", dev: false });
    const b = requestSecurity("/numbers/998940373339", { publicUrl: "http://localhost:3000", dev: false });
    expect(a.request["Content-Security-Policy"]).toBe(a.response["Content-Security-Policy"]);
    expect(a.request["Content-Security-Policy"]).toContain(`'nonce-${a.request["x-nonce"]}'`);
    expect(a.request["x-nonce"]).not.toBe(b.request["x-nonce"]);
  });

  it("sends HSTS only when PUBLIC_URL is https", () => {
    expect(requestSecurity("/", { publicUrl: "http://localhost:3000", dev: false }).response).not.toHaveProperty(
      "Strict-Transport-Security",
    );
    const https = requestSecurity("/", { publicUrl: "https://numbox.example", dev: false });
    expect(https.response["Strict-Transport-Security"]).toMatch(/^max-age=\d{8,}$/);
    const api = requestSecurity("/api/v1/countries", { publicUrl: "https://numbox.example", dev: false });
    expect(api.response["Strict-Transport-Security"]).toMatch(/^max-age=/);
  });

  it("leaves the API's CSP to next.config.ts, so it is sent once", () => {
    const api = requestSecurity("/api/v1/countries", { publicUrl: "http://localhost:3000", dev: false, nonce: "n" });
    expect(api).toEqual({ request: {}, response: {}, answered: {} });
    // "/apis" is a page path, not the API.
    expect(requestSecurity("/apis", { publicUrl: "http://x", dev: false }).response).toHaveProperty(
      "Content-Security-Policy",
    );
  });

  it("a page the proxy answers itself (a rate limit) may style itself and run nothing", () => {
    const page = requestSecurity("/numbers/998940373339", { publicUrl: "https://numbox.example", dev: false });
    expect(page.answered["Content-Security-Policy"]).toBe(SELF_CONTAINED_PAGE_CONTENT_SECURITY_POLICY);
    expect(page.answered["Strict-Transport-Security"]).toBeDefined();
    const policy = directives(SELF_CONTAINED_PAGE_CONTENT_SECURITY_POLICY);
    expect(policy["default-src"]).toEqual(["'none'"]);
    expect(policy).not.toHaveProperty("script-src");
  });

  it("isHttps reads the scheme only, and a malformed URL is not https", () => {
    expect(isHttps("https://numbox.example/base")).toBe(true);
    expect(isHttps("HTTPS://NUMBOX.EXAMPLE")).toBe(true);
    expect(isHttps("http://https.example")).toBe(false);
    expect(isHttps("not a url")).toBe(false);
  });
});

describe("fixed headers", () => {
  it("forbid sniffing, referrers and framing", () => {
    const byName = Object.fromEntries(FIXED_SECURITY_HEADERS.map((h) => [h.key.toLowerCase(), h.value]));
    expect(byName).toEqual({
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
    });
  });
});
