/**
 * `npm run bench -- live`: the live side of issue 9, from outside, on PGlite and (with BENCH_DATABASE_URL) on
 * Postgres, Numbox running as in production:
 *
 * 1. POST → SSE, one subscriber: from just before a message's POST is sent to its event's receipt on the
 *    number's stream; baselines in the same rounds: the POST's own latency, and a bare node:http SSE server.
 * 2. Held streams: server memory (RSS) with none and with 10,000 idle streams over 100 numbers, the errors while
 *    opening them and how fast they open. Two of the numbers are popular: 1,000 and 5,000 of the streams.
 * 3. Fan-out, on those held streams: numbers with 0, 1,000 and 5,000 subscribers; per message, from the POST's
 *    send to the LAST subscriber's receipt, and the POST's own latency at each size; the bare server alongside.
 * 4. Reconnect storm: the 10,000 clients, each with messages received, lose the server (stopped, started again
 *    on the same database and port); messages are stored while they are away; all reconnect at once with
 *    Last-Event-ID, and one more message per number is posted meanwhile: how long until every client has every
 *    message it missed, each exactly once, and how many errors on the way.
 *
 * The fan-out runs on the held streams rather than on streams of its own because opening streams is what takes
 * longest here (~100 a second today): 16,000 opens would not fit the case's time.
 *
 * The clients are the bench's own (sse-client.ts: raw sockets, ids found with indexOf), in this process; the
 * POSTs come from a forked process (poster.ts), so that reading thousands of streams here does not delay reading
 * their answers. Both stamp times with CLOCK_MONOTONIC (process.hrtime), one clock for both processes. The
 * clients are not spread over several processes: on a 2-core machine a second one competes with the server for
 * the same cores (tried with the bare server: no gain); the bench's CPU per message is reported instead, and the
 * bare server's figures show what reading 5,000 streams here costs.
 */
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { openDatabase } from "../../db/client";
import { createGateway } from "../../lib/admin/gateways";
import { createNumber } from "../../lib/admin/numbers";
import { startBareSse } from "./bare-sse";
import { emptyPostgres } from "./databases";
import { describeMachine, loadAverage, postgresVersion } from "./machine";
import { ensureBuild, startNumbox } from "./numbox";
import { onCleanup, tempDir, type Server } from "./processes";
import type { Post, Posted } from "./poster";
import { closeAll, monotonicMs, openAll, SseStream } from "./sse-client";
import { median, p99 } from "./stats";

const GATEWAY = "live";
// Uzbek mobile numbers, as the other cases use.
const number = (suffix: number) => `+99890100${String(suffix).padStart(4, "0")}`;
// The one-subscriber number.
const SINGLE = number(0);
// The fan-out's sizes, each on a number of its own: nobody listens to the first; the others are the popular
// numbers among the held streams.
const FANOUT = [
  { subscribers: 0, number: number(1) },
  { subscribers: 1_000, number: number(2) },
  { subscribers: 5_000, number: number(3) },
];
const HELD_STREAMS = 10_000;
// The held streams: the popular numbers' subscribers, and the rest spread over quiet numbers, 100 numbers in all.
const QUIET_NUMBERS = Array.from({ length: 98 }, (_, i) => number(1_000 + i));
const HELD_NUMBERS = [...FANOUT.filter((f) => f.subscribers > 0).map((f) => f.number), ...QUIET_NUMBERS];

const SINGLE_MESSAGES = 200;
// Before them, per server: a running server has long been warm, and a fresh one's first thousand requests run
// code the JIT has not compiled yet (one message at a time on PGlite: p50 4.9 ms over the first 600, 2.8 ms after
// 1,000).
const SINGLE_WARM_UP = 1_000;
// Per size and server; sizes and servers interleaved message by message, so drifts in the machine's load fall on
// all alike. (The p99 of 30 is their worst.)
const FANOUT_MESSAGES = 30;
const WARM_UP_MESSAGES = 3;
// Before the restart every client has these; after it, the missed ones are posted as one batch per number, and
// one more per number is posted live during the storm.
const RECEIVED_BEFORE = 2;
const MISSED = 3;
const LIVE_DURING_STORM = 1;

