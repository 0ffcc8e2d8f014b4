import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

/** The drizzle database, whichever driver is underneath: the domain code is written against this. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
