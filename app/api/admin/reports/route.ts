import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { json } from "@/lib/http";
import { parseIntParam } from "@/lib/inbox/params";
import { listReports } from "@/lib/moderation/reports";

/** Visitors' "codes from X don't arrive on this number" reports, newest first. */
export const GET = adminHandler(async (request: Request) => {
  const limit = parseIntParam("limit", new URL(request.url).searchParams.get("limit"), 100, 1, 1000);
  return json(await listReports(await getDb(), limit));
});
