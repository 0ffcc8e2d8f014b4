import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { json } from "@/lib/http";
import { hideAndAnnounce } from "@/lib/admin/hide";
import { requireIdParam } from "@/lib/moderation/messages";

type Context = { params: Promise<{ id: string }> };

/** Hides a message from every public view, open pages included (a `hide` event on their streams); the row (sender, time) is kept. */
export const DELETE = adminHandler(async (request: Request, { params }: Context) => {
  const id = requireIdParam((await params).id, "message");
  return json(await hideAndAnnounce(await getDb(), id));
});
