import { getDb } from "@/lib/server/database";
import { errorResponse, handler } from "@/lib/http";
import { ingest, ingestLimits } from "@/lib/ingest/ingest";

type Context = { params: Promise<{ gateway: string }> };

// GET too: Vonage, MessageBird, Kannel, Jasmin and SmsForwarder can be set up to call with a query string;
// PUT and PATCH: SmsForwarder lets its user pick them. Each gateway's kind decides which it accepts (405 otherwise).
// In production these are answered before Next sees them (lib/server/inbound.ts); this serves development.
const receive = handler(async (request: Request, { params }: Context) => {
  const { gateway } = await params;
  return ingest(await getDb(), gateway, request, ingestLimits());
});
export { receive as GET, receive as POST, receive as PUT, receive as PATCH };

const notAllowed = async () =>
  errorResponse("method_not_allowed", "Post inbound messages with POST (or GET where the gateway's kind uses it).", {
    Allow: "GET, POST",
  });
export { notAllowed as DELETE };
