import { getDb } from "@/db";
import { requireAdmin } from "@/lib/admin/auth";
import { handler, json } from "@/lib/http";
import { hideMessage, requireIdParam } from "@/lib/moderation/messages";

type Context = { params: Promise<{ id: string }> };

/** Hides a message from every public view; the row (sender, time) is kept. */
export const DELETE = handler(async (request: Request, { params }: Context) => {
  requireAdmin(request);
  const id = requireIdParam((await params).id, "message");
  return json(await hideMessage(await getDb(), id));
});