// Streams being opened at once while filling a server: a crowd arriving, not one burst (the storm is the burst).
const OPEN_CONCURRENCY = 64;
// What EventSource waits before reconnecting: Numbox's own `retry:` (SSE_RETRY_MS' default).
const RETRY_MS = 3_000;
const OPEN_ATTEMPTS = 5;
// A message not delivered to every subscriber by then is lost, not slow.
const DELIVERY_DEADLINE_MS = 30_000;
// The storm is watched this long (its target is 15 s); a client without all its messages by then lacks them.
const STORM_DEADLINE_MS = 60_000;
// After the last client completes: time for a late duplicate to show.
const STORM_GRACE_MS = 1_000;
// Server memory is sampled this often and the median kept (garbage collection makes single readings jump).
const RSS_SAMPLES = 5;
const RSS_SAMPLE_MS = 400;

const TARGETS = {
  singleP50: 6,
  singleP99: 20,
  fanoutP99: 100,
  postRatio: 1.5,
  kibPerStream: 40,
  stormSeconds: 15,
};

/** A server as the live case talks to it: where its streams are, and how a message is posted to it. */
type LiveServer = {
  name: string;
  server: Server;
  streamPath(number: string): string;
  post(number: string, texts: string[]): Omit<Post, "seq">;
};

/** The bench's posting process; each post resolves with its send and answer times. */
class Poster {
  private child: ChildProcess;
  private waiting = new Map<number, (posted: Posted) => void>();
  private seq = 0;

  constructor() {
    this.child = fork(path.join(process.cwd(), "scripts/bench/poster.ts"), {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.child.on("message", (posted: Posted) => {
      this.waiting.get(posted.seq)?.(posted);
      this.waiting.delete(posted.seq);
    });
    onCleanup(() => this.child.kill());
  }

  /** Posts and returns the stored messages' ids; anything but a 200 is a broken run. */
  async post(request: Omit<Post, "seq">): Promise<Posted & { ids: number[] }> {
    const seq = ++this.seq;
    const posted = await new Promise<Posted>((resolve) => {
      this.waiting.set(seq, resolve);
      this.child.send({ ...request, seq });
    });
    if (posted.status !== 200) throw new Error(`POST ${request.url}: ${posted.status} ${posted.body.slice(0, 300)}`);
    return { ...posted, ids: (JSON.parse(posted.body) as { ids: number[] }).ids };
  }
}

/**
 * The subscribers of one number on one server. `deliver` posts a message and waits until every one of them has
 * its event: the fan-out's time is the last receipt's.
 */
class Audience {
  readonly streams: SseStream[] = [];
  private waiting: { left: number; last: number; done: () => void } | undefined;

  constructor(
    readonly live: LiveServer,
    readonly number: string,
  ) {}

  add(count: number): SseStream[] {
    const { hostname, port } = new URL(this.live.server.origin);
    const target = { host: hostname, port: Number(port), path: this.live.streamPath(this.number) };
    const added = Array.from(
      { length: count },
      () => new SseStream(target, this.number, 0, { receipt: (_, __, at) => this.receipt(at) }),
    );
    this.streams.push(...added);
    return added;
  }

  private receipt(at: number): void {
    const waiting = this.waiting;
    if (!waiting) return;
    waiting.last = at;
    if (--waiting.left === 0) {
      this.waiting = undefined;
      waiting.done();
    }
  }

  async deliver(
    poster: Poster,
    text: string,
  ): Promise<{ sent: number; answered: number; lastReceipt: number | undefined }> {
    // A stream the server ended is counted where it matters (the held streams' table), not waited for here.
    const open = this.streams.filter((s) => s.ended === undefined);
    let done = () => {};
    const all = new Promise<void>((resolve) => (done = resolve));
    const waiting = { left: open.length, last: 0, done };
    if (waiting.left > 0) this.waiting = waiting;
    const posted = await poster.post(this.live.post(this.number, [text]));
    if (waiting.left > 0) {
      const deadline = sleep(DELIVERY_DEADLINE_MS).then(() => "late" as const);
      if ((await Promise.race([all, deadline])) === "late") {
        this.waiting = undefined;
        throw new Error(
          `${this.live.name}: ${waiting.left} of ${open.length} subscribers of ${this.number} lacked message ${posted.ids[0]} after ${DELIVERY_DEADLINE_MS / 1000} s`,
        );
      }
    }
    const wrong = open.filter((s) => s.lastId !== posted.ids[0]).length;
    if (wrong > 0)
      throw new Error(
        `${this.live.name}: ${wrong} subscribers of ${this.number} did not end at message ${posted.ids[0]}`,
      );
    return { sent: posted.sent, answered: posted.answered, lastReceipt: open.length > 0 ? waiting.last : undefined };
  }
}

function numboxLive(server: Server, apiKey: string): LiveServer {
  return {
    name: "Numbox",
    server,
    streamPath: (n) => `/api/v1/numbers/${n.slice(1)}/stream`,
    post: (n, texts) => ({
      url: `${server.origin}/api/inbound/${GATEWAY}`,
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify(
        texts.length === 1
          ? { to: n, from: "Live", text: texts[0] }
          : { messages: texts.map((text) => ({ to: n, from: "Live", text })) },
      ),
    }),
  };
}

const BARE = "bare node:http";

function bareLive(server: Server): LiveServer {
  return {
    name: BARE,
    server,
    streamPath: (n) => `/stream/${n.slice(1)}`,
    post: (n, texts) => ({
      url: `${server.origin}/publish/${n.slice(1)}`,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ from: "Live", text: texts[0] }),
    }),
  };
}

