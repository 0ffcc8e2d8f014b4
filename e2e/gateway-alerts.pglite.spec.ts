import fs from "node:fs";
import { createServer, type Server } from "node:http";
import { startServer, type TestServer } from "./servers";
import { test, expect } from "./fixtures";

// The operator is told when a modem host that was sending goes quiet, and when it is back: a line in the log
// and one JSON POST per change to ALERT_WEBHOOK_URL, here a receiver in the test. With the shortest limit (one
// minute) and the server's look every 30 s, this takes a minute or two of real time: it is the real path.

const ADMIN_TOKEN = "alerts-test-admin-token";

test("a gateway that goes silent is reported once, and once more when it sends again", async () => {
  test.setTimeout(300_000);
  const received: Record<string, string>[] = [];
  const receiver: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push(JSON.parse(body) as Record<string, string>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as { port: number };
  let server: TestServer | undefined;
  try {
    server = await startServer("gateway-alerts", {
      PGLITE_DIR: "memory://",
      ADMIN_TOKEN,
      HOST_OFFLINE_AFTER_MINUTES: "1",
      ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/numbox-alerts`,
    });
    const created = await fetch(`${server.url}/api/admin/gateways`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ id: "modem-quiet", kind: "generic" }),
    });
    const { apiKey } = (await created.json()) as { apiKey: string };
    const heartbeat = () =>
      fetch(`${server!.url}/api/inbound/modem-quiet/heartbeat`, {
        method: "POST",
        headers: { Authorization: `Bearer ${apiKey}` },
      });
    expect((await heartbeat()).status).toBe(200);

    const events = () => received.filter((r) => r.gateway === "modem-quiet").map((r) => r.event);
    await expect.poll(events, { timeout: 150_000, intervals: [1_000] }).toEqual(["gateway.offline"]);
    expect(received[0]).toMatchObject({
      kind: "generic",
      text: expect.stringContaining("has sent nothing for 1 minute;"),
    });

    const silentSince = async () => {
      const list = await fetch(`${server!.url}/api/admin/gateways`, {
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      return ((await list.json()) as { id: string; silentSince: string | null }[]).find((g) => g.id === "modem-quiet")
        ?.silentSince;
    };
    expect(await silentSince()).toBe(received[0]!.lastSeenAt);

    expect((await heartbeat()).status).toBe(200);
    await expect
      .poll(events, { timeout: 90_000, intervals: [1_000] })
      .toEqual(["gateway.offline", "gateway.recovered"]);
    expect(await silentSince()).toBeNull();

    const log = fs.readFileSync(server.log, "utf8");
    expect(log).toContain('"msg":"gateway went silent"');
    expect(log).toContain('"msg":"gateway is sending again"');
    // The webhook's URL is the operator's secret: the start-up line says it is set, nothing more.
    expect(log).not.toContain("numbox-alerts");
  } finally {
    await server?.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});
