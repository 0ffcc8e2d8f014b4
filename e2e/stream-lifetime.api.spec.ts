import { randomBytes } from "node:crypto";
import { EventSource } from "eventsource";
import { ownDatabase, startServer } from "./servers";
import { Numbox, test, expect } from "./fixtures";

/**
 * A stream ends after SSE_MAX_LIFETIME_SECONDS (so that a load balancer can spread streams again); the client
 * reconnects by itself with its Last-Event-ID and gets every message exactly once, those stored while it was
 * away included.
 */
test("a stream ends after its lifetime; the client reconnects and misses nothing", async ({}, testInfo) => {
  test.setTimeout(120_000);
  const driver = testInfo.project.metadata.server as "pglite" | "postgres";
  const database = await ownDatabase(driver);
  const adminToken = randomBytes(16).toString("hex");
  const server = await startServer(`stream-lifetime-${driver}`, {
    ...database.env,
    ADMIN_TOKEN: adminToken,
    SSE_MAX_LIFETIME_SECONDS: "1",
    SSE_RETRY_MS: "200",
  });
  let source: EventSource | undefined;
  try {
    const numbox = new Numbox(server.url, adminToken);
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const post = async (text: string) =>
      ((await (await numbox.inbound(gateway, key, { to: number, from: "Svc", text })).json()).ids as number[])[0]!;

    let opens = 0;
    const received: number[] = [];
    source = new EventSource(`${server.url}/api/v1/numbers/${digits}/stream?after=0`);
    source.onopen = () => opens++;
    source.addEventListener("message", (event) => received.push(Number(event.lastEventId)));

    const sent: number[] = [];
    // Messages keep arriving across several lifetimes: some while a stream is open, some while it reconnects.
    while (opens < 4) {
      sent.push(await post(`message ${sent.length}`));
      await expect.poll(() => received.length).toBe(sent.length);
    }
    expect(received).toEqual(sent);
  } finally {
    source?.close();
    await server.stop();
    await database.drop();
  }
});