let textSeq = 0;
// A message as modem hosts send them, each with a code of its own.
const text = () => `Your verification code is ${String(100_000 + (textSeq++ % 900_000))}. Do not share it.`;

/** Opens the streams, failing the run if any cannot be opened in OPEN_ATTEMPTS tries; the errors on the way. */
async function fill(streams: SseStream[]): Promise<{ seconds: number; errors: number; why: string }> {
  const { seconds, errors } = await openAll(streams, {
    concurrency: OPEN_CONCURRENCY,
    retryMs: RETRY_MS,
    attempts: OPEN_ATTEMPTS,
  });
  return { seconds, errors: [...errors.values()].reduce((a, b) => a + b, 0), why: describeCounts(errors) };
}

function describeCounts(counts: Map<string, number>): string {
  return [...counts].map(([what, n]) => `${n} × ${what}`).join(", ");
}

type Percentiles = { p50: number; p99: number; max: number };
const percentiles = (xs: number[]): Percentiles => ({ p50: median(xs), p99: p99(xs), max: Math.max(...xs) });

type SingleResult = { server: string; receipt: Percentiles; post: Percentiles };

/** 1. POST → SSE with one subscriber, Numbox and the bare server alternating message by message. */
async function postToSse(poster: Poster, servers: LiveServer[]): Promise<SingleResult[]> {
  const audiences = servers.map((live) => new Audience(live, SINGLE));
  for (const audience of audiences) await fill(audience.add(1));
  const receipts = servers.map((): number[] => []);
  const posts = servers.map((): number[] => []);
  for (let i = -SINGLE_WARM_UP; i < SINGLE_MESSAGES; i++) {
    const order = i % 2 === 0 ? audiences : [...audiences].reverse();
    for (const audience of order) {
      const { sent, answered, lastReceipt } = await audience.deliver(poster, text());
      if (i < 0) continue;
      const s = audiences.indexOf(audience);
      receipts[s]!.push(lastReceipt! - sent);
      posts[s]!.push(answered - sent);
    }
  }
  for (const audience of audiences) closeAll(audience.streams);
  return servers.map((live, s) => ({
    server: live.name,
    receipt: percentiles(receipts[s]!),
    post: percentiles(posts[s]!),
  }));
}

type FanoutResult = {
  server: string;
  subscribers: number;
  lastReceipt: Percentiles | undefined;
  post: Percentiles;
  // The bench process' own CPU time per message, median: reading the events is part of the last receipt's time.
  clientCpuMs: number;
};

