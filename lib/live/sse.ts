import type { ServerResponse } from "node:http";
import type { Message } from "@/lib/inbox/message";
import { describeError } from "@/lib/security/log";
import type { LiveInboxes } from "./inboxes";
import { log } from "@/lib/observability/log";

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
  if (!bytes)
    encodedMessages.set(
      m,
      (bytes = encoder.encode(encodeEvent({ event: "message", id: m.id, data: JSON.stringify(m) }))),
    );
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

/**
 * When a client that does not read is dropped: once this much waits for it, or once it has not caught up for
 * this long (looked at every heartbeat, so a stuck client is noticed within two heartbeats of the deadline). A phone
 * on a bad network catches up within seconds; Mercure drops such subscribers the same way.
 */
export const STREAM_LIMITS = { maxQueuedBytes: 256 * 1024, readDeadlineMs: 60_000 };

export type StreamOptions = {
  number: string;
  // Replay everything after this id first (Last-Event-ID or ?after=); null: only what is stored from now on.
  after: number | null;
  live: Pick<LiveInboxes, "subscribe" | "replay" | "cursorOf">;
  replayLimit: number;
  heartbeatMs: number;
  retryMs: number;
  // The stream ends after this long; the client reconnects and replays from its Last-Event-ID.
  lifetimeMs: number;
  // A client that does not read is dropped once this much waits for it, or once it has not caught up for
  // `readDeadlineMs`: it reconnects and replays what it missed, and one slow client never grows the server's
  // memory (STREAM_LIMITS).
  maxQueuedBytes: number;
  readDeadlineMs: number;
  signal: AbortSignal;
  // Called once when the stream ends, whichever side ends it.
  onEnd?: () => void;
};

/** `event: hide`: the operator hid message `id`; a page showing it drops it. No `id:` line: it is not a cursor. */
function hideEvent(id: number): string {
  return encodeEvent({ event: "hide", data: JSON.stringify({ id }) });
}

/** Where a stream's bytes go: a web ReadableStream (the route handler) or a Node response (lib/server/stream.ts). */
export type StreamSink = {
  // False when what waits for the client passed what the sink buffers: the stream then calls `caughtUp` once
  // the client has taken it all (Node's `write` and 'drain').
  write(chunk: Uint8Array): boolean;
  // Bytes written that the client has not taken yet. On Node's response this counts a write's bytes until the end
  // of the event loop's turn (the socket is corked until then): look at it in a turn of its own.
  queued(): number;
  // Ends the response; with `dropped`, throws away what waits instead of delivering it.
  end(dropped?: Error): void;
};

/** What the sink tells the stream: the client took everything written so far, or it went away. */
export type LiveStream = { caughtUp(): void; close(): void };

/**
 * A number's live inbox as an event stream: replay since the cursor, then live messages, with heartbeats, and a
 * `hide` event for each message the operator hides while the stream is open.
 * Subscribes before replaying and buffers meanwhile, so a message stored during the replay is neither lost
 * nor sent twice: both the replay and the live inbox give messages in id order without gaps, so anything at or
 * below the last id sent is one the client already has.
 */
