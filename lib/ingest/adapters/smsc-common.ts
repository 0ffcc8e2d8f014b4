import { AppError } from "@/lib/errors";
import { decodeHex } from "@/lib/text/bytes";
import { decodeGsm7 } from "@/lib/text/gsm7";
import { toE164 } from "@/lib/text/phone";
import { formFields } from "../request";
import { decodeUcs2 } from "../ucs2";
import { udhConcatenation, type Concatenation } from "../udh";

/**
 * What the SMS-centre gateways (Kannel, Jasmin) have in common: they pass the message's raw bytes URL-encoded
 * (UTF-16BE for UCS-2, Latin-1 or GSM for the rest) rather than UTF-8 text, name the alphabet separately, and
 * — Kannel — may hand over the parts of a long SMS with their UDH.
 */

/**
 * Form fields (a query string, or an `application/x-www-form-urlencoded` body viewed byte for byte) with their
 * values left as bytes: a URL-encoded UCS-2 text is not UTF-8, so the strict `formParams` would refuse it.
 * As strict as `formParams` otherwise: a bad %-escape is 400 malformed_body, a name repeated with different
 * values 400 ambiguous_parameter.
 */
export function parseFormBytes(source: string): Map<string, Uint8Array> {
  return formFields(source, (name) => utf8OrThrow(percentDecode(name)), percentDecode, sameBytes);
}

/** A body's bytes as a string of the same code units (0–255), so that it can be split like a query string. */
export function latin1View(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** `+` → space, `%XX` → that byte, any other character as its UTF-8 bytes. A broken escape is 400 malformed_body. */
export function percentDecode(component: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < component.length; i++) {
    const c = component.charCodeAt(i);
    if (c === 0x2b) {
      out.push(0x20);
    } else if (c === 0x25) {
      const hex = component.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        throw new AppError("malformed_body", "The form encoding is broken (a bad %-escape).");
      }
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80) {
      out.push(c);
    } else {
      // Only reachable with raw non-ASCII in a body (a query string arrives percent-encoded): keep its bytes.
      const end = c >= 0xd800 && c <= 0xdbff ? i + 2 : i + 1;
      out.push(...Buffer.from(component.slice(i, end), c <= 0xff ? "latin1" : "utf8"));
      i = end - 1;
    }
  }
  return Uint8Array.from(out);
}

/** A field that must be UTF-8 text (ids, numbers, codes): absent → undefined; not UTF-8 → 400 malformed_body. */
export function textField(fields: Map<string, Uint8Array>, name: string): string | undefined {
  const value = fields.get(name);
  return value === undefined ? undefined : utf8OrThrow(value);
}

