import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { messages } from "@/db/schema";
import { AppError } from "@/lib/errors";

/**
 * Hides a message from every public view (pages, the read API, stream replay, wait). The row stays, so the fact
 * that a message arrived (sender, time) is kept until the purge. Hiding twice is harmless.
 */
export async function hideMessage(db: Db, id: number): Promise<{ id: number; number: string; hidden: true }> {
  const [row] = await db
    .update(messages)
    .set({ hidden: true })
    .where(eq(messages.id, id))
    .returning({ id: messages.id, number: messages.number });
  if (!row) throw new AppError("unknown_message", `There is no message ${id}.`);
  return { ...row, hidden: true };
}

/** The `{id}` of an admin URL: a positive integer, or a 400 naming what it should have been. */
export function requireIdParam(raw: string, what: string): number {
  if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1) {
    throw new AppError("invalid_id_param", `The ${what} id must be a positive integer.`);
  }
  return Number(raw);
}
