import { randomBytes } from "node:crypto";
import net from "node:net";
import { ownDatabase, startServer } from "./servers";
import { Numbox, readEvents, test, expect } from "./fixtures";

/**
 * A client that opens a stream and stops reading must not grow the server's memory: once what waits for it
 * passes the limit, the server drops it, and the client, reconnecting with its cursor, gets everything once.
 * Seen from outside by the address's one stream slot (STREAMS_PER_ADDRESS=1): held while the stalled stream
 * lives, free again once the server has let it go.
 */
test("a stream whose client stops reading is dropped and its slot freed; reconnecting replays everything", async ({}, testInfo) => {
  test.setTimeout(180_000);
  const driver = testInfo.project.metadata.server as "pglite" | "postgres";
  const database = await ownDatabase(driver);
  const adminToken = randomBytes(16).toString("hex");
  const server = await startServer(`slow-consumer-${driver}`, {
    ...database.env,
    ADMIN_TOKEN: adminToken,
    STREAMS_PER_ADDRESS: "1",
  });
  const stalled = new net.Socket();
  try {
    const numbox = new Numbox(server.url, adminToken);
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const path = `/api/v1/numbers/${digits}/stream?after=0`;

    // A client that reads the answer's first bytes, then nothing more.
    const { port } = new URL(server.url);
    await new Promise<void>((resolve, reject) => {
      stalled.once("error", reject);
      stalled.connect(Number(port), "127.0.0.1", () => resolve());
    });
    stalled.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
    const head = await new Promise<string>((resolve) =>
      stalled.once("data", (chunk: Buffer) => resolve(chunk.toString("latin1"))),
    );
    stalled.pause();
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    const second = () => numbox.get(path, { accept: "text/event-stream" });
    const held = await second();
    expect(held.status).toBe(429);

    // ~30 KiB a message, eight a request (under the body limit), until the server has let the stalled client go (its slot is free).
    const text = "x".repeat(30_000);
    const sent: number[] = [];
    let reconnected: Response | undefined;
    for (let batch = 0; batch < 400 && !reconnected; batch++) {
      const messages = Array.from({ length: 8 }, (_, i) => ({
        to: number,
        from: "Svc",
        text: `${batch}.${i} ${text}`,
      }));
      const posted = await numbox.inbound(gateway, key, { messages });
      expect(posted.status).toBe(200);
      sent.push(...((await posted.json()) as { ids: number[] }).ids);
      const attempt = await second();
      if (attempt.status === 200) reconnected = attempt;
      else await attempt.body?.cancel();
    }
    expect(reconnected, "the stalled stream was never dropped").toBeDefined();
    // The reconnected client gets every message, once, in order.
    const events = await readEvents(reconnected!, sent.length, 60_000);
    expect(events.map((e) => Number(e.id))).toEqual(sent);
  } finally {
    stalled.destroy();
    await server.stop();
    await database.drop();
  }
});
