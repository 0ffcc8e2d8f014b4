/**
 * Lenient readers for the timestamps sources send. A source's clock is only ever shown, never trusted for
 * ordering, so anything unreadable becomes null (the message is still accepted, docs/ingest-sources.md §16.6 #21).
 */

// "2026-11-22T10:00:00Z", "…+05:00", "…+0000", "2013-11-21 15:27:30" (no zone: UTC), fractions of any length.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseIsoTimestamp(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const m = ISO.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "00", frac = "0", zone = "Z"] = m;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0"));
  }
  const utc = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s, ms) - offsetMinutes * 60_000;
  const date = new Date(utc);
  // Reject rollovers such as 2026-02-31.
  const check = new Date(utc + offsetMinutes * 60_000);
  if (check.getUTCDate() !== +d! || check.getUTCMonth() !== +mo! - 1) return null;
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Unix time in seconds or milliseconds (told apart by size: ms values are > 1e11 until the year 5138). */
export function parseEpoch(value: unknown): Date | null {
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\d{9,14}$/.test(value.trim())
        ? Number(value)
        : NaN;
  if (!Number.isFinite(n) || n <= 0) return null;
  return new Date(n > 1e11 ? n : n * 1000);
}
