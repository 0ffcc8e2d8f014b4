import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NonceTemplate } from "./nonce-template";

const RENDERED = "Rnd0mN0nce+/Ab==";

describe("a kept body with a fresh nonce in every response", () => {
  const page = Buffer.from(
    `<html><head><script nonce="${RENDERED}" src="/a.js"></script></head><body>Код 4892 — 验证码 <b>1</b>` +
      `<script nonce="${RENDERED}">self.__next_f.push([1,"{\\"nonce\\":\\"${RENDERED}\\"}"])</script></body></html>`,
  );

  it("fills every place the rendering nonce was, and nothing else", () => {
    const template = NonceTemplate.cut(page, RENDERED);
    expect(template.hasHoles).toBe(true);
    const filled = template.fill("Fresh+Nonce/123==").toString();
    expect(filled).toBe(page.toString().replaceAll(RENDERED, "Fresh+Nonce/123=="));
    expect(filled).not.toContain(RENDERED);
  });

  it("gzips to exactly the filled body, whatever the nonce", () => {
    const template = NonceTemplate.cut(page, RENDERED);
    for (const nonce of ["Fresh+Nonce/123==", "0123456789abcdef", "x", "A".repeat(300)]) {
      expect(gunzipSync(template.gzip(nonce)).equals(template.fill(nonce))).toBe(true);
    }
  });

  it("gzips any body cut at any nonce (nonces at the edges, next to each other, none at all)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.string({ unit: "binary" }),
            fc.constant(RENDERED),
            fc.constant("<script>self.__next_f.push("),
          ),
          { maxLength: 12 },
        ),
        fc.oneof(fc.base64String({ minLength: 16, maxLength: 16 }), fc.base64String({ minLength: 4, maxLength: 40 })),
        (pieces, nonce) => {
          const body = Buffer.from(pieces.join(""));
          const template = NonceTemplate.cut(body, RENDERED);
          const filled = template.fill(nonce);
          expect(filled.toString()).toBe(body.toString().replaceAll(RENDERED, nonce));
          expect(gunzipSync(template.gzip(nonce)).equals(filled)).toBe(true);
        },
      ),
    );
  });

  it("compresses a part with what came before it, as one stream would", () => {
    const card = (i: number) =>
      `<li data-testid="message" data-id="${i}" class="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm sm:p-5 dark:border-zinc-800">` +
      `<h3 class="min-w-0 truncate font-semibold text-zinc-900 dark:text-zinc-50">Service ${i}</h3>` +
      `<p class="whitespace-pre-wrap break-words text-[0.95rem] leading-relaxed text-zinc-700">Your code is ${100000 + i * 7919}</p></li>`;
    const part = (n: number) => Array.from({ length: 6 }, (_, i) => card(n * 6 + i)).join("");
    const pieces = Array.from({ length: 8 }, (_, n) => part(n));
    const withLookBack = NonceTemplate.cut(Buffer.from(pieces.join(`<script nonce="${RENDERED}"></script>`)), RENDERED);
    // A NUL in the body leaves every part on its own.
    const partByPart = NonceTemplate.cut(
      Buffer.from(pieces.join(`<script nonce="${RENDERED}"></script>`) + "\0"),
      RENDERED,
    );
    const nonce = "Fresh+Nonce/123=";
    expect(nonce.length).toBe(RENDERED.length);
    expect(gunzipSync(withLookBack.gzip(nonce)).equals(withLookBack.fill(nonce))).toBe(true);
    expect(gunzipSync(partByPart.gzip(nonce)).equals(partByPart.fill(nonce))).toBe(true);
    expect(withLookBack.gzip(nonce).length).toBeLessThan(partByPart.gzip(nonce).length * 0.6);
  });

  it("is one part, the same every time, without a nonce; its tag follows the content only", () => {
    const json = NonceTemplate.cut(Buffer.from('{"messages":[]}'), null);
    expect(json.hasHoles).toBe(false);
    expect(json.fill("ignored").toString()).toBe('{"messages":[]}');
    expect(gunzipSync(json.gzip("")).toString()).toBe('{"messages":[]}');
    expect(NonceTemplate.cut(page, RENDERED).etag).toBe(
      NonceTemplate.cut(Buffer.from(page.toString().replaceAll(RENDERED, "Other")), "Other").etag,
    );
    expect(json.etag).not.toBe(NonceTemplate.cut(Buffer.from('{"messages":[1]}'), null).etag);
  });
});
