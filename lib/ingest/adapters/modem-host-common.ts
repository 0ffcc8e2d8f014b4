import { z } from "zod";
import { toE164 } from "@/lib/text/phone";
import type { StoreResult } from "../store";
import { okJson, sha256 } from "../verify";

/**
 * What the modem-host kinds (Gammu SMSD, SMS Server Tools 3) share: our own scripts post for them (with the
 * gateway's API key), the host's clock writes local wall-clock times without a zone, and the operator maps the
 * host's modem names to our numbers in the gateway's config.
 */

// Keys longer than the store takes (validate.ts: 200) are hashed: still stable across retries.
const MAX_SOURCE_KEY_LENGTH = 200;

/** One of our numbers, as an operator writes it in a gateway's config ("+998 90 123-45-67", "998901234567"). */
export const configNumber = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const number = toE164(value);
    if (!number) {
      ctx.addIssue({
        code: "custom",
        message: `'${value}' is not a phone number in international form (+998901234567)`,
      });
      return z.NEVER;
    }
    return number;
  });

/**
 * The zone the host's wall-clock times are in: an IANA name ("Asia/Tashkent", follows daylight saving) or a
 * fixed UTC offset ("+05:00"). Unset: UTC.
 */
export const timeZoneSetting = z
  .string()
  .trim()
  .refine(isTimeZone, 'an IANA time zone ("Asia/Tashkent") or a UTC offset ("+05:00")');

export function isTimeZone(value: string): boolean {
  if (fixedOffsetMinutes(value) !== null) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/**
 * A local wall-clock time (what the modem host or the SMS centre wrote, without a zone) as an instant, reading it
 * in `timeZone` (UTC when unset). Impossible dates (2026-02-31, 25:00) → null: a source's clock is only ever shown.
 */
export function wallClockToDate(t: WallClock, timeZone?: string): Date | null {
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  const check = new Date(asUtc);
  if (
    Number.isNaN(asUtc) ||
    check.getUTCFullYear() !== t.year ||
    check.getUTCMonth() !== t.month - 1 ||
    check.getUTCDate() !== t.day ||
    check.getUTCHours() !== t.hour ||
    check.getUTCMinutes() !== t.minute ||
    check.getUTCSeconds() !== t.second
  ) {
    return null;
  }
  if (!timeZone) return check;
  // The zone's offset at the guessed instant, then again at the corrected one (right across a DST change).
  let instant = asUtc - offsetMinutesAt(asUtc, timeZone) * 60_000;
  const second = offsetMinutesAt(instant, timeZone);
  instant = asUtc - second * 60_000;
  return new Date(instant);
}

function fixedOffsetMinutes(value: string): number | null {
  const m = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})$/i.exec(value.trim());
  if (!m) return /^(?:UTC|GMT|Z)$/i.test(value.trim()) ? 0 : null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[2]) > 14 || Number(m[3]) > 59) return null;
  return m[1] === "-" ? -minutes : minutes;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function offsetMinutesAt(utcMs: number, timeZone: string): number {
  const fixed = fixedOffsetMinutes(timeZone);
  if (fixed !== null) return fixed;
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(utcMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** A source key as given, or its hash when it is longer than the store keeps. */
export function boundedKey(key: string): string {
  return key.length <= MAX_SOURCE_KEY_LENGTH ? key : `sha256:${sha256(key).toString("hex")}`;
}

/** Our scripts look only at the status; the body helps whoever reads the host's log. */
export function modemHostResponse(result: StoreResult | null): Response {
  return okJson(
    result
      ? { accepted: result.accepted, duplicates: result.duplicates, ids: result.ids }
      : { ok: true, ignored: true },
  );
}

/** The gateway's config, as its kind's schema reads it (it was checked when the gateway was created). */
export function readConfig<T>(schema: z.ZodType<T>, config: Record<string, unknown>): T {
  const parsed = schema.safeParse(config);
  // Only a hand-edited database gets here: our fault, not the sender's, so a 5xx that the script retries.
  if (!parsed.success) throw new Error(`The gateway's config does not match its kind: ${parsed.error.message}`);
  return parsed.data;
}
