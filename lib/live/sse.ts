import type { Message } from "@/lib/inbox/message";
import { describeError } from "@/lib/security/log";
import type { MessageBus } from "./bus";

/** One Server-Sent Event. Newlines inside data become separate `data:` lines, as the format requires. */
export function encodeEvent(event: { event?: string; id?: number | string; data: string }): string {
  let out = "";
  if (event.event) out += `event: ${event.event}\n`;
  if (event.id !== undefined) out += `id: ${event.id}\n`;
  for (const line of event.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform: proxies must not compress (and so buffer) the stream.
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  // nginx buffers responses unless told not to.
  "X-Accel-Buffering": "no",
};

export type StreamOptions = {
  number: string;
  // Replay everything after this id first (Last-Event-ID or ?after=); null → only what arrives from now on.
  after: number | null;
  bus: MessageBus;
  replay: (after: number) => Promise<Message[]>;
  replayLimit: number;
  heartbeatMs: number;
  retryMs: number;
  signal: AbortSignal;
};

/**
 * A number's live inbox as an event stream: replay since the cursor, then live messages, with heartbeats.
 * Subscribes before replaying and buffers meanwhile, so a message stored during the replay is neither lost
 * nor sent twice (ids only grow; anything at or below the last id sent is dropped).
 */
export function messageStream(options: StreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cleanup = () => {};

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let lastId = options.after ?? 0;
      let buffer: Message[] | null = [];
      const send = (chunk: string) => {
        if (!closed) controller.enqueue(encoder.encode(chunk));
      };
      const sendMessage = (m: Message) => {
        if (m.id <= lastId) return;
        lastId = m.id;
        send(encodeEvent({ event: "message", id: m.id, data: JSON.stringify(m) }));
      };

      const unsubscribe = options.bus.subscribe(options.number, (m) => (buffer ? buffer.push(m) : sendMessage(m)));
      const heartbeat = setInterval(() => send(": ping\n\n"), options.heartbeatMs);
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      options.signal.addEventListener("abort", cleanup, { once: true });
      if (options.signal.aborted) return cleanup();

      // A comment at once, so that headers are flushed and the client knows it is connected.
      send(`retry: ${options.retryMs}\n: connected\n\n`);
      try {
        if (options.after !== null) {
          for (;;) {
            const page = await options.replay(lastId);
            page.forEach(sendMessage);
            if (page.length < options.replayLimit || closed) break;
          }
        }
      } catch (error) {
        // The client reconnects with its Last-Event-ID and gets the replay then.
        console.error("stream replay failed:", describeError(error));
        return cleanup();
      }
      const pending = buffer;
      buffer = null;
      pending.forEach(sendMessage);
    },
    cancel() {
      cleanup();
    },
  });
}
