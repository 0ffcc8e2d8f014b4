import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { json } from "@/lib/http";
import { announceHidden } from "@/lib/live/fanout";
import { hideMessage, requireIdParam } from "@/lib/moderation/messages";

type Context = { params: Promise<{ id: string }> };

/** Hides a message from every public view, open pages included (a `hide` event on their streams); the row (sender, time) is kept. */
export const DELETE = adminHandler(async (request: Request, { params }: Context) => {
  const id = requireIdParam((await params).id, "message");
  const hidden = await hideMessage(await getDb(), id);
  await announceHidden([hidden]);
  return json(hidden);
});
