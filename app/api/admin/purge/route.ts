import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { json } from "@/lib/http";
import { policyFrom, purge } from "@/lib/retention/purge";

/** Runs the retention purge now (it also runs on a schedule); answers what it deleted. */
export const POST = adminHandler(async () => {
  return json(await purge(await getDb(), policyFrom(config())));
});
