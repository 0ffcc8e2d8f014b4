/**
 * Links in SMS text. Strangers write these messages, so a link is made clickable only when where it goes is
 * exactly what the visitor reads: http or https, a plain ASCII host written the way the browser will resolve
 * it, no user:password@ prefix, no invisible or direction-changing character next to it. Anything else stays
 * plain text. `javascript:`, `data:`, `vbscript:` and every other scheme are never links: only `http://`,
 * `https://` and `www.` start one.
 *
 * Hand-written rather than linkify-it or similar: those link as much as they can (bare domains, e-mail,
 * every scheme in a list), and here the point is the opposite, the few rules above, each tested.
 */

export type TextPart = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

/** Longer "links" are shown as text: no real SMS link is this long, and a wall of URL hides where it goes. */
export const MAX_LINK_LENGTH = 2048;

// A candidate: a scheme we allow (or www.), then characters that can be part of a URL in running text.
// Quotes, angle brackets, backslashes, whitespace, control and format characters (zero-width, bidi) end it.
const CANDIDATE = /(?<![\p{L}\p{N}_])(?:https?:\/\/|www\.)[^\s<>"'`\\^{}|\p{Cc}\p{Cf}]+/giu;
// Format characters (U+200B zero-width space, U+202E right-to-left override, …): invisible, and able to make
// the text shown differ from the link followed.
const FORMAT = /\p{Cf}/u;
// Sentence punctuation that ends a URL in prose rather than belonging to it.
const TRAILING = /^[.,:;!?*_~]$/;

/** Splits an SMS body into text and safe links, in order; joining the parts' text gives back `text`. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const written = trimTrailing(match[0]);
    const end = start + written.length;
    const href = safeHref(written, text[start - 1], text[end]);
    if (!href) continue;
    if (start > last) parts.push({ kind: "text", text: text.slice(last, start) });
    parts.push({ kind: "link", text: written, href });
    last = end;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}

/** Drops sentence punctuation and unbalanced closing brackets from the end: "(see https://x.com/a)." */
function trimTrailing(candidate: string): string {
  // One pass from the end with running counts: a run of 20 000 ")" must not take quadratic time.
  const opening = { ")": count(candidate, "("), "]": count(candidate, "[") };
  const closing = { ")": count(candidate, ")"), "]": count(candidate, "]") };
  let end = candidate.length;
  while (end > 0) {
    const last = candidate[end - 1]!;
    if (TRAILING.test(last)) {
      end--;
    } else if ((last === ")" || last === "]") && opening[last] < closing[last]) {
      closing[last]--;
      end--;
    } else {
      break;
    }
  }
  return candidate.slice(0, end);
}

/** The link's target, or null when the written URL must stay text. */
function safeHref(written: string, before: string | undefined, after: string | undefined): string | null {
  if (written.length > MAX_LINK_LENGTH) return null;
  if ((before && FORMAT.test(before)) || (after && FORMAT.test(after))) return null;
  const absolute = /^www\./i.test(written) ? `https://${written}` : written;
  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username || url.password) return null;

  // The host as the visitor reads it must be the host the browser goes to. This refuses, among others:
  // "https://google.com@evil.example" (userinfo), IDN look-alikes ("аpple.com" with a Cyrillic а becomes
  // xn--pple-43d.com), full-width letters and dots, percent-escapes in the host, and numeric hosts written in
  // hex, octal or as one integer ("http://0x7f.1", "http://2130706433").
  const authority = absolute.slice(absolute.indexOf("//") + 2).split(/[/?#]/, 1)[0]!;
  if (authority.includes("@")) return null;
  const host = authority.replace(/:\d*$/, "").toLowerCase();
  if (host !== url.hostname || !/^[a-z0-9.-]+$/.test(host) || !host.includes(".")) return null;
  if (host.startsWith(".") || host.includes("..")) return null;
  return url.href;
}

function count(s: string, char: string): number {
  let n = 0;
  for (const c of s) if (c === char) n++;
  return n;
}
