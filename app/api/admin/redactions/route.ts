import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { json, readJsonBody } from "@/lib/http";
import { createRedaction, listRedactions } from "@/lib/moderation/redactions";

/** The redaction rules applied at ingest, oldest first (the order they apply in). */
export const GET = adminHandler(async () => {
  return json(await listRedactions(await getDb()));
});

/** {sender?, pattern?, replacement?} → 201 with the rule; it applies to messages stored from now on. */
export const POST = adminHandler(async (request: Request) => {
  const body = await readJsonBody(request);
  return json(await createRedaction(await getDb(), body), 201);
});
