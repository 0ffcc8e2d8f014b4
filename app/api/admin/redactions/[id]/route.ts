import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { json } from "@/lib/http";
import { requireIdParam } from "@/lib/moderation/messages";
import { deleteRedaction } from "@/lib/moderation/redactions";

type Context = { params: Promise<{ id: string }> };

/** Removes a rule; messages it already redacted stay redacted (their text was never stored). */
export const DELETE = adminHandler(async (request: Request, { params }: Context) => {
  const id = requireIdParam((await params).id, "redaction");
  await deleteRedaction(await getDb(), id);
  return json({ id, deleted: true });
});
