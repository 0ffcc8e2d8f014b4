import { getDb } from "@/db";
import { requireAdmin } from "@/lib/admin/auth";
import { rotateGateway } from "@/lib/admin/gateways";
import { handler, json, readJsonBody } from "@/lib/http";

type Context = { params: Promise<{ id: string }> };

/** {"apiKey":true} → a new API key (shown once); {"secret":"…"} → a new signing secret. The previous stays valid. */
export const POST = handler(async (request: Request, { params }: Context) => {
  requireAdmin(request);
  const body = await readJsonBody(request);
  return json(await rotateGateway(await getDb(), (await params).id, body));
});
