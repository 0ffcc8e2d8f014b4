import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_LINK_LENGTH, splitLinks, type TextPart } from "./links";

const links = (text: string) =>
  splitLinks(text).filter((p): p is Extract<TextPart, { kind: "link" }> => p.kind === "link");
const asText = (text: string) => expect(splitLinks(text)).toEqual(text === "" ? [] : [{ kind: "text", text }]);

describe("splitLinks — what becomes a link", () => {
  it("finds http and https links in running text, keeping every character of the message", () => {
    const text = "Telegram code: 51234\n\nYou can also tap on this link to log in:\nhttps://t.me/login/51234";
    expect(splitLinks(text)).toEqual([
      { kind: "text", text: "Telegram code: 51234\n\nYou can also tap on this link to log in:\n" },
      { kind: "link", text: "https://t.me/login/51234", href: "https://t.me/login/51234" },
    ]);
    expect(links("Track it at http://example.com/p?id=7&x=1#top now")).toEqual([
      { kind: "link", text: "http://example.com/p?id=7&x=1#top", href: "http://example.com/p?id=7&x=1#top" },
    ]);
  });

  it("links www. addresses over https", () => {
    expect(links("Visit www.example.com today")).toEqual([
      { kind: "link", text: "www.example.com", href: "https://www.example.com/" },
    ]);
  });

  it("accepts upper-case schemes and hosts, and ports", () => {
    expect(links("HTTPS://EXAMPLE.COM/A")[0]?.href).toBe("https://example.com/A");
    expect(links("http://example.com:8080/x")[0]?.href).toBe("http://example.com:8080/x");
  });

  it("finds several links, and a link right at the start or end", () => {
    expect(links("https://a.example and https://b.example/x").map((l) => l.text)).toEqual([
      "https://a.example",
      "https://b.example/x",
    ]);
  });
});

describe("splitLinks — schemes that never link", () => {
  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.com/file",
    "mailto:a@example.com",
    "tel:+998940373339",
    "//example.com/protocol-relative",
    "example.com",
    "xhttps://example.com",
    "ahttp://example.com",
  ])("%s stays text", (text) => asText(text));

  it("a javascript: URL hidden after an http one is not part of the link", () => {
    const found = links("http://example.com/javascript:alert(1)");
    expect(found).toHaveLength(1);
    expect(found[0]!.href).toMatch(/^http:\/\/example\.com\//);
  });
});

describe("splitLinks — trailing punctuation and brackets", () => {
  it.each([
    ["Go to https://example.com.", "https://example.com"],
    ["Go to https://example.com/a, then", "https://example.com/a"],
    ["Really? https://example.com/a?!", "https://example.com/a"],
    ["(see https://example.com/a)", "https://example.com/a"],
    ["(see https://en.wikipedia.org/wiki/Foo_(bar))", "https://en.wikipedia.org/wiki/Foo_(bar)"],
    ["[https://example.com/x]", "https://example.com/x"],
    ["<https://example.com/x>", "https://example.com/x"],
    ['"https://example.com/x"', "https://example.com/x"],
    ["'https://example.com/x'", "https://example.com/x"],
    ["https://example.com/x:", "https://example.com/x"],
    ["https://example.com/x…", "https://example.com/x…"],
  ])("%s → %s", (text, link) => {
    expect(links(text).map((l) => l.text)).toEqual([link]);
  });

  it("a bare scheme is not a link", () => {
    asText("https://");
    asText("https://.");
    asText("www.");
  });
});

describe("splitLinks — look-alikes stay text", () => {
  it.each([
    ["userinfo", "https://google.com@evil.example/login"],
    ["userinfo with password", "https://user:pass@example.com/"],
    ["IDN homograph (Cyrillic а)", "https://\u0430pple.com/verify"],
    ["IDN in www.", "www.p\u0430ypal.com"],
    ["full-width letters", "https://\uff47\uff4f\uff4f\uff47\uff4c\uff45.com"],
    ["full-width dot", "https://google\uff0ecom"],
    ["ideographic full stop", "https://google\u3002com"],
    ["percent-escaped host", "https://g%6fogle.com/"],
    ["hex IP", "http://0x7f.0.0.1/"],
    ["integer IP", "http://2130706433/"],
    ["short IP", "http://127.1/"],
    ["no dot in the host", "http://localhost:3000/"],
    ["IPv6 literal", "http://[::1]/"],
    ["empty label", "https://example..com/"],
  ])("%s: %s", (_, text) => asText(text));

  it("a backslash ends the link before it can move the host", () => {
    expect(links("https://evil.example\\@google.com")).toEqual([
      { kind: "link", text: "https://evil.example", href: "https://evil.example/" },
    ]);
  });

  it("a link touching a bidi override or an invisible character stays text", () => {
    asText("https://example.com/\u202Egpj.exe");
    asText("\u202Ehttps://moc.elgoog");
    asText("https://exa\u200Bmple.com");
    asText("\u2066https://example.com\u2069");
    asText("https://example.com\uFEFF");
  });

  it("a plain IPv4 host written normally is a link", () => {
    expect(links("http://192.0.2.10/status")[0]?.href).toBe("http://192.0.2.10/status");
  });
});

describe("splitLinks — long input", () => {
  it(`links up to ${MAX_LINK_LENGTH} characters, and shows longer ones as text`, () => {
    const fits = `https://example.com/${"a".repeat(MAX_LINK_LENGTH - 20)}`;
    expect(fits).toHaveLength(MAX_LINK_LENGTH);
    expect(links(fits)).toHaveLength(1);
    asText(`${fits}a`);
  });

  it("handles a 40 000-character message of links quickly", () => {
    const text = "https://example.com/x ".repeat(1800);
    const started = performance.now();
    expect(links(text)).toHaveLength(1800);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("handles adversarial punctuation runs quickly", () => {
    const started = performance.now();
    splitLinks(`https://example.com/${")".repeat(20_000)}`);
    splitLinks(`https://${".".repeat(20_000)}`);
    splitLinks("www.".repeat(10_000));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("splitLinks — properties", () => {
  it("joining the parts gives back the message; every link is http(s) with an ASCII host", () => {
    const pieces = fc.constantFrom(
      "https://",
      "http://",
      "www.",
      "javascript:",
      "data:",
      "example.com",
      "/",
      ".",
      ")",
      "(",
      "@",
      "\u202E",
      "\u200B",
      "а",
      " ",
      "\n",
      "%",
      ":",
      "\\",
    );
    const messages = fc.array(fc.oneof(pieces, fc.string({ maxLength: 5 })), { maxLength: 30 }).map((a) => a.join(""));
    fc.assert(
      fc.property(messages, (text) => {
        const parts = splitLinks(text);
        expect(parts.map((p) => p.text).join("")).toBe(text);
        for (const part of parts) {
          expect(part.text).not.toBe("");
          if (part.kind !== "link") continue;
          const url = new URL(part.href);
          expect(["http:", "https:"]).toContain(url.protocol);
          expect(url.hostname).toMatch(/^[a-z0-9.-]+$/);
          expect(url.username + url.password).toBe("");
        }
      }),
      { numRuns: 2000 },
    );
  });
});