export function startMessageStream(options: StreamOptions, sink: StreamSink): LiveStream {
  let closed = false;
  let lastId = options.after ?? 0;
  // What arrives live while the replay runs: delivered after it, in order (a hide after the message it hides).
  let buffer: (Message | { hidden: number })[] | null = [];
  let replaying = false;
  // A write said the sink is full: the replay waits until the client has taken it all.
  let full = false;
  let whenCaughtUp: (() => void) | null = null;
  const caughtUp = () =>
    full && !closed ? new Promise<void>((resolve) => (whenCaughtUp = resolve)) : Promise.resolve();
  // Since which heartbeat the client has had bytes waiting for it (null: at the last one it had taken everything).
  let behindSince: number | null = null;

  let unsubscribe = () => {};
  const end = (dropped?: Error) => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    clearTimeout(lifetime);
    sink.end(dropped);
    whenCaughtUp?.();
    options.onEnd?.();
  };

  const send = (chunk: string | Uint8Array) => {
    if (closed) return;
    // Checked before: one message larger than the limit still goes to a client that keeps up.
    if (!replaying && sink.queued() > options.maxQueuedBytes)
      return end(new Error("the client does not read: its queue is full"));
    if (!sink.write(typeof chunk === "string" ? encoder.encode(chunk) : chunk)) full = true;
  };
  const sendMessage = (m: Message) => {
    if (m.id <= lastId) return;
    lastId = m.id;
    send(messageEvent(m));
  };

  // Whether the client keeps up is looked at here, in a turn of its own, before the ping: right after a write, the
  // bytes still count as waiting on Node's response (see StreamSink), and a client that reads was dropped as
  // one that did not, a minute after it opened.
  const heartbeat = setInterval(() => {
    const now = Date.now();
    if (sink.queued() === 0) behindSince = null;
    else behindSince ??= now;
    if (behindSince !== null && now - behindSince > options.readDeadlineMs)
      end(new Error("the client stopped reading"));
    else send(": ping\n\n");
  }, options.heartbeatMs);
  const lifetime = setTimeout(() => end(), options.lifetimeMs);
  options.signal.addEventListener("abort", () => end(), { once: true });

  const open = async () => {
    // Without a cursor, the stream starts where this process's inbox is as it joins (when it has one):
    // everything after that is delivered to it.
    const known = options.after === null ? options.live.cursorOf(options.number) : null;
    // Before the replay: what the replay reads then covers everything before live delivery starts.
    const subscribed = await options.live.subscribe(
      options.number,
      (m) => (buffer ? buffer.push(m) : sendMessage(m)),
      (id) => (buffer ? buffer.push({ hidden: id }) : send(hideEvent(id))),
    );
    if (closed) return subscribed();
    unsubscribe = subscribed;
    // The first bytes (and with them the headers) once subscribed: a client that has seen the response can count
    // on every message stored from then on. Sent earlier, a message stored while the subscription was still
    // reading its cursor was behind it, and lost to a stream that had already said "connected".
    send(`retry: ${options.retryMs}\n: connected\n\n`);
    if (options.after === null) lastId = known ?? options.live.cursorOf(options.number) ?? 0;
    else {
      for (;;) {
        const page = await options.live.replay(options.number, lastId, options.replayLimit);
        // A page at a time, the next once the client has taken this one: a long replay is never all in memory,
        // and does not count as falling behind.
        replaying = true;
        page.forEach(sendMessage);
        replaying = false;
        if (page.length < options.replayLimit || closed) break;
        await caughtUp();
      }
    }
    const pending = buffer ?? [];
    buffer = null;
    for (const item of pending) {
      if ("hidden" in item) send(hideEvent(item.hidden));
      else sendMessage(item);
    }
  };

  if (options.signal.aborted) end();
  else {
    open().catch((error: unknown) => {
      // The client reconnects with its Last-Event-ID and gets the replay then.
      log().error({ error: describeError(error, { stack: false }) }, "stream replay failed");
      end();
    });
  }
  return {
    caughtUp() {
      full = false;
      behindSince = null;
      whenCaughtUp?.();
      whenCaughtUp = null;
    },
    close: () => end(),
  };
}

/** The stream as a web ReadableStream, for a route handler. */
export function messageStream(options: StreamOptions): ReadableStream<Uint8Array> {
  let stream: LiveStream | undefined;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        stream = startMessageStream(options, {
          write(chunk) {
            controller.enqueue(chunk);
            // Taken at once by a read that was waiting; otherwise `pull` says when it is.
            return (controller.desiredSize ?? 0) >= 0;
          },
          // With a high-water mark of 0, what is queued is what the reader has not taken: -desiredSize.
          queued: () => -(controller.desiredSize ?? 0),
          end(dropped) {
            try {
              if (dropped) controller.error(dropped);
              else controller.close();
            } catch {
              // already closed by the client going away
            }
          },
        });
      },
      // Called only when the reader waits for more: everything enqueued was taken.
      pull: () => stream?.caughtUp(),
      cancel: () => stream?.close(),
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
}

/** Runs a message stream on Node's response, whose head is written once there is something to send. */
export function streamOnResponse(res: ServerResponse, options: Omit<StreamOptions, "signal">): void {
  const gone = new AbortController();
  // Taken now: a response queued behind another on a pipelining connection has none yet, and keeps Node's path.
  const socket = res.socket;
  let direct = false;
  const stream = startMessageStream(
    { ...options, signal: gone.signal },
    {
      write(bytes) {
        // Once Node's first write has put the head out, an event goes onto the socket as one ready-made HTTP
        // chunk, the same bytes for every subscriber. Node's own write frames each one again and queues it as
        // four buffers to one writev on the next tick: a fan-out to 5,000 took a third longer (BENCHMARKS.md).
        if (direct) return socket!.write(httpChunk(bytes));
        const written = res.write(bytes);
        direct = socket !== null && res.chunkedEncoding;
        return written;
      },
      // Node's own buffer, the socket's included: what the client has not taken because it is not reading.
      queued: () => res.writableLength,
      end: (dropped) => (dropped ? res.destroy() : res.end()),
    },
  );
  // After a write that returned false, once everything is taken: the response's, or the socket's for our own
  // writes (removed when the response is done: a kept-alive socket goes on to other requests).
  const caughtUp = () => stream.caughtUp();
  res.on("drain", caughtUp);
  socket?.on("drain", caughtUp);
  res.on("close", () => {
    socket?.off("drain", caughtUp);
    gone.abort();
  });
}

// Bytes of an event as one chunk of HTTP/1.1's chunked body: its size in hex, CRLF, the bytes, CRLF. Kept as long
// as the event's bytes are (a message's are shared by all its subscribers: `messageEvent`).
const httpChunks = new WeakMap<Uint8Array, Buffer>();
const CRLF = Buffer.from("\r\n");
function httpChunk(bytes: Uint8Array): Buffer {
  let chunk = httpChunks.get(bytes);
  if (!chunk)
    httpChunks.set(bytes, (chunk = Buffer.concat([Buffer.from(`${bytes.byteLength.toString(16)}\r\n`), bytes, CRLF])));
  return chunk;
}
