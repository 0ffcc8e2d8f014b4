/**
 * Phone-number helpers shared by the server and the UI.
 *
 * We use the "max" metadata bundle of libphonenumber-js: it is larger than the
 * default ("min") bundle but it checks the national number against each
 * country's real numbering plan (per-type patterns), whereas "min" only checks
 * the length. Validity is the whole point of `normalizeNumber`, so we accept
 * the extra bytes. Whatever libphonenumber calls valid stays valid — no extra
 * rules are layered on top (demo numbers such as +1 202-555-0143 are valid;
 * Ofcom's drama range +44 7700 900xxx is *not*, because libphonenumber itself
 * rejects it).
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/** Characters people put between digits: spaces, dashes, dots, parentheses. */
const FORMATTING = /[\s().\-]/g;
/** After removing formatting: an optional single leading "+" and digits only. */
const INTERNATIONAL = /^\+?\d+$/;
/** Longer than any formatted E.164 number could reasonably be; cheap DoS guard. */
const MAX_INPUT_LENGTH = 40;

/** E.164 without its "+": a country code that does not start with 0, 6 to 15 digits in all. */
const E164_DIGITS = /^[1-9]\d{5,14}$/;

/**
 * "998940373339" or "+998940373339" → "+998940373339"; anything else → null. The form only, not whether the
 * number exists: what a URL or a gateway names is then looked up among ours.
 */
export function e164(value: string): string | null {
  const digits = value.replace(/^\+/, "");
  return E164_DIGITS.test(digits) ? `+${digits}` : null;
}

/** Like `e164`, after dropping what people put between digits: "+998 94 037-33-39" → "+998940373339". */
export function toE164(value: string): string | null {
  return e164(value.trim().replace(FORMATTING, ""));
}

/**
 * Normalises a phone number written in international form to E.164
 * ("+998 94 037-33-39" → "+998940373339"), or returns null when the input is
 * not a valid number. The leading "+" is optional: a bare digit string is read
 * as country code + national number (there is no default country to guess
 * from). Letters, extensions, a second "+" or control characters → null.
 */
export function normalizeNumber(input: string): string | null {
  if (typeof input !== "string" || input.length > MAX_INPUT_LENGTH) return null;
  const compact = input.replace(FORMATTING, "");
  if (!INTERNATIONAL.test(compact)) return null;
  const withPlus = compact.startsWith("+") ? compact : `+${compact}`;
  const parsed = parsePhoneNumberFromString(withPlus);
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * ISO 3166-1 alpha-2 code (upper case) of the country a number belongs to, or
 * null when it has none (e.g. +800 international freephone) or cannot be parsed.
 */
export function countryOf(e164: string): string | null {
  return parsePhoneNumberFromString(e164)?.country ?? null;
}

/** "+998940373339" → "998940373339": the form used in URLs. */
export function digitsOf(e164: string): string {
  return e164.replace(/\D/g, "");
}

/** Human formatting, e.g. "+998940373339" → "+998 94 037 33 39". Unparseable input is returned as is. */
export function formatInternational(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

// One Intl.DisplayNames per language, kept: building one costs far more than asking it. null: the runtime has no
// ICU data for region names, and the code is shown instead.
const regionNames = new Map<string, Intl.DisplayNames | null>();

/**
 * A country's name for an ISO alpha-2 code, in the language of a BCP 47 tag ("UZ" → "Uzbekistan", in "ru"
 * "Узбекистан"); English by default, as the API gives it. Falls back to the code.
 */
export function countryName(code: string, tag = "en"): string {
  const region = code.trim().toUpperCase();
  // "ZZ" is CLDR's "Unknown Region": not a name worth showing.
  if (!/^[A-Z]{2}$/.test(region) || region === "ZZ") return code;
  let names = regionNames.get(tag);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([tag], { type: "region" });
    } catch {
      names = null; // runtime without Intl.DisplayNames / ICU data
    }
    regionNames.set(tag, names);
  }
  try {
    return names?.of(region) ?? code;
  } catch {
    return code;
  }
}
