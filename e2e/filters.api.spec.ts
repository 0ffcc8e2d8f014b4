import { test, expect, readEvents } from "./fixtures";

type Message = {
  id: number;
  from: string;
  text: string;
  code: string | null;
  service: string | null;
  links: { href: string; text: string }[];
};
type Page = { messages: Message[]; next: number | null };

const SENT = [
  { from: "Google", text: "G-111111 is your Google verification code." },
  { from: "VM-GOOGLE", text: "G-222222 is your Google verification code." },
  {
    from: "+12025550143",
    text: "<#> Your WhatsApp code: 333-333\nYou can also tap this link: https://v.whatsapp.com/333333",
  },
  { from: "Telegram", text: "Telegram code: 44444\n\nLog in: https://t.me/login/44444 (or javascript:alert(1))" },
  { from: "+12025550143", text: "100% off with code_55, see www.example.com." },
  { from: "VM-HDFCBK", text: "OTP 666666 for your card" },
];

test.describe("filters on the messages API", () => {
  test("from=, service= and q= narrow the inbox; every message says its service and its safe links", async ({
    numbox,
  }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const stored = await numbox.inbound(gateway, key, { messages: SENT.map((m) => ({ to: number, ...m })) });
    expect(stored.status).toBe(200);
    const texts = async (query: string) => {
      const response = await numbox.get(`/api/v1/numbers/${digits}/messages?${query}`);
      expect(response.status, query).toBe(200);
      return ((await response.json()) as Page).messages.map((m) => m.text);
    };
    const [g1, g2, w, t, pct, bank] = SENT.map((m) => m.text) as [string, string, string, string, string, string];

    expect(await texts("from=google")).toEqual([g1]);
    expect(await texts("from=VM-Google")).toEqual([g2]);
    expect(await texts("service=google")).toEqual([g2, g1]);
    expect(await texts("service=whatsapp")).toEqual([w]);
    expect(await texts("service=hdfcbk")).toEqual([bank]);
    expect(await texts("service=uber")).toEqual([]);
    expect(await texts("q=VERIFICATION")).toEqual([g2, g1]);
    expect(await texts("q=vm-")).toEqual([bank, g2]);
    expect(await texts(`q=${encodeURIComponent("100%")}`)).toEqual([pct]);
    expect(await texts("q=code_5")).toEqual([pct]);
    // As wildcards, these would match "100%" and everything.
    expect(await texts("q=100_")).toEqual([]);
    expect(await texts("q=%25%25")).toEqual([]);
    expect(await texts("service=google&q=222")).toEqual([g2]);

    const all = (await (await numbox.get(`/api/v1/numbers/${digits}/messages`)).json()) as Page;
    const byText = new Map(all.messages.map((m) => [m.text, m]));
    expect(byText.get(g1)).toMatchObject({ from: "Google", code: "111111", service: "google", links: [] });
    expect(byText.get(w)).toMatchObject({
      service: "whatsapp",
      links: [{ href: "https://v.whatsapp.com/333333", text: "https://v.whatsapp.com/333333" }],
    });
    // Only http(s) and www. links, and only where they go is what is written.
    expect(byText.get(t)!.links).toEqual([{ href: "https://t.me/login/44444", text: "https://t.me/login/44444" }]);
    expect(byText.get(pct)!.links).toEqual([{ href: "https://www.example.com/", text: "www.example.com" }]);

    // With the cursors: a page after the first Google message, then the next older page before the second.
    const googleIds = all.messages.filter((m) => m.service === "google").map((m) => m.id);
    expect(await texts(`service=google&after=${googleIds[1]}`)).toEqual([g2]);
    const first = (await (
      await numbox.get(`/api/v1/numbers/${digits}/messages?service=google&limit=1`)
    ).json()) as Page;
    expect(first.messages.map((m) => m.text)).toEqual([g2]);
    expect(await texts(`service=google&before=${first.next}`)).toEqual([g1]);
  });

  test("wait takes service= and answers with the first message of that service", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const waiting = numbox.get(`/api/v1/numbers/${digits}/wait?service=telegram&after=0&timeout=20`);
    for (const m of SENT) expect((await numbox.inbound(gateway, key, { to: number, ...m })).status).toBe(200);
    const response = await waiting;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ from: "Telegram", code: "44444", service: "telegram" });
  });

  test("the stream's messages carry their service and links too", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const stream = await numbox.get(`/api/v1/numbers/${digits}/stream?after=0`);
    expect(stream.status).toBe(200);
    expect((await numbox.inbound(gateway, key, { to: number, ...SENT[3] })).status).toBe(200);
    const [event] = await readEvents(stream, 1);
    expect(JSON.parse(event!.data)).toMatchObject({
      service: "telegram",
      links: [{ href: "https://t.me/login/44444", text: "https://t.me/login/44444" }],
    });
  });
});

test.describe("query parameters the public API does not take", () => {
  test("are a 400 unknown_parameter naming them, on every public route", async ({ numbox }) => {
    const { digits } = await numbox.gatewayWithNumber();
    const base = `/api/v1/numbers/${digits}`;
    for (const [path, name] of [
      ["/api/v1/countries?country=UZ", "country"],
      ["/api/v1/numbers?country=UZ&service=google", "service"],
      [`${base}/messages?form=Google`, "form"],
      [`${base}/messages?limit=5&_=1700000000`, "_"],
      [`${base}/stream?after=0&from=Google`, "from"],
      [`${base}/wait?timeout=1&q=code`, "q"],
    ]) {
      const response = await numbox.get(path!);
      expect(response.status, path).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/json");
      const body = (await response.json()) as { error: string; detail: string };
      expect(body.error, path).toBe("unknown_parameter");
      expect(body.detail, path).toContain(`'${name}'`);
    }
    const report = await fetch(`${numbox.url}${base}/reports?spam=1`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ service: "WhatsApp" }),
    });
    expect(report.status).toBe(400);
    expect(await report.json()).toMatchObject({ error: "unknown_parameter" });
  });

  test("a parameter given twice is a 400 ambiguous_parameter; a bad filter a 400 invalid_parameter", async ({
    numbox,
  }) => {
    const { digits } = await numbox.gatewayWithNumber();
    const base = `/api/v1/numbers/${digits}`;
    for (const [path, code] of [
      [`${base}/messages?service=google&service=uber`, "ambiguous_parameter"],
      [`${base}/messages?limit=5&limit=5`, "ambiguous_parameter"],
      [`${base}/wait?timeout=1&timeout=2`, "ambiguous_parameter"],
      [`${base}/stream?after=1&after=2`, "ambiguous_parameter"],
      [`${base}/messages?q=a`, "invalid_parameter"],
      [`${base}/messages?q=${"a".repeat(101)}`, "invalid_parameter"],
      [`${base}/messages?from=${"a".repeat(33)}`, "invalid_parameter"],
      [`${base}/messages?from=a%00b`, "invalid_parameter"],
      [`${base}/messages?service=${"a".repeat(41)}`, "invalid_parameter"],
      [`${base}/wait?timeout=1&contains=%01`, "invalid_parameter"],
    ]) {
      const response = await numbox.get(path!);
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { error: string }).error, path).toBe(code);
    }
  });
});
