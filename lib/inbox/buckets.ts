import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { numberActivity } from "@/db/schema";

/*
 * The buckets of the read models (number_activity, service_activity): hours of created_at, binned from a fixed
 * origin (date_bin, not date_trunc: the session's time zone, which may be +05:30, never moves a boundary). "Since
 * t" is then the buckets from the one holding t: every arrival since t, and those of at most one hour before.
 * The step and origin are also in migrations 0006 and 0011, which filled the tables: changing them needs a
 * recount.
 */
const STEP = sql.raw(`interval '1 hour'`);
const ORIGIN = sql.raw(`timestamptz '2000-01-01 00:00:00+00'`);

export const HOUR_MS = 60 * 60 * 1000;

/** The bucket a moment falls in: the start of its hour. */
export function bucketOf(at: SQLWrapper): SQL<Date> {
  return sql<Date>`date_bin(${STEP}, ${at}, ${ORIGIN})`;
}

/** A Date as a timestamptz parameter (postgres.js rejects a bare Date in a raw sql template). */
export function moment(at: Date): SQL {
  return sql`${sql.param(at, numberActivity.bucket)}::timestamptz`;
}
