import { test, expect } from "./fixtures";

type Accepted = { accepted: number; duplicates: number; ids: number[] };

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  const body = (await response.json()) as { error: string; detail: string };
  expect(body.error).toBe(code);
  expect(body.detail.length).toBeGreaterThan(10);
  return body;
}

test.describe("POST /api/inbound/{gateway} (generic)", () => {
  test("stores a message, answers after the commit, and it is readable at once", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const response = await numbox.inbound(gateway, key, {
      to: number,
      from: "Telegram",
      text: "Telegram code: 51234",
      receivedAt: "2026-11-22T10:00:00Z",
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Accepted;
    expect(body).toMatchObject({ accepted: 1, duplicates: 0 });

    const page = await (await numbox.get(`/api/v1/numbers/${digits}/messages`)).json();
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({
      id: body.ids[0],
      number,
      from: "Telegram",
      text: "Telegram code: 51234",
      code: "51234",
      receivedAt: "2026-11-22T10:00:00.000Z",
    });
  });

  test("keeps senders as sent and text exactly, in any script", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const senders = ["Google", "VM-HDFCBK", "12345", "07911123456", "+14155550199", "Unknown sender"];
    const text = 'Код: 4821 — رمز 5821 — 验证码 839201 — 🎉👍🏽 — €[]{}~ & = % + "quotes"\nline two';
    const response = await numbox.inbound(gateway, key, {
      messages: senders.map((from) => ({ to: number.slice(1), from, text })),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Accepted).accepted).toBe(senders.length);
    const page = await (await numbox.get(`/api/v1/numbers/${digits}/messages?limit=10`)).json();
    expect(page.messages.map((m: { from: string }) => m.from).reverse()).toEqual(senders);
    for (const m of page.messages) expect(m.text).toBe(text);
  });

  test("the same request ten times in parallel is stored once, and all ten get a 2xx", async ({ numbox }) => {
    const { gateway, key, digits, number } = await numbox.gatewayWithNumber();
    const message = { to: number, from: "WhatsApp", text: "Your WhatsApp code: 123-456", id: "modem-1:000042" };
    const responses = await Promise.all(Array.from({ length: 10 }, () => numbox.inbound(gateway, key, message)));
    const bodies = await Promise.all(responses.map((r) => r.json() as Promise<Accepted>));
    for (const r of responses) expect(r.status).toBe(200);
    expect(bodies.filter((b) => b.accepted === 1)).toHaveLength(1);
    expect(new Set(bodies.map((b) => b.ids[0])).size).toBe(1);
    const page = await (await numbox.get(`/api/v1/numbers/${digits}/messages`)).json();
    expect(page.messages).toHaveLength(1);
  });

  test("parallel batches of the same ids in different orders all get a 200, and each message is stored once", async ({
    numbox,
  }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const ids = Array.from({ length: 20 }, (_, i) => `spool-${i}`);
    const message = (id: string) => ({ to: number, from: "Svc", text: `message ${id}`, id });
    // Eight hosts replaying one spool at once, each in its own order: rotated, and every other one reversed.
    const batches = Array.from({ length: 8 }, (_, b) => {
      const rotated = ids.map((_, i) => ids[(i + b * 3) % ids.length]!);
      return (b % 2 ? rotated.reverse() : rotated).map(message);
    });
    const responses = await Promise.all(batches.map((messages) => numbox.inbound(gateway, key, { messages })));
    const bodies = await Promise.all(responses.map((r) => r.json() as Promise<Accepted>));
    expect(responses.map((r) => r.status)).toEqual(batches.map(() => 200));
    expect(bodies.reduce((n, b) => n + b.accepted, 0)).toBe(ids.length);

    const page = await (await numbox.get(`/api/v1/numbers/${digits}/messages?limit=100`)).json();
    expect(page.messages.map((m: { text: string }) => m.text).sort()).toEqual(ids.map((id) => `message ${id}`).sort());
  });

  test("a reused id with different content is a conflict, and the first message stays", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    expect((await numbox.inbound(gateway, key, { to: number, from: "A", text: "one", id: "k1" })).status).toBe(200);
    await expectError(
      await numbox.inbound(gateway, key, { to: number, from: "A", text: "two", id: "k1" }),
      409,
      "idempotency_conflict",
    );
    const page = await (await numbox.get(`/api/v1/numbers/${digits}/messages`)).json();
    expect(page.messages.map((m: { text: string }) => m.text)).toEqual(["one"]);
  });

  test("a batch is all or nothing", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const response = await numbox.inbound(gateway, key, {
      messages: [
        { to: number, from: "A", text: "first" },
        { to: number, from: "B", text: "second" },
        { to: "+998000000000", from: "C", text: "third, to a number that is not ours" },
      ],
    });
    const body = await expectError(response, 422, "unknown_recipient");
    expect(body.detail).toContain("messages[2]");
    const page = await (await numbox.get(`/api/v1/numbers/${digits}/messages`)).json();
    expect(page.messages).toEqual([]);
  });

  test("heartbeat records the host as alive", async ({ numbox }) => {
    const { gateway, key, digits } = await numbox.gatewayWithNumber();
    const before = (await (await numbox.get(`/api/v1/numbers?country=UZ`)).json()) as {
      digits: string;
      health: string;
    }[];
    expect(before.find((n) => n.digits === digits)?.health).toBe("offline");
    const response = await fetch(`${numbox.url}/api/inbound/${gateway}/heartbeat`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
    const after = (await (await numbox.get(`/api/v1/numbers?country=UZ`)).json()) as {
      digits: string;
      health: string;
    }[];
    expect(after.find((n) => n.digits === digits)?.health).toBe("quiet");
    await expectError(
      await fetch(`${numbox.url}/api/inbound/${gateway}/heartbeat`, {
        method: "POST",
        headers: { Authorization: "Bearer nope" },
      }),
      401,
      "bad_key",
    );
  });

  test.describe("bad input gets a clear 4xx and stores nothing", () => {
    const cases: {
      name: string;
      status: number;
      code: string;
      send: (g: { gateway: string; key: string; number: string }) => Parameters<typeof fetch>;
    }[] = [
      {
        name: "unknown gateway",
        status: 404,
        code: "unknown_gateway",
        send: ({ key, number }) => [`/api/inbound/no-such-gateway`, post(key, { to: number, from: "A", text: "x" })],
      },
      {
        name: "missing key",
        status: 401,
        code: "missing_credentials",
        send: ({ gateway, number }) => [`/api/inbound/${gateway}`, post(null, { to: number, from: "A", text: "x" })],
      },
      {
        name: "wrong key",
        status: 401,
        code: "bad_key",
        send: ({ gateway, number }) => [
          `/api/inbound/${gateway}`,
          post("nbx_wrong", { to: number, from: "A", text: "x" }),
        ],
      },
      {
        name: "malformed JSON",
        status: 400,
        code: "malformed_body",
        send: ({ gateway, key }) => [`/api/inbound/${gateway}`, post(key, '{"to": "+1", "from": ')],
      },
      {
        name: "JSON that is not an object",
        status: 400,
        code: "malformed_body",
        send: ({ gateway, key }) => [`/api/inbound/${gateway}`, post(key, "[1,2,3]")],
      },
      {
        name: "wrong content type",
        status: 415,
        code: "unsupported_media_type",
        send: ({ gateway, key, number }) => [
          `/api/inbound/${gateway}`,
          post(key, `to=${number}&from=A&text=x`, "application/x-www-form-urlencoded"),
        ],
      },
      {
        name: "body over the limit",
        status: 413,
        code: "payload_too_large",
        send: ({ gateway, key, number }) => [
          `/api/inbound/${gateway}`,
          post(key, { to: number, from: "A", text: "x".repeat(300 * 1024) }),
        ],
      },
      {
        name: "missing sender",
        status: 422,
        code: "missing_sender",
        send: ({ gateway, key, number }) => [`/api/inbound/${gateway}`, post(key, { to: number, text: "x" })],
      },
      {
        name: "empty sender",
        status: 422,
        code: "missing_sender",
        send: ({ gateway, key, number }) => [
          `/api/inbound/${gateway}`,
          post(key, { to: number, from: "  ", text: "x" }),
        ],
      },
      {
        name: "sender with control characters",
        status: 422,
        code: "invalid_sender",
        send: ({ gateway, key, number }) => [
          `/api/inbound/${gateway}`,
          post(key, { to: number, from: "A\u0007B", text: "x" }),
        ],
      },
      {
        name: "sender with more digits than a phone number",
        status: 422,
        code: "invalid_sender",
        send: ({ gateway, key, number }) => [
          `/api/inbound/${gateway}`,
          post(key, { to: number, from: "1234567890123456789012", text: "x" }),
        ],
      },
      {
        name: "missing text",
        status: 422,
        code: "missing_text",
        send: ({ gateway, key, number }) => [`/api/inbound/${gateway}`, post(key, { to: number, from: "A" })],
      },
      {
        name: "text with a NUL character",
        status: 422,
        code: "invalid_text",
        send: ({ gateway, key, number }) => [
          `/api/inbound/${gateway}`,
          post(key, { to: number, from: "A", text: "a\u0000b" }),
        ],
      },
      {
        name: "text with an unpaired surrogate",
        status: 422,
        code: "invalid_text",
        send: ({ gateway, key, number }) => [
          `/api/inbound/${gateway}`,
          post(key, `{"to":"${number}","from":"A","text":"bad \\ud800 half"}`),
        ],
      },
      {
        name: "invalid UTF-8",
        status: 400,
        code: "invalid_utf8",
        send: ({ gateway, key, number }) => [
          `/api/inbound/${gateway}`,
          post(
            key,
            Buffer.concat([
              Buffer.from(`{"to":"${number}","from":"A","text":"`),
              Buffer.from([0xc3, 0x28]),
              Buffer.from('"}'),
            ]),
          ),
        ],
      },
      {
        name: "missing recipient",
        status: 422,
        code: "missing_recipient",
        send: ({ gateway, key }) => [`/api/inbound/${gateway}`, post(key, { from: "A", text: "x" })],
      },
      {
        name: "recipient that is not one of the gateway's numbers",
        status: 422,
        code: "unknown_recipient",
        send: ({ gateway, key }) => [
          `/api/inbound/${gateway}`,
          post(key, { to: "+447512345678", from: "A", text: "x" }),
        ],
      },
      {
        name: "unparseable receivedAt",
        status: 422,
        code: "invalid_received_at",
        send: ({ gateway, key, number }) => [
          `/api/inbound/${gateway}`,
          post(key, { to: number, from: "A", text: "x", receivedAt: "yesterday" }),
        ],
      },
      {
        name: "empty batch",
        status: 422,
        code: "invalid_batch",
        send: ({ gateway, key }) => [`/api/inbound/${gateway}`, post(key, { messages: [] })],
      },
      {
        name: "batch of more than 100",
        status: 422,
        code: "invalid_batch",
        send: ({ gateway, key, number }) => [
          `/api/inbound/${gateway}`,
          post(key, { messages: Array.from({ length: 101 }, () => ({ to: number, from: "A", text: "x" })) }),
        ],
      },
    ];

    for (const c of cases) {
      test(`${c.name} → ${c.status} ${c.code}`, async ({ numbox }) => {
        const g = await numbox.gatewayWithNumber();
        const [path, init] = c.send(g);
        await expectError(await fetch(numbox.url + path, init), c.status, c.code);
        const page = await (await numbox.get(`/api/v1/numbers/${g.digits}/messages`)).json();
        expect(page.messages).toEqual([]);
      });
    }

    test("a paused number does not accept messages", async ({ numbox }) => {
      const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
      const paused = await numbox.admin(`/numbers/${digits}`, { method: "PATCH", body: { status: "paused" } });
      expect(paused.status).toBe(200);
      await expectError(
        await numbox.inbound(gateway, key, { to: number, from: "A", text: "x" }),
        422,
        "unknown_recipient",
      );
    });

    test("GET is not how messages are posted", async ({ numbox }) => {
      const { gateway } = await numbox.gatewayWithNumber();
      const response = await fetch(`${numbox.url}/api/inbound/${gateway}`);
      await expectError(response, 405, "method_not_allowed");
      expect(response.headers.get("allow")).toBe("POST");
    });
  });
});

test("an unreachable database answers 503 so that the sender retries", async () => {
  const response = await fetch(
    `${process.env.NUMBOX_BROKEN_URL}/api/inbound/modem-1`,
    post("k", { to: "+998940373339", from: "A", text: "x" }),
  );
  await expectError(response, 503, "database_unavailable");
  expect(response.headers.get("retry-after")).toBeTruthy();
});

function post(key: string | null, body: unknown, contentType = "application/json"): RequestInit {
  return {
    method: "POST",
    headers: { "Content-Type": contentType, ...(key === null ? {} : { Authorization: `Bearer ${key}` }) },
    body: typeof body === "string" || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  };
}
