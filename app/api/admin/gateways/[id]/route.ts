import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { updateGateway } from "@/lib/admin/gateways";
import { json, methodsNotAllowed, readJsonBody } from "@/lib/http";

type Context = { params: Promise<{ id: string }> };

/** {"name":"…"} and/or {"config":{…}}: the gateway's name and whole config, checked as when it was added. */
export const PATCH = adminHandler(async (request: Request, { params }: Context) => {
  const body = await readJsonBody(request);
  return json(await updateGateway(await getDb(), (await params).id, body));
});

export const { GET, POST, PUT, DELETE } = methodsNotAllowed("PATCH");