/**
 * 3. Fan-out. Every size's subscribers are held at once (each size on a number of its own), so the sizes and the
 * servers alternate message by message; a number's message reaches only its own subscribers. `audiences`:
 * per server, one per size, in FANOUT's order.
 */
async function fanOut(poster: Poster, audiences: Audience[][]): Promise<FanoutResult[]> {
  const results = new Map<Audience, { receipts: number[]; posts: number[]; cpu: number[] }>();
  for (const audience of audiences.flat()) results.set(audience, { receipts: [], posts: [], cpu: [] });
  for (let i = -WARM_UP_MESSAGES; i < FANOUT_MESSAGES; i++) {
    const serverOrder = i % 2 === 0 ? audiences : [...audiences].reverse();
    for (const perServer of serverOrder) {
      // The sizes rotate: each comes first, second and third equally often.
      const start = (i + WARM_UP_MESSAGES) % FANOUT.length;
      for (let k = 0; k < FANOUT.length; k++) {
        const audience = perServer[(start + k) % FANOUT.length]!;
        const cpuBefore = process.cpuUsage();
        const { sent, answered, lastReceipt } = await audience.deliver(poster, text());
        const cpu = process.cpuUsage(cpuBefore);
        if (i < 0) continue;
        const result = results.get(audience)!;
        if (lastReceipt !== undefined) result.receipts.push(lastReceipt - sent);
        result.posts.push(answered - sent);
        result.cpu.push((cpu.user + cpu.system) / 1000);
      }
    }
    if ((i + 1) % 10 === 0) progress(`fan-out: ${i + 1}/${FANOUT_MESSAGES} messages per size and server`);
  }
  return audiences.flat().map((audience) => {
    const { receipts, posts, cpu } = results.get(audience)!;
    return {
      server: audience.live.name,
      subscribers: audience.streams.length,
      lastReceipt: receipts.length > 0 ? percentiles(receipts) : undefined,
      post: percentiles(posts),
      clientCpuMs: median(cpu),
    };
  });
}

/** The server's resident memory (VmRSS), KiB. */
function rssKiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}

async function sampledRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RSS_SAMPLES; i++) {
    samples.push(rssKiB(pid));
    await sleep(RSS_SAMPLE_MS);
  }
  return median(samples);
}

/** Every process of the server's group but the one whose memory is read: their memory would be missed. */
function otherProcessesOf(pid: number): number[] {
  const others: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === pid) continue;
    try {
      // Fields after the command name (which may hold spaces, so it is skipped by its closing parenthesis):
      // state, ppid, pgrp.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (pgrp === pid) others.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return others;
}

type HeldResult = {
  streams: number;
  opened: { seconds: number; errors: number; why: string };
  rssBefore: number;
  rssIdle: number;
  rssAfterMessages: number;
  endedWhileHeld: number;
  otherProcesses: number;
};

/**
 * 2. Opens the held streams on Numbox, interleaved over the numbers as visitors of many inboxes arrive (a fixed
 * shuffle), and reads the server's memory before and after. The audiences, by number.
 */
async function holdStreams(
  numbox: LiveServer,
): Promise<{ audiences: Map<string, Audience>; held: Omit<HeldResult, "rssAfterMessages" | "endedWhileHeld"> }> {
  const pid = numbox.server.pid;
  const otherProcesses = otherProcessesOf(pid).length;
  const rssBefore = await sampledRss(pid);
  const audiences = new Map(HELD_NUMBERS.map((n) => [n, new Audience(numbox, n)]));
  const streams: SseStream[] = [];
  for (const { number: n, subscribers } of FANOUT)
    if (subscribers > 0) streams.push(...audiences.get(n)!.add(subscribers));
  for (let i = 0; streams.length < HELD_STREAMS; i++)
    streams.push(...audiences.get(QUIET_NUMBERS[i % QUIET_NUMBERS.length]!)!.add(1));
  // 7,919 is prime, so i ↦ i·7919 mod 10,000 visits every stream once, the numbers well mixed.
  const order = streams.map((_, i) => streams[(i * 7_919) % streams.length]!);
  progress(
    `held streams: opening ${streams.length.toLocaleString("en")} on ${HELD_NUMBERS.length} numbers, ${OPEN_CONCURRENCY} at a time`,
  );
  const opened = await fill(order);
  await sleep(1_000);
  const rssIdle = await sampledRss(pid);
  return { audiences, held: { streams: streams.length, opened, rssBefore, rssIdle, otherProcesses } };
}

