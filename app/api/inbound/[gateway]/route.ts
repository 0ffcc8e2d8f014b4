import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { errorResponse, handler } from "@/lib/http";
import { ingest } from "@/lib/ingest/ingest";

type Context = { params: Promise<{ gateway: string }> };

// GET too: Vonage, MessageBird, Kannel, Jasmin and SmsForwarder can be set up to call with a query string;
// PUT and PATCH: SmsForwarder lets its user pick them. Each gateway's kind decides which it accepts (405 otherwise).
const receive = handler(async (request: Request, { params }: Context) => {
  const { gateway } = await params;
  const { INGEST_MAX_BODY_BYTES, INGEST_MAX_URL_LENGTH, PUBLIC_URL, INGEST_RATE_PER_MINUTE } = config();
  return ingest(await getDb(), gateway, request, {
    maxBodyBytes: INGEST_MAX_BODY_BYTES,
    maxUrlLength: INGEST_MAX_URL_LENGTH,
    publicUrl: PUBLIC_URL,
    proxies: config(),
    ratePerMinute: INGEST_RATE_PER_MINUTE,
  });
});
export { receive as GET, receive as POST, receive as PUT, receive as PATCH };

const notAllowed = async () =>
  errorResponse(405, "method_not_allowed", "Post inbound messages with POST (or GET where the gateway's kind uses it).", {
    Allow: "GET, POST",
  });
export { notAllowed as DELETE };
