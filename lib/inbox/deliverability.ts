import { and, desc, eq, getTableColumns, gte, ilike, or, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { messages, numbers, reports, serviceActivity } from "@/db/schema";
import { bucketOf, moment } from "./buckets";
import { toMessage, type Message } from "./message";
import { escapeLike } from "./messages";
import { digitsOf } from "@/lib/text/phone";
import { serviceName, serviceOf } from "@/lib/services/service";

/*
 * What the service pages show: which numbers receive a service's SMS (its deliverability), its latest messages
 * across the numbers, the services seen lately and those one number received. The counts are read from the read
 * model service_activity (lib/inbox/service-activity.ts: arrivals per service, number and hour), never by
 * counting messages: its primary key (service, bucket, number) for one service across the numbers, its index
 * (number, bucket) for one number. The latest messages of a service are a list, not a count: a backward range of
 * messages' (service, created_at, id). The pages that show them are also kept by the page cache until a message
 * arrives (lib/server/cacheable.ts: the "lists" scope).
 *
 * By our clock (created_at, never the source's), in hour buckets: "the last 24 h" and "the last 7 days" are the
 * buckets from the one holding the moment 24 h (7 days) ago, every arrival since then and those of at most one
 * hour before, as number_activity's 24 h count is (lib/inbox/activity.ts). Whether a number or service received
 * anything in a window, and when last, are exact: each bucket keeps its latest arrival.
 *
 * Counts are arrivals, hidden messages included, as the number's own counts are: hiding a message does not undo
 * that the number received it. Only numbers in service ("active") are listed: a paused or retired number is no
 * place to send a code to.
 */

const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
/** How far back the service pages look: a service seen in the last 7 days is listed. */
export const RECENT_DAYS = 7;
/** How many of a service's latest messages its page's search looks through. */
export const SERVICE_SEARCH_DEPTH = 5_000;

/** A number that received a service's SMS lately: how many in the last 24 h and 7 days, and when last. */
export type ServiceNumber = {
  number: string;
  digits: string;
  country: string;
  last24h: number;
  last7d: number;
  lastAt: string;
};

/** A number visitors said does not receive a service's codes (lib/moderation/reports.ts), in the last 7 days. */
export type ReportedNumber = { number: string; digits: string; country: string; reports: number; lastAt: string };

/** A service seen lately, as /services lists it. */
export type ServiceSummary = {
  slug: string;
  // How pages write it: the catalogue's name, or for a sender's own service a sender it came from ("VM-HDFCBK").
  name: string;
  last24h: number;
  last7d: number;
  numbers: number;
  lastAt: string;
};

/** A service one number received lately, as its inbox page lists it. */
export type NumberService = { slug: string; name: string; messages: number; lastAt: string };

function since(now: Date, ms: number): Date {
  return new Date(now.getTime() - ms);
}

/**
 * The numbers in service that received `slug`'s SMS in the last 7 days, best first: the one that received it
 * last on top (a code that arrived an hour ago says the number works for it now), then the busier one. With
 * `country`, only that country's numbers, and only those that received it in the last 24 h (the country page's
 * filter). One range of service_activity's primary key (service, bucket, number): the service's rows of the week
 * (of the day, filtered by country), whatever the number of messages.
 */
export async function serviceNumbers(
  db: Db,
  slug: string,
  now: Date,
  options: { country?: string } = {},
): Promise<ServiceNumber[]> {
  const a = serviceActivity;
  const day = since(now, DAY_MS);
  const from = options.country !== undefined ? day : since(now, RECENT_DAYS * DAY_MS);
  const rows = await db
    .select({
      number: a.number,
      country: numbers.country,
      last24h: sql<number>`(coalesce(sum(${a.arrivals}) filter (where ${a.bucket} >= ${bucketOf(moment(day))}), 0))::int`,
      last7d: sql<number>`sum(${a.arrivals})::int`,
      lastAt: sql<Date>`max(${a.lastAt})`,
    })
    .from(a)
    .innerJoin(numbers, eq(numbers.number, a.number))
    .where(
      and(
        eq(a.service, slug),
        gte(a.bucket, bucketOf(moment(from))),
        eq(numbers.status, "active"),
        options.country !== undefined ? eq(numbers.country, options.country) : undefined,
      ),
    )
    .groupBy(a.number, numbers.country)
    // The first bucket may hold only arrivals from before the window: such a number did not receive it since.
    .having(gte(sql`max(${a.lastAt})`, moment(from)))
    .orderBy(desc(sql`max(${a.lastAt})`), desc(sql`sum(${a.arrivals})`), a.number);
  return rows.map((row) => ({
    number: row.number,
    digits: digitsOf(row.number),
    country: row.country,
    last24h: Number(row.last24h),
    last7d: Number(row.last7d),
    lastAt: new Date(row.lastAt).toISOString(),
  }));
}

/**
 * `slug`'s latest visible messages on the numbers in service, newest first (by our clock, then arrival): a
 * backward range of (service, created_at, id) that stops after `limit`. With `q`, only those whose sender or text
 * holds it, ignoring case (the service page's search box), among the service's latest `SERVICE_SEARCH_DEPTH`:
 * no index finds a substring (db/schema.ts), so a search that matches little reads that many rows, never the
 * service's whole week.
 */
export async function latestServiceMessages(db: Db, slug: string, limit: number, q?: string): Promise<Message[]> {
  const latest = (count: number) =>
    db
      .select(getTableColumns(messages))
      .from(messages)
      .innerJoin(numbers, eq(numbers.number, messages.number))
      .where(and(eq(messages.service, slug), eq(messages.hidden, false), eq(numbers.status, "active")))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(count);
  if (q === undefined) return (await latest(limit)).map(toMessage);
  const pattern = `%${escapeLike(q)}%`;
  const recent = latest(SERVICE_SEARCH_DEPTH).as("recent");
  const rows = await db
    .select()
    .from(recent)
    .where(or(ilike(recent.sender, pattern), ilike(recent.text, pattern)))
    .orderBy(desc(recent.createdAt), desc(recent.id))
    .limit(limit);
  return rows.map(toMessage);
}

// Reports are a visitor's free text, kept for the operator; the latest this many are read for a service page.
const MAX_REPORTS_READ = 1000;

/**
 * The numbers in service that visitors reported in the last 7 days as not receiving `slug`'s codes, most reports
 * first. A report names the service as the visitor typed it ("WhatsApp", "whats app"): it counts for the service
 * that name is as a sender (lib/services/service.ts), so "WhatsApp" and "WHATSAPP" are both WhatsApp's.
 */
export async function reportedNumbers(db: Db, slug: string, now: Date): Promise<ReportedNumber[]> {
  const rows = await db
    .select({ number: reports.number, country: numbers.country, service: reports.service, at: reports.createdAt })
    .from(reports)
    .innerJoin(numbers, eq(numbers.number, reports.number))
    .where(and(gte(reports.createdAt, since(now, RECENT_DAYS * DAY_MS)), eq(numbers.status, "active")))
    .orderBy(desc(reports.createdAt))
    .limit(MAX_REPORTS_READ);
  const byNumber = new Map<string, ReportedNumber>();
  for (const row of rows) {
    if (reportedService(row.service) !== slug) continue;
    const seen = byNumber.get(row.number);
    if (seen) seen.reports += 1;
    else
      byNumber.set(row.number, {
        number: row.number,
        digits: digitsOf(row.number),
        country: row.country,
        reports: 1,
        lastAt: row.at.toISOString(),
      });
  }
  return [...byNumber.values()].sort((a, b) => b.reports - a.reports || b.lastAt.localeCompare(a.lastAt));
}

/** The service a visitor's report names: its name read as a sender id would be. */
export function reportedService(typed: string): string | null {
  return serviceOf(typed, typed);
}

/**
 * The services seen on the numbers in service in the last 7 days, the busiest of the last 24 h first: how many
 * messages in 24 h and 7 days, on how many numbers. The week's rows of service_activity: per service, number and
 * hour, whatever the number of messages.
 */
export async function recentServices(db: Db, now: Date): Promise<ServiceSummary[]> {
  const a = serviceActivity;
  const day = since(now, DAY_MS);
  const week = since(now, RECENT_DAYS * DAY_MS);
  const rows = await db
    .select({
      slug: a.service,
      last24h: sql<number>`(coalesce(sum(${a.arrivals}) filter (where ${a.bucket} >= ${bucketOf(moment(day))}), 0))::int`,
      last7d: sql<number>`sum(${a.arrivals})::int`,
      // The numbers serviceNumbers lists: those whose latest arrival is within the week.
      numbers: sql<number>`(count(distinct ${a.number}) filter (where ${a.lastAt} >= ${moment(week)}))::int`,
      lastAt: sql<Date>`max(${a.lastAt})`,
      sender: sql<string>`max(${a.sender})`,
    })
    .from(a)
    .innerJoin(numbers, eq(numbers.number, a.number))
    .where(and(gte(a.bucket, bucketOf(moment(week))), eq(numbers.status, "active")))
    .groupBy(a.service)
    .having(gte(sql`max(${a.lastAt})`, moment(week)));
  return rows
    .map((row) => ({
      slug: row.slug,
      name: serviceName(row.slug) ?? row.sender,
      last24h: Number(row.last24h),
      last7d: Number(row.last7d),
      numbers: Number(row.numbers),
      lastAt: new Date(row.lastAt).toISOString(),
    }))
    .sort((a, b) => b.last24h - a.last24h || b.last7d - a.last7d || a.slug.localeCompare(b.slug));
}

/**
 * The services one number received in the last 7 days (arrivals, hidden ones included), the latest first: a range
 * of service_activity's (number, bucket).
 */
export async function servicesOfNumber(db: Db, number: string, now: Date, limit = 12): Promise<NumberService[]> {
  const a = serviceActivity;
  const week = since(now, RECENT_DAYS * DAY_MS);
  const rows = await db
    .select({
      slug: a.service,
      messages: sql<number>`sum(${a.arrivals})::int`,
      lastAt: sql<Date>`max(${a.lastAt})`,
      sender: sql<string>`max(${a.sender})`,
    })
    .from(a)
    .where(and(eq(a.number, number), gte(a.bucket, bucketOf(moment(week)))))
    .groupBy(a.service)
    .having(gte(sql`max(${a.lastAt})`, moment(week)))
    .orderBy(desc(sql`max(${a.lastAt})`), a.service)
    .limit(limit);
  return rows.map((row) => ({
    slug: row.slug,
    name: serviceName(row.slug) ?? row.sender,
    messages: Number(row.messages),
    lastAt: new Date(row.lastAt).toISOString(),
  }));
}

/**
 * Which of `slugs` some number in service received in the last 7 days: one probe of service_activity's primary
 * key each, never a count. What the sitemap lists (the catalogue's services with a page worth indexing).
 */
export async function servicesReceivedSince(db: Db, slugs: readonly string[], now: Date): Promise<Set<string>> {
  if (slugs.length === 0) return new Set();
  const week = since(now, RECENT_DAYS * DAY_MS);
  // A VALUES list: postgres.js and PGlite serialise an array parameter differently, text they both take alike.
  const values = sql.join(
    slugs.map((slug) => sql`(${slug}::text)`),
    sql`, `,
  );
  const result = await db.execute(sql`select s.slug from (values ${values}) as s(slug)
    where exists (select 1 from ${serviceActivity} a join ${numbers} n on n.number = a.number
      where a.service = s.slug and a.bucket >= ${bucketOf(moment(week))} and a.last_at >= ${moment(week)}
        and n.status = 'active')`);
  return new Set(rowsOf<{ slug: string }>(result).map((row) => row.slug));
}

/**
 * Whether `slug` is a service Numbox knows, as its page (/services/{slug}) does: one of the catalogue's, received
 * lately or not, or a sender's own service some number in service received in the last 7 days (its name says
 * nothing once it is gone). What the service's feeds answer 404 for.
 */
export async function isKnownService(db: Db, slug: string, now: Date): Promise<boolean> {
  return serviceName(slug) !== null || (await servicesReceivedSince(db, [slug], now)).has(slug);
}
