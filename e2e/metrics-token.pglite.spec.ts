import { scrape, valueOf } from "./prometheus";
import { startServer, type TestServer } from "./servers";
import { test, expect } from "./fixtures";

// With METRICS_TOKEN set, /metrics wants it as a bearer token, and says so without revealing anything else.
test.describe("metrics behind METRICS_TOKEN", () => {
  const token = "metrics-token-for-the-test";
  let server: TestServer;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = await startServer("metrics-token", { PGLITE_DIR: "memory://", METRICS_TOKEN: token });
  });
  test.afterAll(async () => server?.stop());

  test("no token or a wrong one gets 401 JSON; the right one gets the metrics", async () => {
    for (const authorization of [undefined, "Bearer not-the-metrics-token", `Basic ${btoa(`x:${token}`)}`]) {
      const refused = await fetch(`${server.url}/metrics`, authorization ? { headers: { authorization } } : {});
      expect(refused.status, authorization ?? "no token").toBe(401);
      expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const body = await refused.text();
      expect(JSON.parse(body)).toMatchObject({ error: "unauthorized" });
      expect(body).not.toContain("numbox_");
    }
    const families = await scrape(server.url, token);
    expect(valueOf(families, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });
});
