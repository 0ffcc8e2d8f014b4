import type { Message } from "@/lib/inbox/message";
import { describeError } from "@/lib/security/log";
import type { LiveInboxes } from "./inboxes";

/** One Server-Sent Event. Newlines inside data become separate `data:` lines, as the format requires. */
export function encodeEvent(event: { event?: string; id?: number | string; data: string }): string {
  let out = "";
  if (event.event) out += `event: ${event.event}\n`;
  if (event.id !== undefined) out += `id: ${event.id}\n`;
  for (const line of event.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

const encoder = new TextEncoder();
// A live inbox hands the same message object to each of its subscribers: encode it once for all of them.
const encodedMessages = new WeakMap<Message, Uint8Array>();
function messageEvent(m: Message): Uint8Array {
  let bytes = encodedMessages.get(m);
  if (!bytes) encodedMessages.set(m, (bytes = encoder.encode(encodeEvent({ event: "message", id: m.id, data: JSON.stringify(m) }))));
  return bytes;
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
  // Replay everything after this id first: Last-Event-ID, ?after=, or without either the newest id at the request.
  after: number;
  live: Pick<LiveInboxes, "subscribe">;
  replay: (after: number) => Promise<Message[]>;
  replayLimit: number;
  heartbeatMs: number;
  retryMs: number;
  // The stream ends after this long; the client reconnects and replays from its Last-Event-ID.
  lifetimeMs: number;
  signal: AbortSignal;
};

/** `event: hide`: the operator hid message `id`; a page showing it drops it. No `id:` line: it is not a cursor. */
function hideEvent(id: number): string {
  return encodeEvent({ event: "hide", data: JSON.stringify({ id }) });
}

/**
 * A number's live inbox as an event stream: replay since the cursor, then live messages, with heartbeats, and a
 * `hide` event for each message the operator hides while the stream is open.
 * Subscribes before replaying and buffers meanwhile, so a message stored during the replay is neither lost
 * nor sent twice: both the replay and the live inbox give messages in id order without gaps, so anything at or
 * below the last id sent is one the client already has.
 */
export function messageStream(options: StreamOptions): ReadableStream<Uint8Array> {
  let cleanup = () => {};

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let lastId = options.after;
      // What arrives live while the replay runs: delivered after it, in order (a hide after the message it hides).
      let buffer: (Message | { hidden: number })[] | null = [];
      const send = (chunk: string | Uint8Array) => {
        if (!closed) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      };
      const sendMessage = (m: Message) => {
        if (m.id <= lastId) return;
        lastId = m.id;
        send(messageEvent(m));
      };

      let unsubscribe = () => {};
      const heartbeat = setInterval(() => send(": ping\n\n"), options.heartbeatMs);
      const lifetime = setTimeout(() => cleanup(), options.lifetimeMs);
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        clearTimeout(lifetime);
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
        // Before the replay: what the replay reads then covers everything before live delivery starts.
        const subscribed = await options.live.subscribe(
          options.number,
          (m) => (buffer ? buffer.push(m) : sendMessage(m)),
          (id) => (buffer ? buffer.push({ hidden: id }) : send(hideEvent(id))),
        );
        if (closed) return subscribed();
        unsubscribe = subscribed;
        for (;;) {
          const page = await options.replay(lastId);
          page.forEach(sendMessage);
          if (page.length < options.replayLimit || closed) break;
        }
      } catch (error) {
        // The client reconnects with its Last-Event-ID and gets the replay then.
        console.error("stream replay failed:", describeError(error, { stack: false }));
        return cleanup();
      }
      const pending = buffer;
      buffer = null;
      for (const item of pending) {
        if ("hidden" in item) send(hideEvent(item.hidden));
        else sendMessage(item);
      }
    },
    cancel() {
      cleanup();
    },
  });
}
