import { test, expect, readEvents } from "./fixtures";
import { startServer } from "./servers";
import { hostileMessages, HOSTILE_TEXTS } from "./xss-payloads";

type Message = { id: number; from: string; text: string };

test.describe("hostile SMS through the API", () => {
  test("are stored and served by the JSON API exactly as sent", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const sent = hostileMessages(number, "xss-api");
    const posted = await numbox.inbound(gateway, key, { messages: sent });
    expect(posted.status, await posted.clone().text()).toBe(200);
    expect(((await posted.json()) as { accepted: number }).accepted).toBe(sent.length);

    const response = await numbox.get(`/api/v1/numbers/${digits}/messages?limit=100`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const { messages } = (await response.json()) as { messages: Message[] };
    // Newest first: reversed, they are in the order sent.
    expect(messages.reverse().map(({ from, text }) => ({ from, text }))).toEqual(
      sent.map(({ from, text }) => ({ from, text })),
    );
  });

  test("are streamed by SSE exactly as sent, one event each, with no forged events", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const sent = hostileMessages(number, "xss-sse");
    expect((await numbox.inbound(gateway, key, { messages: sent.slice(0, 20) })).status).toBe(200);

    // Replay (the first 20) and live delivery (the rest), through one stream.
    const stream = await numbox.get(`/api/v1/numbers/${digits}/stream?after=0`);
    expect(stream.status).toBe(200);
    const events = readEvents(stream, sent.length);
    expect((await numbox.inbound(gateway, key, { messages: sent.slice(20) })).status).toBe(200);

    const received = await events;
    expect(received).toHaveLength(sent.length);
    for (const event of received) {
      expect(event.event).toBe("message");
      const message = JSON.parse(event.data) as Message;
      expect(event.id).toBe(String(message.id));
    }
    expect(received.map((e) => JSON.parse(e.data) as Message).map(({ from, text }) => ({ from, text }))).toEqual(
      sent.map(({ from, text }) => ({ from, text })),
    );
    // The text that imitates SSE framing stayed inside its JSON string.
    expect(received.some((e) => e.id === "999999999")).toBe(false);
    expect(HOSTILE_TEXTS.some((t) => t.includes("event: message"))).toBe(true);
  });
});

test.describe("security headers", () => {
  test("every kind of response carries nosniff, no-referrer, no framing, and no X-Powered-By", async ({ numbox }) => {
    const { digits } = await numbox.gatewayWithNumber();
    const home = await numbox.get("/");
    const script = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(await home.text())?.[1];
    expect(script, "the home page loads a Next chunk").toBeTruthy();

    const responses = {
      page: home,
      inbox: await numbox.get(`/numbers/${digits}`),
      "not found page": await numbox.get("/numbers/123"),
      "JSON API": await numbox.get("/api/v1/countries"),
      "JSON API error": await numbox.get("/api/v1/numbers/abc/messages"),
      "unknown API path": await numbox.get("/api/v2/nothing"),
      ingestion: await numbox.inbound("no-such-gateway", "key", {}),
      "static chunk": await numbox.get(script!),
      "public file": await numbox.get("/gateway/numbox-gammu.sh"),
      icon: await numbox.get("/icon.svg"),
    };
    for (const [kind, response] of Object.entries(responses)) {
      expect(response.status, kind).toBeLessThan(500);
      expect(response.headers.get("x-content-type-options"), kind).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), kind).toBe("no-referrer");
      expect(response.headers.get("x-frame-options"), kind).toBe("DENY");
      expect(response.headers.get("x-powered-by"), kind).toBeNull();
      expect(response.headers.get("content-security-policy"), kind).toContain("frame-ancestors 'none'");
      // PUBLIC_URL is http here: no HSTS (it would lock a plain-http site out of browsers).
      expect(response.headers.get("strict-transport-security"), kind).toBeNull();
    }
    // An unknown API path answers like the API, not with the HTML 404 page.
    expect(await responses["unknown API path"].json()).toMatchObject({ error: "not_found" });
    for (const kind of ["JSON API", "JSON API error", "ingestion"] as const) {
      expect(responses[kind].headers.get("content-security-policy"), kind).toMatch(/^default-src 'none'/);
    }
  });

  test("pages get a fresh CSP nonce per response, and Next puts it on every script", async ({ numbox }) => {
    const nonces: string[] = [];
    for (const path of ["/", "/", "/docs/gateways", "/numbers/123"]) {
      // A client-sent CSP request header must not get to choose the nonce.
      const response = await numbox.get(path, { "Content-Security-Policy": "script-src 'nonce-chosen-by-client'" });
      const policy = response.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
      expect(nonce, `${path}: ${policy}`).toBeTruthy();
      expect(policy).toContain("'strict-dynamic'");
      expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(policy).not.toContain("unsafe-eval");
      expect(policy).toContain("connect-src 'self'");
      expect(policy).toContain("object-src 'none'");
      expect(policy).toContain("base-uri 'self'");
      expect(policy).toContain("form-action 'self'");
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
      expect(html).not.toContain("chosen-by-client");
      nonces.push(nonce!);
    }
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  test("a site served over https sends HSTS, and upgrades stray http requests", async () => {
    test.setTimeout(90_000); // its own server: a fresh embedded database takes a few seconds to create
    const server = await startServer("hsts", { PUBLIC_URL: "https://numbox.example", PGLITE_DIR: "memory://" });
    try {
      for (const path of ["/", "/api/v1/countries"]) {
        const response = await fetch(server.url + path);
        expect(response.status, path).toBe(200);
        expect(response.headers.get("strict-transport-security"), path).toMatch(/^max-age=\d{8,}/);
      }
      expect((await fetch(server.url)).headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    } finally {
      await server.stop();
    }
  });
});
