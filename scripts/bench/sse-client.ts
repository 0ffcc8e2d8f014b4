/**
 * A deliberately cheap Server-Sent Events client for holding thousands of streams in the bench process: one raw
 * TCP socket per stream (no Agent, no keep-alive pool, no per-response stream objects), HTTP/1.1 chunked framing
 * undone by hand, and of each event only its `id:` line looked at, with indexOf. At 5,000 subscribers every
 * microsecond spent here per event is 5 ms added to "the last subscriber's receipt", so this is the part of the
 * measurement that must stay out of the way. EventSource's full semantics (retry, event types, data assembly) are
 * what the tests check; here we only need which message ids each stream received, and when.
 */
import net from "node:net";

/**
 * Now, in ms, on CLOCK_MONOTONIC (what process.hrtime reads): the same clock in every process on the machine,
 * so a receipt stamped here compares with a send stamped in the posting process.
 */
export const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

export type StreamEvents = {
  // The id of each `message` event, and when it was read (monotonicMs).
  receipt?: (stream: SseStream, id: number, at: number) => void;
  // The stream ended after it had opened (the server closed it, or the connection broke).
  end?: (stream: SseStream, why: string) => void;
};

export type StreamTarget = { host: string; port: number; path: string };

// A stream whose response head has not arrived by then counts as failed to open.
const OPEN_TIMEOUT_MS = 30_000;
// Larger than any one read of an SSE stream needs; a read that fills it is followed by the next.
const READ_BUFFER = Buffer.alloc(64 * 1024);

/**
 * One open (or opening) stream. `lastId` follows the ids received, as EventSource's last event id does, so a
 * reconnect can send it; `ids` keeps every id when `record` is set (the reconnect storm checks them one by one).
 */
export class SseStream {
  lastId: number;
  received = 0;
  ids: number[] = [];
  record = false;
  // Set when the stream ended or failed after it opened: the server closed it, or the connection broke.
  ended: string | undefined;
  private socket: net.Socket | undefined;
  // Bytes (as latin1 text: one char per byte) not yet taken apart: an incomplete head, chunk header or line.
  private pending = "";
  private headDone = false;
  private chunked = false;
  // Where in the chunked framing the next byte is, and how many bytes of this part are left (data or CRLF).
  private framing: "size" | "data" | "crlf" | "done" = "size";
  private left = 0;
  // The start of an SSE line that the last segment cut in two.
  private partialLine = "";

  constructor(
    readonly target: StreamTarget,
    readonly number: string,
    lastId: number,
    private readonly events: StreamEvents = {},
  ) {
    this.lastId = lastId;
  }

