import { describe, expect, it } from "vitest";
import { isSafeMethod, isSameOrigin } from "./origin";

const site = { publicUrl: "https://sms.example.org", publicUrlIsDefault: false, host: "sms.example.org" };

describe("isSameOrigin", () => {
  it("takes a request from a page of PUBLIC_URL's origin only", () => {
    expect(isSameOrigin({ ...site, origin: "https://sms.example.org" })).toBe(true);
    expect(isSameOrigin({ ...site, origin: "http://sms.example.org" })).toBe(false);
    expect(isSameOrigin({ ...site, origin: "https://sms.example.org:8443" })).toBe(false);
    expect(isSameOrigin({ ...site, origin: "https://evil.example" })).toBe(false);
  });

  it("refuses a request without an Origin, or with the opaque 'null' one", () => {
    expect(isSameOrigin({ ...site, origin: null })).toBe(false);
    expect(isSameOrigin({ ...site, origin: "null" })).toBe(false);
    expect(isSameOrigin({ ...site, origin: "not a url" })).toBe(false);
  });

  it("does not believe a Host header when PUBLIC_URL is set", () => {
    expect(isSameOrigin({ ...site, host: "evil.example", origin: "https://evil.example" })).toBe(false);
  });

  it("compares with the request's own Host when PUBLIC_URL was left at its default", () => {
    const lan = { publicUrl: "http://localhost:3000", publicUrlIsDefault: true };
    expect(isSameOrigin({ ...lan, host: "192.168.1.5:3000", origin: "http://192.168.1.5:3000" })).toBe(true);
    expect(isSameOrigin({ ...lan, host: "192.168.1.5:3000", origin: "http://evil.example" })).toBe(false);
    expect(isSameOrigin({ ...lan, host: null, origin: "http://localhost:3000" })).toBe(false);
  });
});

describe("isSafeMethod", () => {
  it("lets through only the methods that never change anything", () => {
    expect(["GET", "HEAD", "OPTIONS"].every(isSafeMethod)).toBe(true);
    expect(["POST", "PUT", "PATCH", "DELETE"].some(isSafeMethod)).toBe(false);
  });
});
