import { describe, expect, it } from "vitest";
import { acceptsGzip } from "./respond";
import { cacheKeyOf, cacheScopeOf } from "./cacheable";

describe("what is answered from the cache", () => {
  it("knows each public page and read API answer by what it shows", () => {
    expect(cacheScopeOf("/")).toEqual({ kind: "lists" });
    expect(cacheScopeOf("/countries/uz")).toEqual({ kind: "lists" });
    expect(cacheScopeOf("/numbers/998940373339")).toEqual({ kind: "inbox", number: "+998940373339" });
    expect(cacheScopeOf("/numbers/%2B998940373339")).toEqual({ kind: "inbox", number: "+998940373339" });
    expect(cacheScopeOf("/api/v1/numbers/998940373339/messages")).toEqual({ kind: "inbox", number: "+998940373339" });
    expect(cacheScopeOf("/api/v1/numbers")).toEqual({ kind: "lists" });
    expect(cacheScopeOf("/services")).toEqual({ kind: "lists" });
    expect(cacheScopeOf("/services/whatsapp")).toEqual({ kind: "lists" });
    expect(cacheScopeOf("/ar/services/whatsapp")).toEqual({ kind: "lists" });
    for (const format of ["rss", "atom", "json"])
      expect(cacheScopeOf(`/api/v1/services/telegram/feed.${format}`)).toEqual({ kind: "lists" });
  });

  it("knows the same pages in every other language, by their prefix", () => {
    expect(cacheScopeOf("/ru")).toEqual({ kind: "lists" });
    expect(cacheScopeOf("/pt-br/countries/uz")).toEqual({ kind: "lists" });
    expect(cacheScopeOf("/ar/docs/gateways")).toEqual({ kind: "lists" });
    expect(cacheScopeOf("/ru/numbers/998940373339")).toEqual({ kind: "inbox", number: "+998940373339" });
    expect(cacheScopeOf("/zh/numbers/%2B998940373339")).toEqual({ kind: "inbox", number: "+998940373339" });
  });

  it("leaves everything else to be rendered per request", () => {
    for (const path of [
      "/countries/UZ",
      "/numbers/abc",
      "/api/v1/numbers/998940373339/stream",
      "/api/v1/numbers/998940373339/wait",
      "/api/v1/services/telegram/feed.xml",
      "/ru/api/v1/services/telegram/feed.rss",
      "/api/admin/numbers",
      // The admin web UI is rendered for each signed-in request, never kept.
      "/admin",
      "/admin/gateways",
      "/admin/messages",
      "/api/inbound/modem-1",
      "/_next/static/x.js",
      // English has no prefix: /en/… only redirects to the unprefixed URL.
      "/en",
      "/en/numbers/998940373339",
      // Not a language of ours, and not a page.
      "/xx/numbers/998940373339",
      "/ru/api/v1/numbers",
      "/ru/numbers/998940373339/stream",
    ]) {
      expect(cacheScopeOf(path)).toBeNull();
    }
  });

  it("keeps a page's HTML and each kind of router payload apart, and answers only GET and HEAD", () => {
    const html = cacheKeyOf("GET", "/numbers/1", {});
    const payload = cacheKeyOf("GET", "/numbers/1?_rsc=x", { rsc: "1", "next-router-state-tree": "tree" });
    const prefetch = cacheKeyOf("GET", "/numbers/1?_rsc=x", {
      rsc: "1",
      "next-router-state-tree": "tree",
      "next-router-prefetch": "1",
    });
    expect(new Set([html, payload, prefetch]).size).toBe(3);
    expect(cacheKeyOf("HEAD", "/numbers/1", {})).toBe(html);
    expect(cacheKeyOf("POST", "/numbers/1", {})).toBeNull();
    expect(cacheKeyOf("GET", "/numbers/1", { "next-action": "abc" })).toBeNull();
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
