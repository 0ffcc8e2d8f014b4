import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { leases } from "@/db/schema";

/**
 * Takes the named lease for `ms` if it is free (or already ours), in one statement. True when we hold it:
 * of several instances sharing a database, one at a time runs the job.
 */
export async function takeLease(db: Db, name: string, holder: string, ms: number, now = new Date()): Promise<boolean> {
  const until = new Date(now.getTime() + ms);
  const rows = await db
    .insert(leases)
    .values({ name, holder, until })
    .onConflictDoUpdate({
      target: leases.name,
      set: { holder, until },
      setWhere: sql`${leases.until} < ${sql.param(now, leases.until)} or ${leases.holder} = ${holder}`,
    })
    .returning({ holder: leases.holder });
  return rows.length > 0;
}