type StormResult = {
  clients: number;
  restartSeconds: number;
  connectedSeconds: number | undefined;
  // When half, 90 % and all of the clients had every message they should (undefined: that many never did).
  completeSeconds: { half: number | undefined; most: number | undefined; all: number | undefined };
  errors: number;
  why: string;
  // Clients without every message they should have had when the watch ended.
  lacking: number;
  duplicates: number;
  gaps: number;
  unexpected: number;
};

/**
 * 4. The restart and the storm. Every client of `audiences` has received the same messages as the others of its
 * number (at least RECEIVED_BEFORE; the popular numbers' also the fan-out's). Returns the restarted server.
 */
async function storm(
  poster: Poster,
  numbox: LiveServer,
  audiences: Audience[],
  restart: () => Promise<LiveServer>,
): Promise<{ storm: StormResult; restarted: LiveServer }> {
  const streams = audiences.flatMap((a) => a.streams);
  // The same for every client of a number, but for one the server ended while held (counted there).
  const lastIds = new Map(audiences.map((a) => [a.number, Math.max(...a.streams.map((s) => s.lastId))]));
  // The restart: every client loses its stream; none reconnects until the storm.
  progress("reconnect storm: restarting the server");
  const restartStarted = monotonicMs();
  await numbox.server.stop();
  closeAll(streams);
  const restarted = await restart();
  const restartSeconds = (monotonicMs() - restartStarted) / 1000;
  const expected = new Map<string, number[]>();
  for (const { number: n } of audiences) {
    const { ids } = await poster.post(restarted.post(n, Array.from({ length: MISSED }, text)));
    expected.set(n, ids);
  }

  // Every client at once, each with its Last-Event-ID, retrying as EventSource does.
  const want = MISSED + LIVE_DURING_STORM;
  const errors = new Map<string, number>();
  const countError = (why: string) => errors.set(why, (errors.get(why) ?? 0) + 1);
  const connected = new Set<SseStream>();
  const completedAt: number[] = [];
  let connectedAt: number | undefined;
  let allComplete = () => {};
  const allCompleteNow = new Promise<void>((resolve) => (allComplete = resolve));
  const stormStarted = monotonicMs();
  const deadline = stormStarted + STORM_DEADLINE_MS;
  let over = false;
  const reconnect = async (stream: SseStream, first: boolean) => {
    for (let attempt = 0; !over && monotonicMs() < deadline; attempt++) {
      if (!first || attempt > 0) await sleep(RETRY_MS);
      if (over) return;
      try {
        await stream.open();
        if (!connected.has(stream) && connected.add(stream).size === streams.length) connectedAt = monotonicMs();
        return;
      } catch (error) {
        countError((error as Error).message);
      }
    }
  };
  const { hostname, port } = new URL(restarted.server.origin);
  const stormStreams = streams.map((old) => {
    const stream = new SseStream(
      { host: hostname, port: Number(port), path: restarted.streamPath(old.number) },
      old.number,
      lastIds.get(old.number)!,
      {
        receipt: (s) => {
          if (s.ids.length === want && completedAt.push(monotonicMs()) === streams.length) allComplete();
        },
        end: (s, why) => {
          if (s.ids.length >= want) return;
          countError(`ended early: ${why}`);
          void reconnect(s, false);
        },
      },
    );
    stream.record = true;
    return stream;
  });
  progress(`reconnect storm: ${streams.length.toLocaleString("en")} clients at once`);
  for (const stream of stormStreams) void reconnect(stream, true);
  // Meanwhile, one more message per number: it reaches each client either in its replay or live, never twice.
  await Promise.all(
    chunk(audiences, 4).map(async (some) => {
      for (const { number: n } of some) {
        const { ids } = await poster.post(restarted.post(n, [text()]));
        expected.get(n)!.push(...ids);
      }
    }),
  );
  await Promise.race([allCompleteNow, sleep(Math.max(0, deadline - monotonicMs()))]);
  await sleep(STORM_GRACE_MS);
  over = true;
  let lacking = 0;
  let duplicates = 0;
  let gaps = 0;
  let unexpected = 0;
  for (const stream of stormStreams) {
    const wanted = expected.get(stream.number)!;
    const got = new Set(stream.ids);
    duplicates += stream.ids.length - got.size;
    const missing = wanted.filter((id) => !got.has(id)).length;
    if (missing > 0) lacking++;
    gaps += missing;
    unexpected += [...got].filter((id) => !wanted.includes(id)).length;
  }
  closeAll(stormStreams);
  const seconds = (at: number | undefined) => (at === undefined ? undefined : (at - stormStarted) / 1000);
  // completedAt is in time order: the k-th client to complete is at k − 1.
  const whenDone = (share: number) => seconds(completedAt[Math.ceil(share * streams.length) - 1]);
  return {
    storm: {
      clients: streams.length,
      restartSeconds,
      connectedSeconds: seconds(connectedAt),
      completeSeconds: { half: whenDone(0.5), most: whenDone(0.9), all: whenDone(1) },
      errors: [...errors.values()].reduce((a, b) => a + b, 0),
      why: describeCounts(errors),
      lacking,
      duplicates,
      gaps,
      unexpected,
    },
    restarted,
  };
}

