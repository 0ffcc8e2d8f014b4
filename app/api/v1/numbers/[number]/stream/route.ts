import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { handler, methodsNotAllowed } from "@/lib/http";
import { occupySlot } from "@/lib/limits/open-slots";
import { messageStream, SSE_HEADERS } from "@/lib/live/sse";
import { streamOptions } from "@/lib/live/stream-request";

type Context = { params: Promise<{ number: string }> };

// In production, GET is answered before Next sees it (lib/server/stream.ts); this serves development and HEAD.
export const GET = handler(async (request: Request, { params }: Context) => {
  const options = await streamOptions(
    await getDb(),
    (await params).number,
    request.headers,
    new URL(request.url).searchParams,
  );
  // Taken last, once the request is known good; freed when the client goes away or the stream ends.
  const release = occupySlot("streams", request, config().STREAMS_PER_ADDRESS, config());
  const stream = messageStream({ ...options, signal: request.signal, onEnd: release });
  return new Response(stream, { headers: SSE_HEADERS });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
