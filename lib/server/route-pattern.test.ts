import { describe, expect, it } from "vitest";
import { routeOf } from "./route-pattern";

describe("routeOf", () => {
  it("names a request by its route pattern, the same in every language", () => {
    expect(routeOf("/")).toBe("/");
    expect(routeOf("/ru")).toBe("/");
    expect(routeOf("/numbers/998940373339")).toBe("/numbers/{number}");
    expect(routeOf("/ar/numbers/998940373339")).toBe("/numbers/{number}");
    expect(routeOf("/countries/uz/")).toBe("/countries/{code}");
    expect(routeOf("/api/v1/numbers/998940373339/messages")).toBe("/api/v1/numbers/{number}/messages");
    expect(routeOf("/api/v1/numbers/%2B998940373339/feed.atom")).toBe("/api/v1/numbers/{number}/feed.atom");
    expect(routeOf("/api/v1/services/telegram/feed.json")).toBe("/api/v1/services/{service}/feed.json");
    expect(routeOf("/api/inbound/modem-1")).toBe("/api/inbound/{gateway}");
    expect(routeOf("/api/inbound/modem-1/heartbeat")).toBe("/api/inbound/{gateway}/heartbeat");
    expect(routeOf("/api/admin/gateways/modem-1/rotate")).toBe("/api/admin/gateways/{id}/rotate");
    expect(routeOf("/_next/static/chunks/abc.js")).toBe("/_next/{asset}");
  });

  it("puts whatever else a client sends under one label, so series stay bounded", () => {
    const guesses = ["/wp-login.php", "/.env", "/api/v1/numbers/1/2/3", "/numbers/1/extra", "/api/admin/x/y/z"];
    expect(new Set(guesses.map(routeOf))).toEqual(new Set(["other"]));
  });
});
