import { getDb } from "@/lib/server/database";
import { handler, methodsNotAllowed } from "@/lib/http";
import { heartbeat } from "@/lib/ingest/ingest";

type Context = { params: Promise<{ gateway: string }> };

export const POST = handler(async (request: Request, { params }: Context) => {
  const { gateway } = await params;
  return heartbeat(await getDb(), gateway, request);
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
