import type { NumberStatus } from "@/db/schema";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a number's inbox is worth a search engine's index: in service (not retired) and with messages to show.
 * Messages older than the retention period are purged, so a number whose last message is older than that has an
 * empty inbox, and one that never received anything has none either: both would be thin pages. The same rule
 * decides the page's `noindex` and its place in the sitemap, so the two never disagree. A paused number keeps
 * its messages on view, so it stays.
 */
export function isIndexable(
  number: { status: NumberStatus; lastMessageAt: Date | string | null },
  now: Date,
  retentionDays: number,
): boolean {
  if (number.status === "retired" || number.lastMessageAt === null) return false;
  return new Date(number.lastMessageAt).getTime() > now.getTime() - retentionDays * DAY_MS;
}

/**
 * Whether a service's page is worth indexing: a service of the catalogue (a name people search for) that some
 * number received in the last 7 days. A sender's own service (a bank's sender id, anything a stranger can send
 * from) is shown but not indexed, and so is a catalogue service with nothing recent: its page only says so. The
 * page's `noindex` and the sitemap both follow this.
 */
export function isServiceIndexable(service: { inCatalogue: boolean; receivedRecently: boolean }): boolean {
  return service.inCatalogue && service.receivedRecently;
}
