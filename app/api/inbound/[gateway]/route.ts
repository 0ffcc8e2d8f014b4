import { getDb } from "@/db";
import { config } from "@/lib/config";
import { errorResponse, handler } from "@/lib/http";
import { ingest } from "@/lib/ingest/ingest";

type Context = { params: Promise<{ gateway: string }> };

export const POST = handler(async (request: Request, { params }: Context) => {
  const { gateway } = await params;
  return ingest(await getDb(), gateway, request, config().INGEST_MAX_BODY_BYTES);
});

const notAllowed = async () =>
  errorResponse(405, "method_not_allowed", "Post inbound messages with POST.", { Allow: "POST" });
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
