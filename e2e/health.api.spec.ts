import { test, expect } from "./fixtures";

// What a load balancer or an orchestrator probes: /healthz (the process answers) and /readyz (it can serve: the
// database answers and is migrated). Never limited (rate-limits.pglite.spec.ts), and readiness follows a
// Postgres outage both ways (db-restart.postgres.spec.ts).

test.describe("health and readiness", () => {
  test("a serving instance is alive and ready; the answers are JSON and never cached", async ({ numbox }) => {
    for (const [path, body] of [
      ["/healthz", { status: "ok" }],
      ["/readyz", { status: "ready" }],
    ] as const) {
      const response = await numbox.get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.json()).toEqual(body);
      const head = await fetch(`${numbox.url}${path}`, { method: "HEAD" });
      expect(head.status, `HEAD ${path}`).toBe(200);
    }
  });

  test("an instance whose database cannot be reached is alive but not ready: 503 with Retry-After", async () => {
    const broken = process.env.NUMBOX_BROKEN_URL!;
    expect((await fetch(`${broken}/healthz`)).status).toBe(200);
    const ready = await fetch(`${broken}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get("retry-after")).toBe("5");
    expect(await ready.json()).toEqual({ error: "database_unavailable", detail: "The database is unavailable." });
  });

  test("many probes at once all get their answer", async ({ numbox }) => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => numbox.get("/readyz")));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
  });
});
