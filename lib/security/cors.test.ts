import { describe, expect, it } from "vitest";
import { corsHeaders, isCrossOriginReadable, preflightHeaders } from "./cors";

describe("which routes other origins may read", () => {
  it.each([
    "/api/v1/countries",
    "/api/v1/numbers",
    "/api/v1/numbers/998940373339/messages",
    "/api/v1/numbers/%2B998940373339/stream",
    "/api/v1/numbers/998940373339/wait",
    "/api/v1/openapi.json",
    "/api/v1/services/telegram/feed.rss",
    "/api/v1/services/telegram/feed.atom",
    "/api/v1/services/%D1%81%D0%B1%D0%B5%D1%80/feed.json",
    "/api/mcp",
  ])("%s: yes", (path) => {
    expect(isCrossOriginReadable(path)).toBe(true);
  });

  it.each([
    "/api/inbound/modem-1",
    "/api/inbound/modem-1/heartbeat",
    "/api/admin/numbers",
    "/api/admin/messages/1",
    "/api/v1/numbers/998940373339/reports",
    "/api/v1/numbers/998940373339/messages/extra",
    "/api/v1/unknown",
    "/api/v1/services/telegram",
    "/api/v1/services/telegram/feed.xml",
    "/api/mcp/extra",
    "/numbers/998940373339",
    "/",
  ])("%s: no", (path) => {
    expect(isCrossOriginReadable(path)).toBe(false);
  });

  it("allows the read API GET and HEAD, and the MCP server POST with the headers an MCP client sends", () => {
    expect(preflightHeaders("/api/v1/services/telegram/feed.json")).toMatchObject({
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    });
    const mcp = preflightHeaders("/api/mcp")!;
    expect(mcp["Access-Control-Allow-Origin"]).toBe("*");
    expect(mcp["Access-Control-Allow-Methods"]!.split(", ")).toContain("POST");
    expect(mcp["Access-Control-Allow-Headers"]!.split(", ")).toEqual(
      expect.arrayContaining(["Content-Type", "Accept", "Mcp-Protocol-Version", "Mcp-Session-Id", "Last-Event-ID"]),
    );
    expect(corsHeaders("/api/mcp")!["Access-Control-Expose-Headers"]!.split(", ")).toEqual([
      "Retry-After",
      "ETag",
      "Mcp-Session-Id",
    ]);
    expect(corsHeaders("/api/v1/numbers")!["Access-Control-Expose-Headers"]).toBe("Retry-After, ETag");
    for (const path of ["/api/inbound/modem-1", "/api/admin/numbers", "/api/v1/numbers/998940373339/reports"]) {
      expect(preflightHeaders(path)).toBeNull();
      expect(corsHeaders(path)).toBeNull();
    }
  });
});
