import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { PEER_HEADER } from "./client-address";
import { countAdminFailure, doorOf, guardDoor, type Limits } from "./doors";

const limits: Limits = {
  TRUST_PROXY: 0,
  TRUSTED_PROXIES: parseConfig({}).TRUSTED_PROXIES,
  REDIS_URL: undefined,
  ADMIN_TOKEN: "the-admin-token",
  PAGE_RATE_PER_MINUTE: 2,
  API_RATE_PER_MINUTE: 3,
  ADMIN_RATE_PER_MINUTE: 50,
  ADMIN_FAILURES_PER_HOUR: 2,
};

// Each test its own address: the limiters are process-wide.
let next = 1;
const freshPeer = () => `192.0.2.${next++}`;

const request = (path: string, peer: string, headers: Record<string, string> = {}) =>
  new Request(`http://numbox.test${path}`, { headers: { [PEER_HEADER]: peer, ...headers } });

async function statuses(path: string, peer: string, times: number, headers: Record<string, string> = {}, l = limits) {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push((await guardDoor(request(path, peer, headers), path, l))?.status ?? 200);
  return out;
}

describe("doorOf", () => {
  it("counts pages, the read API and the admin API; never static files or ingestion", () => {
    expect(doorOf("/")).toBe("page");
    // The MCP server spends the same per-address budget as the API it reads.
    expect(doorOf("/api/mcp")).toBe("api");
    expect(doorOf("/numbers/998940373339")).toBe("page");
    expect(doorOf("/numbers/998940373339.svg")).toBe("page");
    expect(doorOf("/docs/gateways")).toBe("page");
    expect(doorOf("/api/v1/numbers/998940373339/messages")).toBe("api");
    expect(doorOf("/api/admin/gateways")).toBe("admin");
    // The admin web UI shares the admin API's budget and lockout, never the public pages' budget.
    expect(doorOf("/admin")).toBe("admin");
    expect(doorOf("/admin/gateways")).toBe("admin");
    expect(doorOf("/administration")).toBe("page");
    for (const free of [
      "/_next/static/chunks/a.js",
      "/_next/image",
      "/icon.svg",
      "/favicon.ico",
      "/robots.txt",
      "/gateway/numbox-gammu.sh",
      "/api/inbound/modem-1",
      "/api/inbound/modem-1/heartbeat",
    ]) {
      expect(doorOf(free), free).toBeNull();
    }
  });
});

