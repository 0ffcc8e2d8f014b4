import { getDb } from "@/db";
import { requireAdmin } from "@/lib/admin/auth";
import { handler, json } from "@/lib/http";
import { parseIntParam } from "@/lib/inbox/params";
import { listReports } from "@/lib/moderation/reports";

/** Visitors' "codes from X don't arrive on this number" reports, newest first. */
export const GET = handler(async (request: Request) => {
  requireAdmin(request);
  const limit = parseIntParam("limit", new URL(request.url).searchParams.get("limit"), 100, 1, 1000);
  return json(await listReports(await getDb(), limit));
});
