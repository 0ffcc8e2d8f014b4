import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { createGateway, listGateways } from "@/lib/admin/gateways";
import { json, readJsonBody } from "@/lib/http";

export const POST = adminHandler(async (request: Request) => {
  const body = await readJsonBody(request);
  return json(await createGateway(await getDb(), body), 201);
});

export const GET = adminHandler(async () => {
  return json(await listGateways(await getDb()));
});
