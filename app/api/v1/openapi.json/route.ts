import { handler, methodsNotAllowed } from "@/lib/http";
import { noQuery, parseQuery } from "@/lib/api/schemas";
import { openApiDocumentText } from "@/lib/api/openapi";

/** The OpenAPI 3.1 document of the public API (lib/api/openapi.ts): built once per process, then served as is. */
export const GET = handler(async (request: Request) => {
  parseQuery(noQuery, new URL(request.url).searchParams);
  return new Response(openApiDocumentText(), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      // The same until the next release: a client generator or a browser tool may keep it for a while.
      "Cache-Control": "public, max-age=300",
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
