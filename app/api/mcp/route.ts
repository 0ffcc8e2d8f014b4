import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { config } from "@/lib/config";
import { handler, methodsNotAllowed } from "@/lib/http";
import { occupySlot } from "@/lib/limits/open-slots";
import { numboxMcpServer } from "@/lib/mcp/tools";
import { getDb } from "@/lib/server/database";

/**
 * The MCP server (Streamable HTTP), stateless: each POST is one JSON-RPC exchange answered with JSON, with a server
 * and transport of its own, so nothing is kept between requests and any instance can answer any of them. A route
 * handler, not the Node front door: proxy.ts charges it the per-address API budget like every /api route, and a
 * wait_for_code holds a request no longer than the wait route, which lives here too. There is nothing for a GET
 * stream to carry (the tools send no notifications), so only POST is taken.
 */
export const POST = handler(async (request: Request) => {
  const server = numboxMcpServer({
    db: await getDb(),
    waitMaxSeconds: config().WAIT_MAX_SECONDS,
    occupyWait: () => occupySlot("waits", request, config().WAITS_PER_ADDRESS, config()),
    signal: request.signal,
  });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    await server.close();
  }
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
