import type { Db } from "@/db/client";
import { announceHidden } from "@/lib/live/fanout";
import { hideMessage } from "@/lib/moderation/messages";

/**
 * Hides a message and tells every open page of its number to drop it (a `hide` event on their streams, on every
 * instance): what DELETE /api/admin/messages/{id} and the web UI's "Hide" both do.
 */
export async function hideAndAnnounce(db: Db, id: number) {
  const hidden = await hideMessage(db, id);
  await announceHidden([hidden]);
  return hidden;
}