function utf8OrThrow(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new AppError("malformed_body", "The form encoding is broken (invalid UTF-8 in a field that must be text).");
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** An integer field ("2", "-1"); anything else → null (a coding we cannot read is treated as unknown, not refused). */
export function intField(value: string | undefined | null): number | null {
  const v = value?.trim();
  return v && /^-?\d{1,3}$/.test(v) ? Number(v) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Text decoding

// C0 controls other than tab, LF, CR: they never occur in Latin-1 text, but are GSM letters (@ is 0x00, Δ 0x10…).
const GSM_ONLY_BYTES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/**
 * The SMSC's default alphabet (SMPP data_coding 0), which SMSCs deliver as unpacked GSM, ASCII or Latin-1 and
 * sometimes UTF-8 — read so that no reading loses a message: GSM when the bytes hold GSM-only control values,
 * UTF-8 when the high bytes form valid UTF-8, Latin-1 (Windows-1252) otherwise. ASCII reads the same in all.
 */
export function decodeSmscDefault(bytes: Uint8Array): string {
  const latin1 = decodeWindows1252(bytes);
  if (bytes.every((b) => b < 0x80)) return GSM_ONLY_BYTES.test(latin1) ? decodeGsm7(bytes) : latin1;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return latin1;
  }
}

const GSM_LABELS = new Set(["gsm", "gsm7", "gsm-7", "gsm0338", "gsm-default"]);
// 8-bit data has no charset of its own; Kannel names it "8-BIT" (or "binary"). Latin-1 shows every byte.
const EIGHT_BIT_LABELS = new Set(["8-bit", "8bit", "binary"]);

/** "UTF-16BE", "UCS-2", "utf-16": the charsets SMS gateways give UCS-2 text in (always big-endian in SMS). */
export function isUcs2Charset(charset: string): boolean {
  return /^(utf-?16(be)?|ucs-?2|iso-10646-ucs-2|unicodefffe)$/.test(charsetLabel(charset));
}

/** Whether `decodeCharset` can read this charset (otherwise the coding decides). */
export function isKnownCharset(charset: string): boolean {
  const label = charsetLabel(charset);
  if (isUcs2Charset(label) || GSM_LABELS.has(label) || EIGHT_BIT_LABELS.has(label)) return true;
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

function charsetLabel(charset: string): string {
  return charset.trim().toLowerCase().replace(/^"|"$/g, "");
}

/**
 * Bytes in a named charset (Kannel's %C, a Content-Type charset): UTF-16 and UCS-2 labels as UTF-16BE (what SMS
 * carries; WHATWG would read them little-endian), GSM via its table, everything else WHATWG knows.
 * UTF-8 is strict (400 invalid_utf8, §16.6 #12). Null when the charset is unknown.
 */
export function decodeCharset(bytes: Uint8Array, charset: string): string | null {
  const label = charsetLabel(charset);
  if (isUcs2Charset(label)) return decodeUcs2(bytes);
  if (GSM_LABELS.has(label)) return decodeGsm7(bytes);
  if (label === "utf-8" || label === "utf8") {
    try {
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new AppError("invalid_utf8", "The text is not valid UTF-8, though its charset says so.");
    }
  }
  if (EIGHT_BIT_LABELS.has(label)) return decodeWindows1252(bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    return null;
  }
  // Latin-1 and ASCII labels mean Windows-1252 (WHATWG), which Node decodes as plain Latin-1: see below.
  return decoder.encoding === "windows-1252" ? decodeWindows1252(bytes) : decoder.decode(bytes);
}

// 0x80–0x9F of Windows-1252 (undefined ones stay C1 controls). Node's TextDecoder("windows-1252") maps them to
// U+0080–U+009F — plain Latin-1 — so "€" (0x80) would come out as a control character.
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

/** Windows-1252, the superset of Latin-1 that "ISO-8859-1" means on the web: every byte is some character. */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : String.fromCharCode(b);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Concatenation

/**
 * The concatenation of a part from its raw UDH (`udhConcatenation`). 16-bit references get their own namespace:
 * "42" and 16:42 are different messages.
 */
export function concatenationOf(udh: Uint8Array): Concatenation | null {
  return udhConcatenation(udh, { wideRefPrefix: "16:" });
}

/**
 * A UDH as the gateway sends it: Kannel's %u and X-Kannel-UDH are the raw bytes URL-encoded ("%05%00%03%2A…"),
 * which `bytes` already holds decoded; some setups send hex ("0500032A0201") instead. Whichever reading has a
 * consistent length byte wins; neither → 422 bad_binary_encoding.
 */
export function udhFrom(bytes: Uint8Array | undefined): Uint8Array | null {
  if (bytes === undefined || bytes.length === 0) return null;
  if (bytes[0]! + 1 === bytes.length) return bytes;
  const hex = decodeHex(Buffer.from(bytes).toString("latin1"));
  if (hex && hex.length > 0 && hex[0]! + 1 === hex.length) return hex;
  throw new AppError(
    "bad_binary_encoding",
    "The UDH is malformed: neither its raw bytes nor a hex reading has a length byte matching its size.",
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Addresses

/**
 * Our number as a gateway names it. A value that is no phone number at all (Kannel gives "1234" for a modem
 * without `my-number`) says nothing about which number received the message: it is left out, so that the
 * gateway's only number takes it (and a gateway with several numbers answers 422 rather than guess).
 */
export function recipientField(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  return toE164(v) ? v : undefined;
}
