import fs from "node:fs";
import { startServer, type TestServer } from "./servers";
import { test, expect } from "./fixtures";

// What an operator's log shipper reads: one JSON object per line — a start-up line with the settings (secrets
// masked), one access line per request (route pattern, status, duration, client address), a warning for each
// refused ingest — and never a key, token or message text. Probes are not logged.

type Line = Record<string, unknown> & { level: number; msg: string };

test.describe("structured logs", () => {
  const adminToken = "log-test-admin-token-0123456789";
  const metricsToken = "log-test-metrics-token-0123456789";
  let server: TestServer;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = await startServer("logs", {
      PGLITE_DIR: "memory://",
      ADMIN_TOKEN: adminToken,
      METRICS_TOKEN: metricsToken,
    });
  });
  test.afterAll(async () => server?.stop());

  const lines = (): Line[] =>
    fs
      .readFileSync(server.log, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Line);

  /** The log once it has a line that `matches`: lines are written as the connection closes, after the answer. */
  async function logWith(matches: (line: Line) => boolean): Promise<Line[]> {
    await expect.poll(() => lines().some(matches), { message: "the awaited log line" }).toBe(true);
    return lines();
  }

  test("start-up, access and refused-ingest lines, with no secret and no message text", async () => {
    const admin = (path: string, body: unknown) =>
      fetch(`${server.url}/api/admin${path}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const created = await admin("/gateways", { id: "logged-gw", kind: "generic" });
    const { apiKey } = (await created.json()) as { apiKey: string };
    expect((await admin("/numbers", { number: "+998940373339", gateway: "logged-gw" })).status).toBe(201);
    const secretText = "Your code is 918273, do not share: private-text-marker";
    const post = (key: string) =>
      fetch(`${server.url}/api/inbound/logged-gw`, {
        method: "POST",
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
        body: JSON.stringify({ to: "+998940373339", from: "Bank", text: secretText }),
      });
    expect((await post(apiKey)).status).toBe(200);
    expect((await post("nbx_not-the-key")).status).toBe(401);
    expect((await fetch(`${server.url}/numbers/998940373339`)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    const log = await logWith((l) => l.msg === "request" && l.route === "/numbers/{number}");
    const start = log.find((l) => l.msg === "Numbox starting")!;
    expect(start.config).toMatchObject({ ADMIN_TOKEN: "(set)", METRICS_TOKEN: "(set)", PGLITE_DIR: "memory://" });

    const page = log.find((l) => l.msg === "request" && l.route === "/numbers/{number}")!;
    expect(page).toMatchObject({ level: 30, method: "GET", status: 200, client: "127.0.0.1" });
    expect(page.ms).toBeGreaterThan(0);
    const stored = log.find((l) => l.route === "/api/inbound/{gateway}" && l.status === 200);
    expect(stored).toMatchObject({ method: "POST", client: "127.0.0.1" });

    const refused = log.find((l) => l.msg === "ingest refused")!;
    expect(refused).toMatchObject({ level: 40, gateway: "logged-gw", kind: "generic", code: "bad_key", status: 401 });

    expect(log.filter((l) => l.route === "/healthz" || l.route === "/readyz")).toEqual([]);
    const everything = fs.readFileSync(server.log, "utf8");
    for (const secret of [adminToken, metricsToken, apiKey, "nbx_not-the-key", "private-text-marker", "918273"])
      expect(everything).not.toContain(secret);
  });
});
