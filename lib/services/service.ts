import { SERVICES, SHARED_SENDERS, type ServiceEntry } from "./catalogue";

/**
 * Which service sent an SMS, as a slug (`google`, `whatsapp`, `hdfcbk`), from its sender and text; null when
 * nothing says. The rule:
 * 1. A sender id of a service in the catalogue is that service: `Google`, `GOOGLE`, `VM-GOOGLE`, `G-Verify`.
 * 2. A sender that is a phone number or short code, or a sender id many services share (`Verify`, `INFO`), is
 *    the service its text names: a bracketed name first ("[TikTok] …", "【Alipay】…"; one not in the catalogue is
 *    its own service), else the catalogue's service whose name comes first in the text ("<#> Your WhatsApp code",
 *    "G-123456 is your Google verification code"), else a short code's service.
 * 3. Any other sender id (letters in it) is its own service: its name, slugified (`VM-HDFCBK` → `hdfcbk`,
 *    `Bolt Food` → `bolt-food`).
 * 4. Otherwise null: a message from a plain number that names no service has none.
 */
export function serviceOf(sender: string, text: string): string | null {
  const written = sender.normalize("NFKC").trim();
  if (isNumeric(written)) {
    return fromText(text) ?? BY_SHORT_CODE.get(written.replace(/\D/g, "")) ?? null;
  }
  const header = dltHeader(written) ?? written;
  const key = keyOf(header);
  const known = BY_SENDER.get(key);
  if (known) return known.slug;
  if (SHARED.has(key)) return fromText(text) ?? slugify(header);
  return slugify(header);
}

/**
 * The service of a message stored before services were (migration 0008), until lib/services/backfill.ts has
 * classified it: never a slug, which has no "?". Read as null.
 */
export const NOT_CLASSIFIED = "?";

/** The catalogue's display name of a slug, or null for a slug not in it (a sender's own service). */
export function serviceName(slug: string): string | null {
  return BY_SLUG.get(slug)?.name ?? null;
}

/** The longest slug there can be: a sender id is at most 32 characters, a bracketed name 40. */
export const MAX_SLUG_LENGTH = 40;

/**
 * A name as a slug: lower case, accents dropped, every run of other characters than letters and digits one
 * dash ("Bolt Food" → "bolt-food", "Сбербанк" → "сбербанк"); null when nothing is left.
 */
export function slugify(name: string): string | null {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, "");
  return slug === "" ? null : slug;
}

// A phone number or short code, as written: digits with what people put between them, an optional "+".
function isNumeric(sender: string): boolean {
  return /^\+?[\d\s().-]*\d[\d\s().-]*$/.test(sender);
}

// India's DLT sender ids: two letters (operator and circle), a dash, the registered six-character header, and
// since 2024 optionally a dash and the message type (Service, Promotional, Transactional, Government).
const DLT = /^[A-Z]{2}-([A-Z0-9]{6})(?:-[SPTG])?$/;

function dltHeader(sender: string): string | null {
  return DLT.exec(sender)?.[1] ?? null;
}

/** How sender ids are compared: case, spaces, dots, dashes and underscores do not count. */
function keyOf(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s._-]+/g, "");
}

// "[TikTok] …", "<#> [Bolt] …", "【支付宝】…", "(Kakao) …" at the start of the text.
const BRACKETED = /^\s*(?:<#>\s*)?[[【(]\s*([^\]】)\n]{2,40}?)\s*[\]】)]/u;

function fromText(text: string): string | null {
  const bracketed = BRACKETED.exec(text)?.[1];
  if (bracketed) {
    const key = keyOf(bracketed);
    const known = BY_SENDER.get(key) ?? BY_NAME.get(key);
    if (known) return known.slug;
    // A code in brackets ("(123456)") is not a name, nor is a word aggregators use for everyone ("[SMS]").
    if (/\p{L}/u.test(bracketed) && !/\d{3}/.test(bracketed) && !SHARED.has(key)) return slugify(bracketed);
  }
  return firstMentioned(text);
}

/** The catalogue's service named first in the text; at one place, the longer name ("Google Pay" over a "Go…"). */
function firstMentioned(text: string): string | null {
  let best: { at: number; length: number; slug: string } | null = null;
  for (const { slug, patterns } of MENTIONS) {
    for (const pattern of patterns) {
      const match = pattern.exec(text);
      if (!match) continue;
      const found = { at: match.index, length: match[0].length, slug };
      if (!best || found.at < best.at || (found.at === best.at && found.length > best.length)) best = found;
    }
  }
  return best?.slug ?? null;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The default mentions: the name and the sender ids of three letters or more, as whole words, any case. */
function defaultMentions(entry: ServiceEntry): RegExp[] {
  const names = [entry.name, ...entry.senders].filter((n) => n.length >= 3 && /\p{L}/u.test(n));
  return [...new Set(names)].map((n) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(n)}(?![\\p{L}\\p{N}])`, "iu"));
}

const BY_SLUG = new Map(SERVICES.map((s) => [s.slug, s]));
const BY_SENDER = new Map(SERVICES.flatMap((s) => s.senders.map((sender) => [keyOf(sender), s] as const)));
const BY_NAME = new Map(SERVICES.map((s) => [keyOf(s.name), s]));
const BY_SHORT_CODE = new Map(SERVICES.flatMap((s) => (s.shortCodes ?? []).map((code) => [code, s.slug] as const)));
const SHARED = new Set(SHARED_SENDERS.map(keyOf));
const MENTIONS = SERVICES.map((s) => ({
  slug: s.slug,
  // Without the global flag: exec() then always looks from the start and keeps no state between texts.
  patterns: (s.mentions ?? defaultMentions(s)).map((p) => new RegExp(p.source, p.flags.replace("g", ""))),
}));
