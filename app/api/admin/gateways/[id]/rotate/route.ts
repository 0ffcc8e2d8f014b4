import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { rotateGateway } from "@/lib/admin/gateways";
import { json, readJsonBody } from "@/lib/http";

type Context = { params: Promise<{ id: string }> };

/** {"apiKey":true} → a new API key (shown once); {"secret":"…"} → a new signing secret. The previous stays valid. */
export const POST = adminHandler(async (request: Request, { params }: Context) => {
  const body = await readJsonBody(request);
  return json(await rotateGateway(await getDb(), (await params).id, body));
});