describe("guardDoor", () => {
  it("answers a page view over the budget with a 429 HTML page and Retry-After", async () => {
    const peer = freshPeer();
    expect(await statuses("/", peer, 2)).toEqual([200, 200]);
    const limited = (await guardDoor(request("/numbers/998940373339", peer), "/numbers/998940373339", limits))!;
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toMatch(/^text\/html/);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("Slow down");
    // Static files stay free for the limited address.
    expect(await statuses("/_next/static/chunks/main.js", peer, 5)).toEqual([200, 200, 200, 200, 200]);
  });

  it("writes the limit page in the language of the page asked for, Arabic right to left", async () => {
    const peer = freshPeer();
    expect(await statuses("/", peer, 2)).toEqual([200, 200]);
    const russian = await (await guardDoor(request("/ru/numbers/1", peer), "/ru/numbers/1", limits))!.text();
    expect(russian).toContain('<html lang="ru" dir="ltr">');
    expect(russian).toMatch(/<h1>Немного помедленнее<\/h1>/);
    expect(russian).toMatch(/Подождите <strong>\d+ секунд[уы]?<\/strong>/);
    const arabic = await (await guardDoor(request("/ar", peer), "/ar", limits))!.text();
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
    expect(arabic).toContain("تمهّل قليلًا");
    // An unknown first segment is an English page's path, not a language.
    const english = await (await guardDoor(request("/xx/numbers/1", peer), "/xx/numbers/1", limits))!.text();
    expect(english).toContain('<html lang="en" dir="ltr">');
  });

  it("answers an API call over the budget with 429 JSON rate_limited", async () => {
    const peer = freshPeer();
    const path = "/api/v1/countries";
    expect(await statuses(path, peer, 4)).toEqual([200, 200, 200, 429]);
    const limited = (await guardDoor(request(path, peer), path, limits))!;
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ error: "rate_limited" });
    // Another address has its own budget.
    expect(await statuses(path, freshPeer(), 1)).toEqual([200]);
  });

  it("does not let a forged X-Forwarded-For escape the budget when no proxy is trusted", async () => {
    const peer = freshPeer();
    const path = "/api/v1/countries";
    const forged = (i: number) => ({ "x-forwarded-for": `203.0.113.${i}` });
    const out = [];
    for (let i = 0; i < 4; i++)
      out.push((await guardDoor(request(path, peer, forged(i)), path, limits))?.status ?? 200);
    expect(out).toEqual([200, 200, 200, 429]);
  });

  it("behind a trusted proxy, keys by the forwarded client", async () => {
    const proxy = freshPeer();
    // Test peers are in 192.0.2.0/24: here that is where the operator's proxy sits.
    const trusted = {
      ...limits,
      TRUST_PROXY: 1,
      TRUSTED_PROXIES: parseConfig({ TRUSTED_PROXIES: "192.0.2.0/24" }).TRUSTED_PROXIES,
    };
    const path = "/api/v1/countries";
    expect(await statuses(path, proxy, 4, { "x-forwarded-for": "198.51.100.1" }, trusted)).toEqual([
      200, 200, 200, 429,
    ]);
    expect(await statuses(path, proxy, 1, { "x-forwarded-for": "198.51.100.2" }, trusted)).toEqual([200]);
    // The same header from a peer outside the operator's proxies is not believed: that peer is the client.
    const direct = `198.18.0.${next++}`;
    const forged = (i: number) => ({ "x-forwarded-for": `203.0.113.${i}` });
    const out = [];
    for (let i = 0; i < 4; i++)
      out.push((await guardDoor(request(path, direct, forged(i)), path, trusted))?.status ?? 200);
    expect(out).toEqual([200, 200, 200, 429]);
  });

  it("blocks an address after its budget of wrong admin tokens, even with the right one", async () => {
    const peer = freshPeer();
    const path = "/api/admin/gateways";
    const wrong = { authorization: "Bearer guess" };
    const right = { authorization: "Bearer the-admin-token" };
    // Right tokens are not failures; wrong ones pass through to the route's 401 until the budget is used.
    expect(await statuses(path, peer, 3, right)).toEqual([200, 200, 200]);
    expect(await statuses(path, peer, 2, wrong)).toEqual([200, 200]);
    expect(await statuses(path, peer, 1, wrong)).toEqual([429]);
    expect(await statuses(path, peer, 1, right)).toEqual([429]);
    expect(await statuses(path, freshPeer(), 1, right)).toEqual([200]);
  });

  it("counts wrong tokens of the sign-in form against the same lockout as the API's, and answers pages in text", async () => {
    const peer = freshPeer();
    const form = request("/admin/sign-in", peer);
    expect(await countAdminFailure(form, limits)).toBeNull();
    // One wrong sign-in and one wrong bearer token use up the budget of two together.
    expect(await statuses("/api/admin/gateways", peer, 1, { authorization: "Bearer guess" })).toEqual([200]);
    expect((await countAdminFailure(form, limits))?.status).toBe(429);
    expect(await statuses("/api/admin/gateways", peer, 1, { authorization: "Bearer the-admin-token" })).toEqual([429]);
    const page = (await guardDoor(request("/admin", peer), "/admin", limits))!;
    expect(page.status).toBe(429);
    expect(page.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await page.text()).toMatch(/more than 2 wrong admin tokens in an hour/);
  });

  it("counts only wrong tokens as guesses: no token, another scheme and preflights are not", async () => {
    const peer = freshPeer();
    const path = "/api/admin/gateways";
    // What any web page can make the operator's browser send, as often as it likes.
    expect(await statuses(path, peer, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(await statuses(path, peer, 5, { authorization: "Basic b3BlcmF0b3I6cGFzc3dvcmQ=" })).toEqual([
      200, 200, 200, 200, 200,
    ]);
    const preflight = () =>
      new Request(`http://numbox.test${path}`, {
        method: "OPTIONS",
        headers: {
          [PEER_HEADER]: peer,
          origin: "https://elsewhere.example",
          "access-control-request-method": "POST",
          authorization: "Bearer guess",
        },
      });
    for (let i = 0; i < 5; i++) expect(await guardDoor(preflight(), path, limits)).toBeNull();
    expect(await statuses(path, peer, 1, { authorization: "Bearer the-admin-token" })).toEqual([200]);
    // Wrong tokens still are.
    expect(await statuses(path, peer, 3, { authorization: "Bearer guess" })).toEqual([200, 200, 429]);
  });

  it("counts no failures when the admin API is off (nothing to guess)", async () => {
    const peer = freshPeer();
    const off = { ...limits, ADMIN_TOKEN: undefined };
    expect(await statuses("/api/admin/gateways", peer, 5, { authorization: "Bearer guess" }, off)).toEqual([
      200, 200, 200, 200, 200,
    ]);
  });
});
