import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createPostgresDatabase, startServer, type TestServer } from "./servers";
import { test, expect } from "./fixtures";

test("every message acknowledged before the server is killed is there after a restart", async ({}, testInfo) => {
  test.setTimeout(120_000);
  const adminToken = randomBytes(8).toString("hex");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-restart-"));
  const database = testInfo.project.metadata.server === "postgres" ? await createPostgresDatabase() : null;
  const env = {
    ADMIN_TOKEN: adminToken,
    ...(database ? { DATABASE_URL: database.url } : { PGLITE_DIR: path.join(dir, "db") }),
  };
  let server: TestServer | undefined;
  try {
    server = await startServer("restart", env);
    const admin = (p: string, body: unknown) =>
      fetch(`${server!.url}/api/admin${p}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const { apiKey } = await (await admin("/gateways", { id: "modem-1", kind: "generic" })).json();
    expect((await admin("/numbers", { number: "+998940373339", gateway: "modem-1" })).status).toBe(201);

    // Post steadily from 4 clients and kill the server (SIGKILL: no shutdown of any kind) in the middle.
    const acknowledged: number[] = [];
    let sent = 0;
    const client = async () => {
      for (;;) {
        const i = sent++;
        try {
          const response = await fetch(`${server!.url}/api/inbound/modem-1`, {
            method: "POST",
            headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
            body: JSON.stringify({ to: "+998940373339", from: "Svc", text: `message ${i}`, id: `m-${i}` }),
          });
          if (response.status === 200) acknowledged.push(...((await response.json()).ids as number[]));
        } catch {
          return; // the server is gone
        }
      }
    };
    const clients = Promise.all([client(), client(), client(), client()]);
    // Kill it mid-stream, once it has acknowledged a good number of messages (however busy the machine).
    await expect.poll(() => acknowledged.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(20);
    server.process.kill("SIGKILL");
    await clients;
    expect(acknowledged.length).toBeGreaterThan(10);

    server = await startServer("restart-again", env);
    const stored = new Set<number>();
    let cursor: number | null = null;
    do {
      const page: { messages: { id: number }[]; next: number | null } = await (
        await fetch(`${server.url}/api/v1/numbers/998940373339/messages?limit=100${cursor ? `&before=${cursor}` : ""}`)
      ).json();
      page.messages.forEach((m) => stored.add(m.id));
      cursor = page.next;
    } while (cursor !== null);
    const lost = acknowledged.filter((id) => !stored.has(id));
    expect(lost, `${lost.length} of ${acknowledged.length} acknowledged messages lost`).toEqual([]);
  } finally {
    await server?.stop();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
