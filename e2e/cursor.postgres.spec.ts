import { EventSource } from "eventsource";
import { createPostgresDatabase, startServer, type TestServer } from "./servers";
import { Numbox, test, expect } from "./fixtures";

/**
 * The cursor promise, from outside: 16 senders post at once through two instances sharing one Postgres
 * database, and every kind of reader that moves an `id > cursor` cursor forward — a live stream on each
 * instance (the EventSource client), an `after=` poller, a tester's series of waits — gets every acknowledged
 * message exactly once, in id order. Before commits for a number were ordered, a stream missed most of them.
 */
const SENDERS = 16;
const REQUESTS_PER_SENDER = 30;
// Every fourth request is a batch of three: batches and single messages interleave, as modem spools do.
const perRequest = (i: number): number => (i % 4 === 3 ? 3 : 1);
const TOTAL = SENDERS * Array.from({ length: REQUESTS_PER_SENDER }, (_, i) => perRequest(i)).reduce((a, b) => a + b);

// One test address does all of this: the per-address budgets are opened up (they are tested elsewhere).
const OPEN_LIMITS = {
  API_RATE_PER_MINUTE: "1000000",
  ADMIN_RATE_PER_MINUTE: "1000000",
  INGEST_RATE_PER_MINUTE: "1000000",
};

test("16 senders on two instances: each stream, an after= poller and a series of waits get every message once, in order", async () => {
  test.setTimeout(300_000);
  const database = await createPostgresDatabase();
  const env = { ...OPEN_LIMITS, ADMIN_TOKEN: "cursor-token", DATABASE_URL: database.url };
  const servers: TestServer[] = [];
  const sources: EventSource[] = [];
  try {
    servers.push(...(await Promise.all([startServer("cursor-a", env), startServer("cursor-b", env)])));
    const [a, b] = servers.map((s) => new Numbox(s.url, "cursor-token")) as [Numbox, Numbox];
    const { gateway, key, number, digits } = await a.gatewayWithNumber();

    // A stream on each instance, open before anything is sent.
    const streamed = await Promise.all(
      [a, b].map(async (instance) => {
        const ids: number[] = [];
        const source = new EventSource(`${instance.url}/api/v1/numbers/${digits}/stream?after=0`);
        sources.push(source);
        source.addEventListener("message", (event) => ids.push(Number(event.lastEventId)));
        await new Promise<void>((resolve, reject) => {
          source.onopen = () => resolve();
          source.onerror = () =>
            source.readyState === EventSource.CLOSED ? reject(new Error("stream refused")) : undefined;
        });
        return ids;
      }),
    );

    const acknowledged: number[] = [];
    let sending = true;
    const newestAcknowledged = () => acknowledged.reduce((max, id) => Math.max(max, id), 0);

    // An API client polling the messages after its cursor, as a CI job without SSE would.
    const polled = (async () => {
      const ids: number[] = [];
      for (let cursor = 0; sending || cursor < newestAcknowledged();) {
        const response = await b.get(`/api/v1/numbers/${digits}/messages?after=${cursor}&limit=100`);
        expect(response.status).toBe(200);
        const page = ((await response.json()) as { messages: { id: number }[] }).messages.map((m) => m.id).reverse();
        ids.push(...page);
        cursor = page.at(-1) ?? cursor;
      }
      return ids;
    })();

    // A tester waiting for each next message in turn, its cursor the last one it got.
    const waited = (async () => {
      const ids: number[] = [];
      while (ids.length < TOTAL) {
        const response = await a.get(`/api/v1/numbers/${digits}/wait?after=${ids.at(-1) ?? 0}&timeout=60`);
        if (response.status !== 200) break;
        ids.push(((await response.json()) as { id: number }).id);
      }
      return ids;
    })();

    await Promise.all(
      Array.from({ length: SENDERS }, async (_, s) => {
        const through = s % 2 ? b : a;
        for (let i = 0; i < REQUESTS_PER_SENDER; i++) {
          const messages = Array.from({ length: perRequest(i) }, (_, k) => ({
            to: number,
            from: "Svc",
            text: `sender ${s} request ${i} part ${k}`,
            id: `${s}-${i}-${k}`,
          }));
          const response = await through.inbound(gateway, key, { messages });
          expect(response.status, await response.clone().text()).toBe(200);
          acknowledged.push(...((await response.json()) as { ids: number[] }).ids);
        }
      }),
    );
    sending = false;

    const expected = [...acknowledged].sort((x, y) => x - y);
    expect(new Set(expected).size).toBe(TOTAL);
    expect(await polled).toEqual(expected);
    expect(await waited).toEqual(expected);
    for (const ids of streamed) {
      await expect.poll(() => ids.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(TOTAL);
      expect(ids).toEqual(expected);
    }
  } finally {
    sources.forEach((source) => source.close());
    await Promise.all(servers.map((s) => s.stop()));
    await database.drop();
  }
});