  /**
   * Connects and asks for the stream, with Last-Event-ID when there is one; resolves once the response head says
   * 200, rejects (with the status or the socket's error) otherwise. Can be called again after the stream ended.
   */
  open(): Promise<void> {
    this.close();
    this.pending = "";
    this.headDone = false;
    this.chunked = false;
    this.framing = "size";
    this.left = 0;
    this.partialLine = "";
    this.ended = undefined;
    return new Promise<void>((resolve, reject) => {
      let state: "opening" | "open" | "over" = "opening";
      const fail = (why: string) => {
        if (state === "opening") {
          clearTimeout(timer);
          socket.destroy();
          reject(new Error(why));
        } else if (state === "open" && this.socket === socket) {
          this.ended = why;
          this.events.end?.(this, why);
        }
        state = "over";
      };
      const timer = setTimeout(() => fail(`no answer in ${OPEN_TIMEOUT_MS / 1000} s`), OPEN_TIMEOUT_MS);
      const read = (text: string) => {
        if (this.headDone) return this.body(text);
        this.pending += text;
        const end = this.pending.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = this.pending.slice(0, end);
        const rest = this.pending.slice(end + 4);
        this.pending = "";
        this.headDone = true;
        const status = Number(head.slice(9, 12));
        if (status !== 200) return fail(`HTTP ${status}`);
        this.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
        state = "open";
        clearTimeout(timer);
        resolve();
        if (rest) this.body(rest);
      };
      // `onread`: the socket's bytes go straight into one buffer shared by every stream (each read is handled
      // before the next), without the Buffer and the stream 'data' event that each read otherwise costs.
      const socket = net.connect({
        host: this.target.host,
        port: this.target.port,
        onread: {
          buffer: READ_BUFFER,
          callback: (size: number) => {
            read(READ_BUFFER.toString("latin1", 0, size));
            return true;
          },
        },
      });
      this.socket = socket;
      socket.setNoDelay(true);
      socket.on("connect", () => {
        const lastEventId = this.lastId > 0 ? `Last-Event-ID: ${this.lastId}\r\n` : "";
        socket.write(
          `GET ${this.target.path} HTTP/1.1\r\nHost: ${this.target.host}:${this.target.port}\r\n` +
            `Accept: text/event-stream\r\nCache-Control: no-cache\r\n${lastEventId}\r\n`,
        );
      });
      socket.on("error", (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
      socket.on("close", () => fail("closed by the server"));
    });
  }

  /** Closes the connection from our side (not counted as the stream ending). */
  close(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.removeAllListeners("close");
      socket.removeAllListeners("error");
      // An error after we let go (a reset) is of no interest, but must not go unhandled.
      socket.on("error", () => {});
      socket.destroy();
    }
  }

  private body(text: string): void {
    if (!this.chunked) return this.lines(text);
    // Chunk framing, "<hex size>\r\n<data>\r\n" … "0\r\n\r\n", where a segment may end anywhere.
    const input = this.pending ? this.pending + text : text;
    this.pending = "";
    let payload = "";
    let at = 0;
    while (at < input.length) {
      if (this.framing === "size") {
        const eol = input.indexOf("\r\n", at);
        if (eol < 0) {
          this.pending = input.slice(at);
          break;
        }
        const size = parseInt(input.slice(at, eol), 16);
        at = eol + 2;
        // Size 0 ends the response; the close that follows is seen by the socket.
        if (size === 0) this.framing = "done";
        else [this.framing, this.left] = ["data", size];
      } else if (this.framing === "data") {
        const take = Math.min(this.left, input.length - at);
        payload += input.slice(at, at + take);
        at += take;
        this.left -= take;
        if (this.left === 0) [this.framing, this.left] = ["crlf", 2];
      } else if (this.framing === "crlf") {
        const skip = Math.min(this.left, input.length - at);
        at += skip;
        this.left -= skip;
        if (this.left === 0) this.framing = "size";
      } else {
        break;
      }
    }
    if (payload) this.lines(payload);
  }

  /** Finds `id:` lines: only those at the start of a line (the data is JSON on `data:` lines). */
  private lines(text: string): void {
    const input = this.partialLine ? this.partialLine + text : text;
    const lastNewline = input.lastIndexOf("\n");
    this.partialLine = input.slice(lastNewline + 1);
    let from = 0;
    for (;;) {
      const at = input.indexOf("id:", from);
      if (at < 0 || at > lastNewline) break;
      from = at + 3;
      if (at > 0 && input.charCodeAt(at - 1) !== 10) continue;
      const start = input.charCodeAt(from) === 32 ? from + 1 : from;
      const id = Number(input.slice(start, input.indexOf("\n", start)));
      this.receipt(id);
    }
  }

  private receipt(id: number): void {
    this.lastId = id;
    this.received++;
    if (this.record) this.ids.push(id);
    this.events.receipt?.(this, id, monotonicMs());
  }
}

/**
 * Opens `streams` with at most `concurrency` connections being opened at once (a browser population arriving,
 * not a single burst), retrying a failed one after `retryMs`. Counts the failures and times the whole.
 */
export async function openAll(
  streams: SseStream[],
  options: { concurrency: number; retryMs: number; attempts: number },
): Promise<{ seconds: number; errors: Map<string, number> }> {
  const errors = new Map<string, number>();
  const started = monotonicMs();
  let next = 0;
  const worker = async () => {
    while (next < streams.length) {
      const stream = streams[next++]!;
      for (let attempt = 1; ; attempt++) {
        try {
          await stream.open();
          break;
        } catch (error) {
          const why = (error as Error).message;
          errors.set(why, (errors.get(why) ?? 0) + 1);
          if (attempt >= options.attempts)
            throw new Error(`a stream of ${stream.number} did not open after ${attempt} attempts: ${why}`);
          await new Promise((resolve) => setTimeout(resolve, options.retryMs));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { seconds: (monotonicMs() - started) / 1000, errors };
}

export function closeAll(streams: SseStream[]): void {
  for (const stream of streams) stream.close();
}
