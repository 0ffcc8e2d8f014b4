import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { json } from "@/lib/http";
import { hideMessage, requireIdParam } from "@/lib/moderation/messages";

type Context = { params: Promise<{ id: string }> };

/** Hides a message from every public view; the row (sender, time) is kept. */
export const DELETE = adminHandler(async (request: Request, { params }: Context) => {
  const id = requireIdParam((await params).id, "message");
  return json(await hideMessage(await getDb(), id));
});
