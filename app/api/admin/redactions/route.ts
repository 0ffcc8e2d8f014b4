import { getDb } from "@/db";
import { requireAdmin } from "@/lib/admin/auth";
import { handler, json, readJsonBody } from "@/lib/http";
import { createRedaction, listRedactions } from "@/lib/moderation/redactions";

/** The redaction rules applied at ingest, oldest first (the order they apply in). */
export const GET = handler(async (request: Request) => {
  requireAdmin(request);
  return json(await listRedactions(await getDb()));
});

/** {sender?, pattern?, replacement?} → 201 with the rule; it applies to messages stored from now on. */
export const POST = handler(async (request: Request) => {
  requireAdmin(request);
  const body = await readJsonBody(request);
  return json(await createRedaction(await getDb(), body), 201);
});
