import { getDb } from "@/db";
import { requireAdmin } from "@/lib/admin/auth";
import { handler, json } from "@/lib/http";
import { requireIdParam } from "@/lib/moderation/messages";
import { deleteRedaction } from "@/lib/moderation/redactions";

type Context = { params: Promise<{ id: string }> };

/** Removes a rule; messages it already redacted stay redacted (their text was never stored). */
export const DELETE = handler(async (request: Request, { params }: Context) => {
  requireAdmin(request);
  const id = requireIdParam((await params).id, "redaction");
  await deleteRedaction(await getDb(), id);
  return json({ id, deleted: true });
});
