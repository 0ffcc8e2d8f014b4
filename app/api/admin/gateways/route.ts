import { getDb } from "@/db";
import { requireAdmin } from "@/lib/admin/auth";
import { createGateway, listGateways } from "@/lib/admin/gateways";
import { handler, json, readJsonBody } from "@/lib/http";

export const POST = handler(async (request: Request) => {
  requireAdmin(request);
  const body = await readJsonBody(request);
  return json(await createGateway(await getDb(), body), 201);
});

export const GET = handler(async (request: Request) => {
  requireAdmin(request);
  return json(await listGateways(await getDb()));
});