function chunk<T>(xs: T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, p) => xs.filter((_, i) => i % parts === p));
}

type Where = { name: string; database: { url: string } | { pgliteDir: string } };
type Result = {
  database: string;
  single: SingleResult[];
  fanout: FanoutResult[];
  held: HeldResult;
  storm: StormResult;
};

/** An empty database with the live gateway and every number the case uses; closed again (PGlite: one process). */
async function prepare(where: Where): Promise<string> {
  if ("url" in where.database) await emptyPostgres(where.database.url);
  const opened = await openDatabase(where.database);
  try {
    const { apiKey } = await createGateway(opened.db, { id: GATEWAY, kind: "generic" });
    for (const n of new Set([SINGLE, ...FANOUT.map((f) => f.number), ...HELD_NUMBERS]))
      await createNumber(opened.db, { number: n, gateway: GATEWAY });
    return apiKey;
  } finally {
    await opened.close();
  }
}

export async function benchLive(url: string | undefined): Promise<void> {
  const loadBefore = loadAverage();
  await ensureBuild();
  startedAt = monotonicMs();
  const poster = new Poster();
  const bare = bareLive(await startBareSse());
  const wheres: Where[] = [{ name: "PGlite", database: { pgliteDir: path.join(tempDir("pglite"), "db") } }];
  if (url) wheres.push({ name: "Postgres", database: { url } });

  const results: Result[] = [];
  for (const where of wheres) {
    progress(`live, ${where.name}: preparing the database`);
    const apiKey = await prepare(where);
    const numbox = numboxLive(await startNumbox(where.database), apiKey);
    progress(`live, ${where.name}: POST → SSE, one subscriber`);
    const single = await postToSse(poster, [bare, numbox]);

    const { audiences, held: opened } = await holdStreams(numbox);
    progress(`live, ${where.name}: ${RECEIVED_BEFORE} messages to each held number`);
    for (let m = 0; m < RECEIVED_BEFORE; m++)
      for (const audience of audiences.values()) await audience.deliver(poster, text());
    await sleep(1_000);
    const rssAfterMessages = await sampledRss(numbox.server.pid);

    progress(`live, ${where.name}: fan-out, opening the bare server's streams`);
    const bareAudiences = FANOUT.map(({ number: n }) => new Audience(bare, n));
    for (const [k, audience] of bareAudiences.entries()) await fill(audience.add(FANOUT[k]!.subscribers));
    const fanout = await fanOut(poster, [
      bareAudiences,
      FANOUT.map(({ number: n }) => audiences.get(n) ?? new Audience(numbox, n)),
    ]);
    for (const audience of bareAudiences) closeAll(audience.streams);
    const endedWhileHeld = [...audiences.values()]
      .flatMap((a) => a.streams)
      .filter((s) => s.ended !== undefined).length;
    numbox.server.assertRunning();
    const held = { ...opened, rssAfterMessages, endedWhileHeld };

    const port = Number(new URL(numbox.server.origin).port);
    const after = await storm(poster, numbox, [...audiences.values()], async () =>
      numboxLive(await startNumbox(where.database, { port }), apiKey),
    );
    after.restarted.server.assertRunning();
    await after.restarted.server.stop();
    results.push({ database: where.name, single, fanout, held, storm: after.storm });
  }
  await bare.server.stop();

  const postgres = url ? `; ${await postgresVersion(url)} on the same machine (loopback)` : "";
  report(results, `${describeMachine()}${postgres}; load average (1 min) ${loadBefore} before, ${loadAverage()} after`);
}

