import { test, expect } from "./fixtures";

const ORIGIN = "https://tester.example";

test.describe("CORS on the public read API", () => {
  test("reads, errors and kept answers of the read API, stream, wait and feeds carry Access-Control-Allow-Origin: *", async ({
    numbox,
  }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    expect(
      (await numbox.inbound(gateway, key, { to: number, from: "Telegram", text: "Telegram code: 51234" })).status,
    ).toBe(200);
    const paths = [
      "/api/v1/countries",
      "/api/v1/numbers?country=UZ",
      `/api/v1/numbers/${digits}/messages`,
      // Twice: the second is answered from the page cache (lib/server/respond.ts).
      `/api/v1/numbers/${digits}/messages`,
      `/api/v1/numbers/${digits}/wait?after=0&timeout=1`,
      `/api/v1/numbers/${digits}/feed.rss`,
      `/api/v1/numbers/${digits}/feed.atom`,
      `/api/v1/numbers/${digits}/feed.json`,
      "/api/v1/services/telegram/feed.rss",
      "/api/v1/services/telegram/feed.atom",
      // Twice: the second is answered from the page cache, which keeps the service feeds with the lists.
      "/api/v1/services/telegram/feed.json",
      "/api/v1/services/telegram/feed.json",
      // Errors too, so that a script on another origin can read why.
      `/api/v1/numbers/${digits}/messages?limit=0`,
      `/api/v1/numbers/${digits}/messages?sevrice=google`,
      "/api/v1/numbers/998900000000/messages",
      "/api/v1/services/no-such-service-here/feed.rss",
    ];
    for (const path of paths) {
      const response = await numbox.get(path, { Origin: ORIGIN });
      expect(response.headers.get("access-control-allow-origin"), path).toBe("*");
      expect(response.headers.get("access-control-allow-credentials"), path).toBeNull();
      expect(response.headers.get("access-control-expose-headers"), path).toContain("Retry-After");
      await response.body?.cancel();
    }

    const stream = await numbox.get(`/api/v1/numbers/${digits}/stream?after=0`, {
      Origin: ORIGIN,
      Accept: "text/event-stream",
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    expect(stream.headers.get("access-control-allow-origin")).toBe("*");
    await stream.body?.cancel();

    // A revalidation that ends in 304 still says so: once rendered afresh (an operator's change, here making a
    // number, makes every kept answer stale), once answered from the kept copy.
    const kept = await numbox.get(`/api/v1/numbers/${digits}/messages`, { Origin: ORIGIN });
    const etag = kept.headers.get("etag");
    expect(etag).toBeTruthy();
    await numbox.gatewayWithNumber();
    for (const copy of ["rendered afresh", "kept"]) {
      const revalidated = await numbox.get(`/api/v1/numbers/${digits}/messages`, {
        Origin: ORIGIN,
        "If-None-Match": etag!,
      });
      expect(revalidated.status, copy).toBe(304);
      expect(revalidated.headers.get("access-control-allow-origin"), copy).toBe("*");
    }
  });

  test("a preflight is answered 204 with the methods and headers a reader may use, Last-Event-ID among them", async ({
    numbox,
  }) => {
    const { digits } = await numbox.gatewayWithNumber();
    for (const route of ["messages", "stream", "wait"]) {
      const response = await fetch(`${numbox.url}/api/v1/numbers/${digits}/${route}?after=0`, {
        method: "OPTIONS",
        headers: {
          Origin: ORIGIN,
          "Access-Control-Request-Method": "GET",
          "Access-Control-Request-Headers": "last-event-id",
        },
      });
      expect(response.status, route).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
      expect(response.headers.get("access-control-allow-methods")).toBe("GET, HEAD, OPTIONS");
      const allowed = response.headers.get("access-control-allow-headers")!.toLowerCase().split(/,\s*/);
      expect(allowed).toContain("last-event-id");
      expect(Number(response.headers.get("access-control-max-age"))).toBeGreaterThan(0);
    }
  });

  test("the MCP server answers other origins: its preflight allows POST and an MCP client's headers, and every answer says so", async ({
    numbox,
  }) => {
    const preflight = await fetch(`${numbox.url}/api/mcp`, {
      method: "OPTIONS",
      headers: {
        Origin: ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept, mcp-protocol-version, mcp-session-id, last-event-id",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
    expect(preflight.headers.get("access-control-allow-methods")!.split(/,\s*/)).toContain("POST");
    const allowed = preflight.headers.get("access-control-allow-headers")!.toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(
      expect.arrayContaining(["content-type", "accept", "mcp-protocol-version", "mcp-session-id", "last-event-id"]),
    );
    expect(preflight.headers.get("access-control-expose-headers")!.toLowerCase()).toContain("mcp-session-id");

    const rpc = (body: string) =>
      fetch(`${numbox.url}/api/mcp`, {
        method: "POST",
        headers: { Origin: ORIGIN, "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
        body,
      });
    const listed = await rpc(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
    expect(listed.status).toBe(200);
    expect(listed.headers.get("access-control-allow-origin")).toBe("*");
    expect((await listed.json()).result.tools.length).toBeGreaterThan(0);
    // Errors too: a script on another origin can read why.
    const garbled = await rpc("{not json");
    expect(garbled.status).toBe(400);
    expect(garbled.headers.get("access-control-allow-origin")).toBe("*");
    await garbled.body?.cancel();
  });

  test("never on ingestion, the admin API or reports: no header on their answers or preflights", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const answers = [
      await numbox.inbound(gateway, key, { to: number, from: "Svc", text: "hello" }, { Origin: ORIGIN }),
      await fetch(`${numbox.url}/api/admin/numbers`, {
        headers: { Origin: ORIGIN, Authorization: `Bearer ${numbox.adminToken}` },
      }),
      await fetch(`${numbox.url}/api/v1/numbers/${digits}/reports`, {
        method: "POST",
        headers: { Origin: ORIGIN, "Content-Type": "application/json" },
        // Refused before it counts against the address's reports budget, which other tests need.
        body: JSON.stringify({}),
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 422]);
    for (const path of [`/api/inbound/${gateway}`, "/api/admin/numbers", `/api/v1/numbers/${digits}/reports`]) {
      const preflight = await fetch(`${numbox.url}${path}`, {
        method: "OPTIONS",
        headers: {
          Origin: ORIGIN,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization, content-type",
        },
      });
      answers.push(preflight);
    }
    for (const answer of answers) {
      expect(answer.headers.get("access-control-allow-origin"), answer.url).toBeNull();
      expect(answer.headers.get("access-control-allow-methods"), answer.url).toBeNull();
      await answer.body?.cancel();
    }
  });
});
