import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer } from "./servers";
import { test, expect } from "./fixtures";

// One dedicated server with a tiny budget (the limit is per instance, in memory), so it runs in one project only.
test("a gateway sending more than its rate gets 429 with Retry-After, and what was accepted stays", async () => {
  // Starting a server of its own takes a few seconds, longer on a machine busy with the rest of the suite.
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-rate-"));
  const adminToken = "rate-test-token";
  const server = await startServer("rate", {
    ADMIN_TOKEN: adminToken,
    PGLITE_DIR: path.join(dir, "db"),
    INGEST_RATE_PER_MINUTE: "3",
  });
  try {
    const admin = (p: string, body: unknown) =>
      fetch(`${server.url}/api/admin${p}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const { apiKey } = await (await admin("/gateways", { id: "busy", kind: "generic" })).json();
    await admin("/numbers", { number: "+998940373339", gateway: "busy" });
    const post = (i: number) =>
      fetch(`${server.url}/api/inbound/busy`, {
        method: "POST",
        headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ to: "+998940373339", from: "A", text: `m${i}`, id: `m${i}` }),
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(i)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await post(9);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error).toBe("rate_limited");
    const page = await (await fetch(`${server.url}/api/v1/numbers/998940373339/messages`)).json();
    expect(page.messages.map((m: { text: string }) => m.text).sort()).toEqual(["m0", "m1", "m2"]);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
