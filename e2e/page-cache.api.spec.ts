import { request as httpRequest } from "node:http";
import { gunzipSync } from "node:zlib";
import { test, expect, type Numbox } from "./fixtures";

/**
 * Pages and the read API are served from memory until what they show changes (lib/server/respond.ts). From
 * outside that must look exactly like rendering every time: a new message, a hidden one, a host coming online
 * show on the next load; every page still carries its own nonce; and a client or proxy that revalidates gets a
 * 304 only while nothing changed.
 */
const nonceOf = (response: Response) =>
  /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];

/**
 * Loads a page, then asks again with its ETag: the 304 of a page nothing changed in between. The other tests
 * store messages and make admin edits all the while, and any message makes the lists (home, country pages) stale
 * and any admin edit everything: a 200 then is right, so the pair is tried again, a few times.
 */
async function revalidated(numbox: Numbox, path: string): Promise<{ first: Response; unchanged: Response }> {
  for (let attempt = 1; ; attempt++) {
    const first = await numbox.get(path);
    expect(first.status, path).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag, path).toMatch(/^W\/".+"$/);
    const unchanged = await numbox.get(path, { "If-None-Match": etag });
    if (unchanged.status === 304 || attempt === 5) {
      expect(unchanged.status, `${path}: 304 while nothing changed`).toBe(304);
      return { first, unchanged };
    }
  }
}

test.describe("pages kept until they change", () => {
  test("an inbox shows a new message on the next load, each load with its own nonce", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    // Two loads of the same kept page (another test's admin edit in between re-renders it: then load again).
    for (let attempt = 1; ; attempt++) {
      const first = await numbox.get(`/numbers/${digits}`);
      const again = await numbox.get(`/numbers/${digits}`);
      const [firstHtml, againHtml] = [await first.text(), await again.text()];
      const [a, b] = [nonceOf(first), nonceOf(again)];
      expect(a && b).toBeTruthy();
      expect(a).not.toBe(b);
      // Every script and style of the page carries the nonce of its own response, and no other.
      expect(againHtml).toContain(`nonce="${b}"`);
      expect(againHtml).not.toContain(a!);
      const same = againHtml.replaceAll(b!, "N") === firstHtml.replaceAll(a!, "N");
      if (same || attempt === 5) {
        expect(againHtml.replaceAll(b!, "N")).toBe(firstHtml.replaceAll(a!, "N"));
        break;
      }
    }

    expect((await numbox.inbound(gateway, key, { to: number, from: "Svc", text: "Your code is 724193" })).status).toBe(
      200,
    );
    expect(await (await numbox.get(`/numbers/${digits}`)).text()).toContain("Your code is 724193");
    const api = (await (await numbox.get(`/api/v1/numbers/${digits}/messages`)).json()) as {
      messages: { text: string }[];
    };
    expect(api.messages.map((m) => m.text)).toEqual(["Your code is 724193"]);
  });

  test("a revalidating client gets 304 while nothing changed, and the new page after a message", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    for (const path of [`/numbers/${digits}`, `/api/v1/numbers/${digits}/messages`]) {
      const { first, unchanged } = await revalidated(numbox, path);
      expect(first.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=2");
      expect(first.headers.get("vary")).toContain("Accept-Encoding");
      expect(await unchanged.text()).toBe("");
      // A 304 must not hand a browser's cached page a nonce its body does not carry.
      expect(unchanged.headers.get("content-security-policy")).toBeNull();
    }
    const etags = await Promise.all(
      [`/numbers/${digits}`, `/api/v1/numbers/${digits}/messages`].map(async (p) =>
        (await numbox.get(p)).headers.get("etag")!,
      ),
    );
    expect((await numbox.inbound(gateway, key, { to: number, from: "Svc", text: "changed" })).status).toBe(200);
    for (const [i, path] of [`/numbers/${digits}`, `/api/v1/numbers/${digits}/messages`].entries()) {
      const changed = await numbox.get(path, { "If-None-Match": etags[i]! });
      expect(changed.status, path).toBe(200);
      expect(await changed.text()).toContain("changed");
    }
  });

  test("gzip for clients that take it: the same page, its nonce in the header and the body", async ({ numbox }) => {
    const { digits } = await numbox.gatewayWithNumber();
    await numbox.get(`/numbers/${digits}`); // kept
    const raw = await new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const request = httpRequest(
          `${numbox.url}/numbers/${digits}`,
          { headers: { "Accept-Encoding": "gzip" } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
          },
        );
        request.on("error", reject);
        request.end();
      },
    );
    expect(raw.headers["content-encoding"]).toBe("gzip");
    const html = gunzipSync(raw.body).toString();
    const nonce = /'nonce-([^']+)'/.exec(String(raw.headers["content-security-policy"]))![1]!;
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html).toContain(`+${digits.slice(0, 3)}`);
    expect(Number(raw.headers["content-length"])).toBe(raw.body.length);
    expect(raw.body.length).toBeLessThan(html.length / 2);
  });

  test("the operator hiding a message or retiring a number shows on the next load", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const stored = await numbox.inbound(gateway, key, { to: number, from: "Spam", text: "buy cheap watches" });
    const { ids } = (await stored.json()) as { ids: number[] };
    expect(await (await numbox.get(`/numbers/${digits}`)).text()).toContain("buy cheap watches");
    expect((await numbox.admin(`/messages/${ids[0]}`, { method: "DELETE" })).status).toBe(200);
    expect(await (await numbox.get(`/numbers/${digits}`)).text()).not.toContain("buy cheap watches");

    expect((await numbox.get("/countries/uz")).status).toBe(200);
    expect(await (await numbox.get("/countries/uz")).text()).toContain(`/numbers/${digits}`);
    expect((await numbox.admin(`/numbers/${digits}`, { method: "PATCH", body: { status: "retired" } })).status).toBe(
      200,
    );
    expect(await (await numbox.get("/countries/uz")).text()).not.toContain(`/numbers/${digits}`);
  });

  test("each language's copy of a page is kept under its own URL and goes stale with the others", async ({
    numbox,
  }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const pages = [`/numbers/${digits}`, `/ru/numbers/${digits}`, `/ar/numbers/${digits}`, "/ru", "/zh/countries/uz"];
    const etags: string[] = [];
    for (const path of pages) {
      const { first } = await revalidated(numbox, path);
      const again = await numbox.get(path);
      expect(nonceOf(again), path).not.toBe(nonceOf(first));
      etags.push(first.headers.get("etag")!);
    }
    // Different languages are different answers, never one served for another.
    expect(new Set(etags.slice(0, 3)).size).toBe(3);
    expect(await (await numbox.get(`/ru/numbers/${digits}`)).text()).toContain('<html lang="ru"');

    expect((await numbox.inbound(gateway, key, { to: number, from: "Svc", text: "Your code is 318205" })).status).toBe(
      200,
    );
    for (const [i, path] of pages.entries()) {
      const changed = await numbox.get(path, { "If-None-Match": etags[i]! });
      expect(changed.status, path).toBe(200);
    }
    expect(await (await numbox.get(`/ar/numbers/${digits}`)).text()).toContain("Your code is 318205");
  });

  test("the number lists count a number's first message on the next load", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const list = async () =>
      (
        (await (await numbox.get("/api/v1/numbers?country=uz")).json()) as { digits: string; messages24h: number }[]
      ).find((n) => n.digits === digits);
    expect((await list())?.messages24h).toBe(0);
    expect((await numbox.inbound(gateway, key, { to: number, from: "Svc", text: "one" })).status).toBe(200);
    expect((await list())?.messages24h).toBe(1);
  });
});
