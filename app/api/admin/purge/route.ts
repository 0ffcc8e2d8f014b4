import { getDb } from "@/db";
import { requireAdmin } from "@/lib/admin/auth";
import { config } from "@/lib/config";
import { handler, json } from "@/lib/http";
import { policyFrom, purge } from "@/lib/retention/purge";

/** Runs the retention purge now (it also runs on a schedule); answers what it deleted. */
export const POST = handler(async (request: Request) => {
  requireAdmin(request);
  return json(await purge(await getDb(), policyFrom(config())));
});
