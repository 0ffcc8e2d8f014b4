import { test, expect, readEvents } from "./fixtures";

type Message = { id: number; from: string; text: string; code: string | null };

test.describe("public read API", () => {
  test("countries and numbers", async ({ numbox }) => {
    const { number, digits } = await numbox.gatewayWithNumber();
    const countries = (await (await numbox.get("/api/v1/countries")).json()) as {
      code: string;
      name: string;
      numbers: number;
    }[];
    const uz = countries.find((c) => c.code === "UZ");
    expect(uz?.name).toBe("Uzbekistan");
    expect(uz?.numbers).toBeGreaterThanOrEqual(1);

    const numbers = (await (await numbox.get("/api/v1/numbers?country=uz")).json()) as Record<string, unknown>[];
    const mine = numbers.find((n) => n.number === number);
    expect(mine).toMatchObject({
      number,
      digits,
      country: "UZ",
      status: "active",
      lastMessageAt: null,
      messages24h: 0,
    });

    const bad = await numbox.get("/api/v1/numbers?country=Uzbekistan");
    expect(bad.status).toBe(400);
  });

  test("messages page newest first through a cursor, without gaps or repeats", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const sent = Array.from({ length: 7 }, (_, i) => ({ to: number, from: "Svc", text: `message ${i}` }));
    expect((await numbox.inbound(gateway, key, { messages: sent })).status).toBe(200);

    const seen: string[] = [];
    let cursor: number | null = null;
    do {
      const page: { messages: Message[]; next: number | null } = await (
        await numbox.get(`/api/v1/numbers/${digits}/messages?limit=3${cursor ? `&before=${cursor}` : ""}`)
      ).json();
      seen.push(...page.messages.map((m) => m.text));
      cursor = page.next;
    } while (cursor !== null);
    expect(seen).toEqual(sent.map((m) => m.text).reverse());

    const all = (await (await numbox.get(`/api/v1/numbers/%2B${digits}/messages?limit=100`)).json())
      .messages as Message[];
    const after = await (await numbox.get(`/api/v1/numbers/${digits}/messages?after=${all[3]!.id}`)).json();
    expect(after.messages.map((m: Message) => m.text)).toEqual(["message 6", "message 5", "message 4"]);
  });

  test("unknown numbers are 404, malformed parameters 400", async ({ numbox }) => {
    const { digits } = await numbox.gatewayWithNumber();
    const cases: [string, number, string][] = [
      ["/api/v1/numbers/998000000001/messages", 404, "unknown_number"],
      ["/api/v1/numbers/not-a-number/messages", 400, "invalid_number"],
      [`/api/v1/numbers/${digits}/messages?limit=0`, 400, "invalid_parameter"],
      [`/api/v1/numbers/${digits}/messages?limit=1000`, 400, "invalid_parameter"],
      [`/api/v1/numbers/${digits}/messages?before=-5`, 400, "invalid_parameter"],
      [`/api/v1/numbers/${digits}/messages?before=99999999999999999999`, 400, "invalid_parameter"],
      ["/api/v1/numbers/998000000001/stream", 404, "unknown_number"],
      [`/api/v1/numbers/${digits}/wait?timeout=100000`, 400, "invalid_parameter"],
    ];
    for (const [path, status, code] of cases) {
      const response = await numbox.get(path);
      expect(response.status, path).toBe(status);
      expect((await response.json()).error, path).toBe(code);
    }
    const badHeader = await numbox.get(`/api/v1/numbers/${digits}/stream`, { "Last-Event-ID": "x".repeat(5000) });
    expect(badHeader.status).toBe(400);
  });
});

test.describe("live stream", () => {
  test("streams new messages as they are stored, with the SSE headers proxies need", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const response = await numbox.get(`/api/v1/numbers/${digits}/stream`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("cache-control")).toContain("no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");

    const events = readEvents(response, 2);
    await numbox.inbound(gateway, key, {
      to: number,
      from: "Google",
      text: "G-482913 is your Google verification code.",
    });
    await numbox.inbound(gateway, key, { to: number, from: "Bank", text: "line one\nline two" });
    const [first, second] = await events;
    expect(first?.event).toBe("message");
    const message = JSON.parse(first!.data) as Message;
    expect(message).toMatchObject({ from: "Google", code: "482913" });
    expect(first?.id).toBe(String(message.id));
    expect((JSON.parse(second!.data) as Message).text).toBe("line one\nline two");
  });

  test("replays what came after Last-Event-ID or ?after=, then goes live", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const stored = (await (
      await numbox.inbound(gateway, key, {
        messages: ["a", "b", "c"].map((text) => ({ to: number, from: "S", text })),
      })
    ).json()) as { ids: number[] };

    const byQuery = await readEvents(await numbox.get(`/api/v1/numbers/${digits}/stream?after=${stored.ids[0]}`), 2);
    expect(byQuery.map((e) => JSON.parse(e.data).text)).toEqual(["b", "c"]);

    // The header wins over the query: it is what a reconnecting EventSource knows last.
    const response = await numbox.get(`/api/v1/numbers/${digits}/stream?after=0`, {
      "Last-Event-ID": String(stored.ids[1]),
    });
    const events = readEvents(response, 2);
    await numbox.inbound(gateway, key, { to: number, from: "S", text: "d" });
    expect((await events).map((e) => JSON.parse(e.data).text)).toEqual(["c", "d"]);
  });
});

test.describe("wait for a message", () => {
  test("returns the next matching message, or 204 on timeout", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const first = await numbox.inbound(gateway, key, { to: number, from: "Telegram", text: "Telegram code: 11111" });
    const [cursor] = ((await first.json()) as { ids: number[] }).ids;

    const timedOut = await numbox.get(`/api/v1/numbers/${digits}/wait?timeout=1`);
    expect(timedOut.status).toBe(204);

    // The cursor makes it "the next one after 11111" however late the wait itself arrives.
    const waiting = numbox.get(`/api/v1/numbers/${digits}/wait?after=${cursor}&from=whatsapp&contains=code&timeout=20`);
    await numbox.inbound(gateway, key, { to: number, from: "Telegram", text: "Telegram code: 22222" });
    await numbox.inbound(gateway, key, { to: number, from: "WhatsApp", text: "Your WhatsApp code: 333-444" });
    const response = await waiting;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ from: "WhatsApp", code: "333444" });

    const found = await numbox.get(`/api/v1/numbers/${digits}/wait?after=0&contains=11111&timeout=5`);
    expect((await found.json()).code).toBe("11111");
  });
});
