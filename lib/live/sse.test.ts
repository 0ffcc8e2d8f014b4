import { createServer, get, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { setImmediate as nextTurn } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import type { Message } from "@/lib/inbox/message";
import { validMessage } from "@/lib/ingest/message";
import { storeMessages } from "@/lib/ingest/store";
import { databaseReader, KEPT_MESSAGES, LiveInboxes, type InboxReader } from "./inboxes";
import { messageStream, SSE_HEADERS, streamOnResponse, type StreamOptions } from "./sse";

// The live side's own behaviour, on the embedded database: who is dropped, what a replay costs, how a fan-out
// shares the event loop. (The stream over HTTP, with EventSource, is in e2e/; both databases in the repository suite.)
let database: Database;
let live: LiveInboxes;
let reads: { after: number; cursor: number }[];
const GATEWAY = "live";
let numbers = 0;

beforeAll(async () => {
  database = await openDatabase({ pgliteDir: "memory://" });
  await createGateway(database.db, { id: GATEWAY, kind: "generic" });
});
afterAll(() => database.close());

function freshLive(): LiveInboxes {
  const reader = databaseReader(database.db);
  // The real reader, counted: how many replays reached the database.
  const counted: InboxReader = {
    start: reader.start,
    after: (number, cursor, limit) => (
      reads.push({ after: reads.length, cursor }),
      reader.after(number, cursor, limit)
    ),
  };
  reads = [];
  const inboxes = new LiveInboxes();
  inboxes.useReader(counted);
  return inboxes;
}

async function givenNumber(): Promise<string> {
  const number = `+99890${String(1_000_000 + numbers++).slice(1)}0`;
  await createNumber(database.db, { number, gateway: GATEWAY });
  return number;
}

/** Stores messages and tells the live inboxes, as ingest does (lib/live/fanout.ts `announce`). */
async function arrive(number: string, texts: string[], { told = true } = {}): Promise<number[]> {
  const { ids, stored, before } = await storeMessages(
    database.db,
    GATEWAY,
    texts.map((text) => validMessage({ to: number, from: "Svc", text })),
  );
  if (told) live.stored(number, before.get(number), stored);
  return ids as number[];
}

/** Waits until `count` subscribers of `number` are subscribed: their inbox is ready and delivers to them. */
async function subscribed(number: string, count = 1): Promise<void> {
  while (live.subscriberCount(number) < count || live.cursorOf(number) === null) await nextTurn();
}

/** A stream's options in these tests, but for those a test sets. */
function defaults(number: string): Omit<StreamOptions, "signal"> {
  return {
    number,
    after: null,
    live,
    replayLimit: 500,
    heartbeatMs: 60_000,
    retryMs: 1000,
    lifetimeMs: 600_000,
    maxQueuedBytes: 256 * 1024,
    readDeadlineMs: 60_000,
  };
}

function open(number: string, options: Partial<StreamOptions> = {}) {
  let ended!: () => void;
  const end = new Promise<void>((resolve) => (ended = resolve));
  const stream = messageStream({
    ...defaults(number),
    signal: new AbortController().signal,
    onEnd: ended,
    ...options,
  });
  return { reader: stream.getReader(), end };
}

/** Reads events until `count` messages came; their ids. */
async function readMessages(reader: ReadableStreamDefaultReader<Uint8Array>, count: number): Promise<number[]> {
  const ids: number[] = [];
  let text = "";
  while (ids.length < count) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended after ${ids.length} of ${count} messages`);
    text += new TextDecoder().decode(value);
    for (let cut = text.indexOf("\n\n"); cut >= 0; cut = text.indexOf("\n\n")) {
      const event = text.slice(0, cut);
      text = text.slice(cut + 2);
      const id = /^id: (\d+)$/m.exec(event)?.[1];
      if (id && event.includes("event: message")) ids.push(Number(id));
    }
  }
  return ids;
}

const KIB = "x".repeat(1024);

describe("a live stream", () => {
  beforeAll(() => {
    live = freshLive();
  });

  it("drops a client that stops reading once its queue passes the limit, and leaves the inbox", async () => {
    const number = await givenNumber();
    const { reader, end } = open(number, { maxQueuedBytes: 8 * 1024 });
    await readMessages(reader, 0);
    // The first read gives the "connected" comment, sent once it is subscribed.
    await reader.read();
    await subscribed(number);

    // 20 KiB for a client that reads nothing.
    for (let i = 0; i < 20; i++) await arrive(number, [`${i} ${KIB}`]);
    await end;

    expect(live.subscriberCount(number)).toBe(0);
    // What waited for it was thrown away, not kept for a read that never comes.
    await expect(reader.read()).rejects.toThrow(/does not read/);
  });

  it("keeps a client that reads, however much more than the limit passes through it", async () => {
    const number = await givenNumber();
    const { reader } = open(number, { maxQueuedBytes: 4 * 1024 });
    await reader.read();
    await subscribed(number);
    const received = readMessages(reader, 40);
    const sent: number[] = [];
    for (let i = 0; i < 40; i++) sent.push(...(await arrive(number, [`${i} ${KIB}`])));
    expect(await received).toEqual(sent);
    expect(live.subscriberCount(number)).toBe(1);
    await reader.cancel();
    expect(live.subscriberCount(number)).toBe(0);
  });

  it("drops a client that has not caught up by the read deadline", async () => {
    const number = await givenNumber();
    const { reader, end } = open(number, { heartbeatMs: 20, readDeadlineMs: 100 });
    await reader.read();
    await subscribed(number);
    // Heartbeats wait unread from now on, and the deadline passes.
    await end;
    expect(live.subscriberCount(number)).toBe(0);
    await expect(reader.read()).rejects.toThrow(/stopped reading/);
  });

  it("replays more than the queue limit, a page at a time as the client takes it, without dropping it", async () => {
    const number = await givenNumber();
    const ids = await arrive(
      number,
      Array.from({ length: 35 }, (_, i) => `${i} ${KIB}`),
    );
    const { reader } = open(number, { after: ids[0]! - 1, replayLimit: 10, maxQueuedBytes: 2 * 1024 });
    expect(await readMessages(reader, 35)).toEqual(ids);
    await reader.cancel();
  });

  it("replays the last messages a client missed from memory, without the one the operator hid", async () => {
    const number = await givenNumber();
    const ids = await arrive(number, ["one", "two", "three", "four"]);
    reads.length = 0;
    const clients = Array.from({ length: 50 }, () => open(number, { after: ids[0]! }));
    for (const { reader } of clients) expect(await readMessages(reader, 3)).toEqual(ids.slice(1));
    expect(reads).toHaveLength(0);

    live.hidden(number, ids[2]!);
    const late = open(number, { after: ids[0]! });
    expect(await readMessages(late.reader, 2)).toEqual([ids[1], ids[3]]);
    expect(reads).toHaveLength(0);
    await Promise.all([...clients, late].map(({ reader }) => reader.cancel()));
  });

  it("reads a replay from further back than it keeps, asked for by many clients at once, from the database once", async () => {
    const number = await givenNumber();
    const ids = await arrive(
      number,
      Array.from({ length: KEPT_MESSAGES + 5 }, (_, i) => `message ${i}`),
    );
    reads.length = 0;
    const clients = Array.from({ length: 50 }, () => open(number, { after: ids[0]! }));
    for (const { reader } of clients) expect(await readMessages(reader, ids.length - 1)).toEqual(ids.slice(1));
    expect(reads.filter((r) => r.cursor === ids[0])).toHaveLength(1);
    await Promise.all(clients.map(({ reader }) => reader.cancel()));
  });

  it("forgets what it kept when the operator changed something, and reads again", async () => {
    const number = await givenNumber();
    const ids = await arrive(number, ["one", "two"]);
    const first = open(number, { after: ids[1]! });
    await first.reader.read();
    await subscribed(number);
    live.changedEverywhere();
    reads.length = 0;
    const second = open(number, { after: ids[0]! });
    expect(await readMessages(second.reader, 1)).toEqual([ids[1]]);
    expect(reads.filter((r) => r.cursor === ids[0])).toHaveLength(1);
    await Promise.all([first, second].map(({ reader }) => reader.cancel()));
  });

  it("opens without a database read when this process's inbox is up to date", async () => {
    const number = await givenNumber();
    const [id] = await arrive(number, ["before"]);
    const first = open(number, { after: id! });
    await first.reader.read();
    await subscribed(number);
    reads.length = 0;

    const second = open(number, { after: id! });
    const third = open(number);
    await Promise.all([second.reader.read(), third.reader.read()]);
    await subscribed(number, 3);
    const [next] = await arrive(number, ["after"]);
    for (const client of [first, second, third]) expect(await readMessages(client.reader, 1)).toEqual([next]);
    // Not even the inbox read: the store handed it the new message.
    expect(reads).toHaveLength(0);
    await Promise.all([first, second, third].map(({ reader }) => reader.cancel()));
  });

  it("says nothing before it is subscribed: whatever is stored once the client has the response reaches it", async () => {
    const number = await givenNumber();
    // An inbox whose first read of the number is held, as on a busy database.
    const reader = databaseReader(database.db);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = new LiveInboxes();
    slow.useReader({ ...reader, start: (n, kept) => held.then(() => reader.start(n, kept)) });
    const stream = open(number, { live: slow });
    let connected = false;
    const first = stream.reader.read().then(() => (connected = true));

    // Stored while the subscription is still reading where the number stands: the client has not heard a byte.
    await arrive(number, ["while subscribing"], { told: false });
    expect(connected).toBe(false);
    release();
    await first;
    const [id] = await arrive(number, ["once connected"], { told: false });
    slow.changed(number);
    expect(await readMessages(stream.reader, 1)).toEqual([id]);
    await stream.reader.cancel();
  });

  it("takes messages stored here from hand, and reads when another instance's came in between", async () => {
    const number = await givenNumber();
    const { reader } = open(number);
    await reader.read();
    await subscribed(number);
    reads.length = 0;

    const here = await arrive(number, ["one", "two"]);
    expect(await readMessages(reader, 2)).toEqual(here);
    expect(reads).toHaveLength(0);

    // Stored by another instance, whose announcement has not come yet; then one stored here.
    const elsewhere = await arrive(number, ["three"], { told: false });
    const after = await arrive(number, ["four"]);
    expect(await readMessages(reader, 2)).toEqual([...elsewhere, ...after]);
    expect(reads).toHaveLength(1);
    await reader.cancel();
  });
});

/** A server of one number's stream on Node's response, as the API's (lib/server/stream.ts); closed after the test. */
async function serve(number: string, options: Partial<StreamOptions>): Promise<{ server: Server; port: number }> {
  const server = createServer((_, res) => {
    res.writeHead(200, SSE_HEADERS);
    streamOnResponse(res, { ...defaults(number), ...options });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** A client over real HTTP that reads everything the stream sends, as a browser's EventSource does. */
type HttpClient = {
  pings: number;
  ids: number[];
  // Each message's text, from its JSON.
  texts: string[];
  ended: boolean;
  until(done: () => boolean): Promise<void>;
};

/** Reads one number's stream (`serve`) with node:http. */
async function openOverHttp(number: string, options: Partial<StreamOptions> = {}): Promise<HttpClient> {
  const { server, port } = await serve(number, options);
  let changed = () => {};
  const client: HttpClient = {
    pings: 0,
    ids: [],
    texts: [],
    ended: false,
    async until(done) {
      while (!done() && !client.ended) await new Promise<void>((resolve) => (changed = resolve));
    },
  };
  let text = "";
  get({ host: "127.0.0.1", port, path: "/" }, (res) => {
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      text += chunk;
      for (let cut = text.indexOf("\n\n"); cut >= 0; cut = text.indexOf("\n\n")) {
        const event = text.slice(0, cut);
        text = text.slice(cut + 2);
        if (event === ": ping") client.pings++;
        const id = /^id: (\d+)$/m.exec(event)?.[1];
        const data = /^data: (.*)$/m.exec(event)?.[1];
        if (id && data) {
          client.ids.push(Number(id));
          client.texts.push((JSON.parse(data) as Message).text);
        }
      }
      changed();
    });
    res.on("close", () => {
      client.ended = true;
      server.close();
      changed();
    });
  });
  return client;
}

describe("a live stream on Node's response", () => {
  beforeAll(() => {
    live = freshLive();
  });

  // Node corks the socket until the end of a write's turn: the stream took that for a client that did not read,
  // and dropped every stream at the first heartbeat past the read deadline, a minute after it opened.
  it("keeps a client that reads, heartbeat after heartbeat past the read deadline", async () => {
    const number = await givenNumber();
    const client = await openOverHttp(number, { heartbeatMs: 20, readDeadlineMs: 100 });
    await client.until(() => client.pings > 0);
    await subscribed(number);
    const ids = await arrive(number, ["one"]);
    // 15 heartbeats: three times the read deadline.
    await client.until(() => client.pings >= 15);
    expect(client.ended).toBe(false);
    expect(client.ids).toEqual(ids);
  });

  it("replays in pages smaller than Node's buffer, each sent once the one before is", async () => {
    const number = await givenNumber();
    const ids = await arrive(
      number,
      Array.from({ length: 7 }, (_, i) => `message ${i}`),
    );
    const client = await openOverHttp(number, { after: ids[0]! - 1, replayLimit: 2 });
    await client.until(() => client.ids.length >= ids.length);
    expect(client.ids).toEqual(ids);
    expect(client.ended).toBe(false);
  });

  it("replays pages larger than Node's buffer, then goes on live, every event whole", async () => {
    const number = await givenNumber();
    const text = (i: number) => `${i} ${KIB.repeat(4)}`;
    const ids = await arrive(
      number,
      Array.from({ length: 30 }, (_, i) => text(i)),
    );
    // 40 KiB a page: the socket says it is full after each, and the next waits for it to drain.
    const client = await openOverHttp(number, { after: ids[0]! - 1, replayLimit: 10, maxQueuedBytes: 8 * 1024 });
    await client.until(() => client.ids.length >= ids.length);
    await subscribed(number);
    const live = await arrive(number, [text(30), "short"]);
    await client.until(() => client.ids.length >= ids.length + live.length);
    expect(client.ids).toEqual([...ids, ...live]);
    expect(client.texts.at(-2)).toBe(text(30));
    expect(client.ended).toBe(false);
  });
  it("sends an HTTP/1.0 client its events unframed, the connection's end ending the body", async () => {
    const number = await givenNumber();
    const { port } = await serve(number, {});
    const socket = connect(port, "127.0.0.1");
    onTestFinished(() => void socket.destroy());
    let received = "";
    let more = () => {};
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => ((received += chunk), more()));
    const until = async (text: string) => {
      while (!received.includes(text)) await new Promise<void>((resolve) => (more = resolve));
    };
    socket.write("GET / HTTP/1.0\r\n\r\n");
    await until(": connected\n\n");
    await subscribed(number);
    const [id] = await arrive(number, ["over HTTP/1.0"]);
    await until(`id: ${id}\n`);
    const [head, body] = received.split("\r\n\r\n");
    expect(head).not.toMatch(/transfer-encoding/i);
    expect(body).toMatch(
      new RegExp(`^retry: \\d+\n: connected\n\nevent: message\nid: ${id}\ndata: {.*"over HTTP/1.0".*}\n\n$`),
    );
  });

  // A client may send its next request before the answer to the last: the stream's response then waits behind
  // that answer with no socket of its own yet, and must keep Node's write, which frames it once it goes out.
  it("waits behind the answer before it on a pipelining connection, then frames every event", async () => {
    const number = await givenNumber();
    let answerFirst = () => {};
    // Bytes the stream has written that wait for the connection.
    let waiting = () => 0;
    const server = createServer((req, res) => {
      if (req.url === "/first") {
        answerFirst = () => res.end("first answer");
        return;
      }
      res.writeHead(200, SSE_HEADERS);
      streamOnResponse(res, defaults(number));
      waiting = () => res.writableLength;
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
    onTestFinished(() => {
      socket.destroy();
      server.close();
    });
    let received = "";
    let more = () => {};
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => ((received += chunk), more()));
    // The stream's body: what follows the second answer's head, its HTTP chunks checked and joined.
    const streamed = () => {
      const second = received.indexOf("HTTP/1.1 200", 1);
      return second < 0 ? "" : dechunked(received.slice(received.indexOf("\r\n\r\n", second) + 4));
    };
    const until = async (text: string) => {
      while (!streamed().includes(text)) await new Promise<void>((resolve) => (more = resolve));
    };
    socket.write("GET /first HTTP/1.1\r\nHost: numbox\r\n\r\nGET /stream HTTP/1.1\r\nHost: numbox\r\n\r\n");
    await subscribed(number);
    // A message while the first answer is still to come: the stream writes it, and it waits.
    const connected = waiting();
    const [first] = await arrive(number, ["pipelined"]);
    while (waiting() === connected) await nextTurn();
    answerFirst();
    await until(`"pipelined"`);
    expect(received).toContain("first answer");
    const [second] = await arrive(number, ["and the next"]);
    await until(`"and the next"`);
    expect(streamed()).toMatch(
      new RegExp(
        `^retry: \\d+\n: connected\n\nevent: message\nid: ${first}\ndata: {.*"pipelined".*}\n\n` +
          `event: message\nid: ${second}\ndata: {.*"and the next".*}\n\n$`,
      ),
    );
  });
});

describe("a fan-out", () => {
  it("lets other work run while it hands a message to thousands of subscribers, who all get it once", async () => {
    live = freshLive();
    const number = await givenNumber();
    const got: number[] = [];
    let otherWorkRan = false;
    const unsubscribes = await Promise.all(
      Array.from({ length: 3000 }, (_, i) =>
        live.subscribe(number, () => {
          // Other work, queued as the delivery starts: it runs before the fan-out ends only if the fan-out lets go.
          if (i === 0) setImmediate(() => (otherWorkRan = got.length < 3000));
          got.push(i);
        }),
      ),
    );
    let delivered = 0;
    const done = new Promise<void>((resolve) =>
      live.subscribe(number, (m: Message) => {
        delivered = m.id;
        resolve();
      }),
    );
    const [id] = await arrive(number, ["to everyone"]);
    await done;
    expect(delivered).toBe(id);
    expect(otherWorkRan).toBe(true);
    expect(new Set(got).size).toBe(3000);
    unsubscribes.forEach((unsubscribe) => unsubscribe());
  });
});

/** The body of a chunked HTTP/1.1 response (latin1, a character a byte) as far as it has come, each chunk checked. */
function dechunked(body: string): string {
  let joined = "";
  for (let at = 0; ;) {
    const sizeEnd = body.indexOf("\r\n", at);
    if (sizeEnd < 0) return joined;
    const end = sizeEnd + 2 + parseInt(body.slice(at, sizeEnd), 16);
    if (body.length < end + 2) return joined;
    expect(body.slice(end, end + 2)).toBe("\r\n");
    joined += body.slice(sizeEnd + 2, end);
    at = end + 2;
  }
}
