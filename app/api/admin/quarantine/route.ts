import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { json } from "@/lib/http";
import { parseIntParam } from "@/lib/inbox/params";
import { listQuarantine } from "@/lib/ingest/quarantine";

/** Authenticated inbound requests that were refused (4xx), newest first, with their raw bodies. */
export const GET = adminHandler(async (request: Request) => {
  const limit = parseIntParam("limit", new URL(request.url).searchParams.get("limit"), 100, 1, 1000);
  return json(await listQuarantine(await getDb(), limit));
});
