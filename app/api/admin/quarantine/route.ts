import { getDb } from "@/db";
import { requireAdmin } from "@/lib/admin/auth";
import { handler, json } from "@/lib/http";
import { parseIntParam } from "@/lib/inbox/params";
import { listQuarantine } from "@/lib/ingest/quarantine";

/** Authenticated inbound requests that were refused (4xx), newest first, with their raw bodies. */
export const GET = handler(async (request: Request) => {
  requireAdmin(request);
  const limit = parseIntParam("limit", new URL(request.url).searchParams.get("limit"), 100, 1, 1000);
  return json(await listQuarantine(await getDb(), limit));
});
