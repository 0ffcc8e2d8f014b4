import { describe, expect, it } from "vitest";
import { acceptsGzip } from "./respond";
import { cacheScopeOf, isPlainRequest } from "./cacheable";

describe("what is answered from the cache", () => {
  it("knows each public page and read API answer by what it shows", () => {
    expect(cacheScopeOf("/")).toEqual({ kind: "lists" });
    expect(cacheScopeOf("/countries/uz")).toEqual({ kind: "lists" });
    expect(cacheScopeOf("/numbers/998940373339")).toEqual({ kind: "inbox", number: "+998940373339" });
    expect(cacheScopeOf("/numbers/%2B998940373339")).toEqual({ kind: "inbox", number: "+998940373339" });
    expect(cacheScopeOf("/api/v1/numbers/998940373339/messages")).toEqual({ kind: "inbox", number: "+998940373339" });
    expect(cacheScopeOf("/api/v1/numbers")).toEqual({ kind: "lists" });
  });

  it("leaves everything else to be rendered per request", () => {
    for (const path of ["/countries/UZ", "/numbers/abc", "/api/v1/numbers/998940373339/stream", "/api/v1/numbers/998940373339/wait", "/api/admin/numbers", "/api/inbound/modem-1", "/_next/static/x.js"]) {
      expect(cacheScopeOf(path)).toBeNull();
    }
  });

  it("keeps no client navigation payload, and answers only GET and HEAD", () => {
    expect(isPlainRequest("GET", {}, "")).toBe(true);
    expect(isPlainRequest("HEAD", {}, "?limit=5")).toBe(true);
    expect(isPlainRequest("POST", {}, "")).toBe(false);
    expect(isPlainRequest("GET", { rsc: "1" }, "")).toBe(false);
    expect(isPlainRequest("GET", { "next-router-prefetch": "1" }, "")).toBe(false);
    expect(isPlainRequest("GET", {}, "?_rsc=abc")).toBe(false);
  });

  it("sends gzip only to clients that take it", () => {
    expect(acceptsGzip("gzip, deflate, br")).toBe(true);
    expect(acceptsGzip("br;q=1.0, gzip;q=0.5")).toBe(true);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("identity")).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
