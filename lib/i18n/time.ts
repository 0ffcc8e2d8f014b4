/**
 * Times as a visitor reads them, in their language: "3 minutes ago", "вчера", "7 ساعات". Everything goes through
 * Intl with the locale's BCP 47 tag (lib/i18n/locales.ts); only "just now" is ours, as a message, since Intl's
 * own word for it ("now") reads oddly after "Last SMS". `now` is passed in so that callers control the clock.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "3 minutes ago", "5 hours ago", "yesterday", "2 days ago", then a date. */
export function relativeTime(at: string, now: number, tag: string, justNow: string): string {
  const then = new Date(at).getTime();
  const ago = now - then;
  // A device clock slightly ahead of ours would otherwise read "in 20 seconds"; far ahead is shown as a date.
  if (ago < 45_000 && ago > -5 * MINUTE) return justNow;
  if (ago < 0) return shortDate(then, now, tag);
  const relative = cached(relativeFormats, tag, () => new Intl.RelativeTimeFormat(tag, { numeric: "auto" }));
  if (ago < HOUR) return relative.format(-Math.max(1, Math.round(ago / MINUTE)), "minute");
  if (ago < DAY) return relative.format(-Math.floor(ago / HOUR), "hour");
  if (ago < 7 * DAY) return relative.format(-Math.floor(ago / DAY), "day");
  return shortDate(then, now, tag);
}

/** Full date and time; `timeZone` is pinned on the server, where the visitor's zone is unknown. */
export function absoluteTime(at: string, tag: string, timeZone?: string): string {
  const text = dateFormat(tag, { dateStyle: "medium", timeStyle: "medium", timeZone }).format(new Date(at));
  return timeZone ? `${text} ${timeZone}` : text;
}

/** How long a number has gone without messages, rounded to what a visitor cares about: "7 hours", "3 days". */
export function durationSince(at: string, now: number, tag: string): string {
  const ago = Math.max(0, now - new Date(at).getTime());
  if (ago < HOUR) return unit(tag, "minute").format(Math.max(1, Math.round(ago / MINUTE)));
  if (ago < 2 * DAY) return unit(tag, "hour").format(Math.floor(ago / HOUR));
  return unit(tag, "day").format(Math.floor(ago / DAY));
}

function shortDate(then: number, now: number, tag: string): string {
  const sameYear = new Date(then).getFullYear() === new Date(now).getFullYear();
  return dateFormat(tag, { month: "short", day: "numeric", year: sameYear ? undefined : "numeric" }).format(then);
}

// Building an Intl formatter costs far more than using one (8–16 % of a page's CPU when built per time shown):
// one per locale and options, kept.
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const unitFormats = new Map<string, Intl.NumberFormat>();

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

function dateFormat(tag: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(dateFormats, JSON.stringify([tag, options]), () => new Intl.DateTimeFormat(tag, options));
}

function unit(tag: string, name: "minute" | "hour" | "day"): Intl.NumberFormat {
  return cached(
    unitFormats,
    `${tag} ${name}`,
    () => new Intl.NumberFormat(tag, { style: "unit", unit: name, unitDisplay: "long" }),
  );
}