let startedAt = 0;
/** Progress on stderr, with the time since the case started: the case is long, and its phases' lengths tell. */
function progress(what: string): void {
  console.error(`[${((monotonicMs() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${what}`);
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const met = (ok: boolean) => (ok ? "✓" : "✗ missed");

function report(results: Result[], machine: string): void {
  console.log(`\n- Machine: ${machine}.`);
  console.log(
    `- Method: Numbox's production build (\`node server.mjs\`), rate limits and STREAMS_PER_ADDRESS set out of the way; ` +
      `the bench's own SSE clients (raw sockets, one per stream, in the bench process) and a forked posting process, ` +
      `times on CLOCK_MONOTONIC (process.hrtime, shared by both processes), "send" taken just before the POST is ` +
      `written. Baseline in the same rounds: a bare \`node:http\` SSE server (answers the POST, then writes one ` +
      `pre-encoded event to each stream) read by the same clients: what this machine and this client allow.`,
  );

  console.log(
    `\n#### POST → SSE, one subscriber (${SINGLE_MESSAGES} messages after ${SINGLE_WARM_UP.toLocaleString("en")} to warm up, one at a time, servers alternating)\n`,
  );
  console.log(
    "| database | server | event receipt p50 (ms) | p99 | POST answer p50 (ms) | p99 | target: p50 ≤ 6, p99 ≤ 20 |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const r of results) {
    for (const s of r.single) {
      const target =
        s.server === "Numbox"
          ? met(s.receipt.p50 <= TARGETS.singleP50 && s.receipt.p99 <= TARGETS.singleP99)
          : "baseline";
      console.log(
        `| ${r.database} | ${s.server} | ${ms(s.receipt.p50)} | ${ms(s.receipt.p99)} | ${ms(s.post.p50)} | ${ms(s.post.p99)} | ${target} |`,
      );
    }
  }

  console.log(
    `\n#### Fan-out to N subscribers of one number (${FANOUT_MESSAGES} messages per N and server, one at a time, each ` +
      `delivered to all before the next; sizes and servers interleaved; p99 of ${FANOUT_MESSAGES} is their worst)\n`,
  );
  console.log(
    "| database | server | N | POST send → last receipt p50 (ms) | p99 | last receipt p50 ÷ bare's | POST answer p50 (ms) | p99 | POST p50 ÷ at N=0 | bench client CPU per message (ms) | target: p99 ≤ 100, POST ≤ 1.5× |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of results) {
    for (const f of r.fanout) {
      const atZero = r.fanout.find((z) => z.server === f.server && z.subscribers === 0)!;
      const ratio = f.post.p50 / atZero.post.p50;
      const receipt = f.lastReceipt ? `${ms(f.lastReceipt.p50)} | ${ms(f.lastReceipt.p99)}` : "— | —";
      const bare = r.fanout.find((b) => b.server === BARE && b.subscribers === f.subscribers)?.lastReceipt;
      const overBare = f.server === "Numbox" && f.lastReceipt && bare ? (f.lastReceipt.p50 / bare.p50).toFixed(1) : "—";
      let target = "baseline";
      if (f.server === "Numbox") {
        target =
          f.subscribers === 0
            ? "(reference)"
            : met((f.lastReceipt?.p99 ?? Infinity) <= TARGETS.fanoutP99 && ratio <= TARGETS.postRatio);
      }
      console.log(
        `| ${r.database} | ${f.server} | ${f.subscribers.toLocaleString("en")} | ${receipt} | ${overBare} | ${ms(f.post.p50)} | ${ms(f.post.p99)} | ${ratio.toFixed(2)} | ${ms(f.clientCpuMs)} | ${target} |`,
      );
    }
  }

  console.log(
    `\n#### Held streams (${HELD_STREAMS.toLocaleString("en")} idle streams over ${HELD_NUMBERS.length} numbers: ` +
      `${FANOUT.filter((f) => f.subscribers > 0)
        .map((f) => f.subscribers.toLocaleString("en"))
        .join(" and ")} on two popular ones, the rest spread; ` +
      `opened ${OPEN_CONCURRENCY} at a time; server RSS = VmRSS of its process, median of ${RSS_SAMPLES} readings)\n`,
  );
  console.log(
    "| database | streams | opens/s | errors while opening | ended while held | RSS, 0 streams (MiB) | RSS, all held (MiB) | KiB per stream | after " +
      `${RECEIVED_BEFORE} messages each: KiB per stream | target: ≤ 40 KiB, 0 errors |`,
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const { database, held: h } of results) {
    const perStream = (h.rssIdle - h.rssBefore) / h.streams;
    const afterMessages = (h.rssAfterMessages - h.rssBefore) / h.streams;
    const errors = h.opened.errors === 0 ? "0" : `${h.opened.errors} (${h.opened.why})`;
    console.log(
      `| ${database} | ${h.streams.toLocaleString("en")} | ${(h.streams / h.opened.seconds).toFixed(0)} | ${errors} | ${h.endedWhileHeld} | ` +
        `${(h.rssBefore / 1024).toFixed(0)} | ${(h.rssIdle / 1024).toFixed(0)} | ${perStream.toFixed(1)} | ${afterMessages.toFixed(1)} | ` +
        `${met(perStream <= TARGETS.kibPerStream && h.opened.errors === 0 && h.endedWhileHeld === 0)} |`,
    );
  }

  console.log(
    `\n#### Reconnect storm (each client had ${RECEIVED_BEFORE} messages; server stopped and started again on the same ` +
      `database and port; ${MISSED} messages per number stored while they were away, ${LIVE_DURING_STORM} more posted ` +
      `during the storm; all clients reconnect at once with Last-Event-ID, a failed one retries after ${RETRY_MS / 1000} s ` +
      `as EventSource does; watched ${STORM_DEADLINE_MS / 1000} s)\n`,
  );
  console.log(
    "| database | clients | restart (s) | all connected (s) | every message at 50 % / 90 % / all clients (s) | errors | clients lacking messages at the end | duplicates | gaps | unexpected | target: all ≤ 15 s, 0 errors, each once |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const { database, storm: s } of results) {
    const seconds = (x: number | undefined) => (x === undefined ? "never" : x.toFixed(1));
    const errors = s.errors === 0 ? "0" : `${s.errors} (${s.why})`;
    const ok =
      s.completeSeconds.all !== undefined &&
      s.completeSeconds.all <= TARGETS.stormSeconds &&
      s.errors === 0 &&
      s.duplicates === 0 &&
      s.gaps === 0 &&
      s.unexpected === 0;
    console.log(
      `| ${database} | ${s.clients.toLocaleString("en")} | ${s.restartSeconds.toFixed(1)} | ${seconds(s.connectedSeconds)} | ` +
        `${seconds(s.completeSeconds.half)} / ${seconds(s.completeSeconds.most)} / ${seconds(s.completeSeconds.all)} | ` +
        `${errors} | ${s.lacking} | ${s.duplicates} | ${s.gaps} | ${s.unexpected} | ${met(ok)} |`,
    );
  }
  for (const { database, held } of results) {
    if (held.otherProcesses > 0)
      console.log(
        `\n(${database}: the server's group had ${held.otherProcesses} other process(es), whose memory is not counted.)`,
      );
  }
}
