import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { alertBody, deliverAlert } from "./webhook";

const FAST = { attempts: 4, firstRetryMs: 5, timeoutMs: 2_000 };
const alert = alertBody(
  {
    event: "gateway.offline",
    gateway: "modem-1",
    kind: "gammu",
    lastSeenAt: "2026-11-30T10:00:00.000Z",
    at: "2026-11-30T10:16:00.000Z",
  },
  15,
);

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A receiver answering with the given statuses in turn (the last one from then on); what it received. */
async function receiver(statuses: number[]): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      bodies.push(JSON.parse(body));
      res.writeHead(statuses[Math.min(bodies.length - 1, statuses.length - 1)]!).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, bodies };
}

describe("deliverAlert", () => {
  it("posts the alert as JSON with a sentence a chat webhook shows", async () => {
    const { url, bodies } = await receiver([204]);
    expect(await deliverAlert(url, alert, FAST)).toMatchObject({ delivered: true, attempts: 1 });
    expect(bodies).toEqual([
      {
        event: "gateway.offline",
        gateway: "modem-1",
        kind: "gammu",
        lastSeenAt: "2026-11-30T10:00:00.000Z",
        at: "2026-11-30T10:16:00.000Z",
        text: "Numbox: gateway 'modem-1' (gammu) has sent nothing for 15 minutes; last seen 2026-11-30T10:00:00.000Z.",
      },
    ]);
  });

  it("retries a receiver that fails or is busy, and stops at its first 2xx", async () => {
    const { url, bodies } = await receiver([503, 429, 200, 200]);
    expect(await deliverAlert(url, alert, FAST)).toMatchObject({ delivered: true, attempts: 3 });
    expect(bodies).toHaveLength(3);
  });

  it("does not retry a receiver that refuses the request", async () => {
    const { url, bodies } = await receiver([404]);
    expect(await deliverAlert(url, alert, FAST)).toEqual({ delivered: false, attempts: 1, last: "HTTP 404" });
    expect(bodies).toHaveLength(1);
  });

  it("gives up after its attempts when nobody answers, without throwing", async () => {
    const { url } = await receiver([200]);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const outcome = await deliverAlert(url, alert, FAST);
    expect(outcome).toMatchObject({ delivered: false, attempts: 4 });
  });
});
