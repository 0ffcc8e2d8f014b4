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
    for (const nonce of ["Fresh+Nonce/123==", "x", "A".repeat(300)]) {
      expect(gunzipSync(template.gzip(nonce)).equals(template.fill(nonce))).toBe(true);
    }
  });

  it("gzips any body cut at any nonce (nonces at the edges, next to each other, none at all)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constant(RENDERED)), { maxLength: 12 }), fc.base64String({ minLength: 4, maxLength: 40 }), (pieces, nonce) => {
        const body = Buffer.from(pieces.join(""));
        const template = NonceTemplate.cut(body, RENDERED);
        const filled = template.fill(nonce);
        expect(filled.toString()).toBe(body.toString().replaceAll(RENDERED, nonce));
        expect(gunzipSync(template.gzip(nonce)).equals(filled)).toBe(true);
      }),
    );
  });

  it("is one part, the same every time, without a nonce; its tag follows the content only", () => {
    const json = NonceTemplate.cut(Buffer.from('{"messages":[]}'), null);
    expect(json.hasHoles).toBe(false);
    expect(json.fill("ignored").toString()).toBe('{"messages":[]}');
    expect(gunzipSync(json.gzip("")).toString()).toBe('{"messages":[]}');
    expect(NonceTemplate.cut(page, RENDERED).etag).toBe(NonceTemplate.cut(Buffer.from(page.toString().replaceAll(RENDERED, "Other")), "Other").etag);
    expect(json.etag).not.toBe(NonceTemplate.cut(Buffer.from('{"messages":[1]}'), null).etag);
  });
});
