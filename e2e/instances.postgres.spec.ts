import { randomBytes } from "node:crypto";
import { createPostgresDatabase, startServer } from "./servers";
import { test, expect, readEvents } from "./fixtures";

// Two instances on one Postgres database, as behind a load balancer: a message stored through one reaches the
// live viewers and waiting testers of the other (NOTIFY after commit, one LISTEN per instance).
test("a message stored by one instance reaches the streams and waits of another", async () => {
  test.setTimeout(120_000);
  const database = await createPostgresDatabase();
  const env = { ADMIN_TOKEN: "instances-token", DATABASE_URL: database.url };
  const [a, b] = await Promise.all([startServer("instance-a", env), startServer("instance-b", env)]);
  try {
    const created = await fetch(`${a.url}/api/admin/gateways`, {
      method: "POST",
      headers: { Authorization: "Bearer instances-token", "Content-Type": "application/json" },
      body: JSON.stringify({ id: "modem-1", kind: "generic" }),
    });
    const { apiKey } = await created.json();
    await fetch(`${a.url}/api/admin/numbers`, {
      method: "POST",
      headers: { Authorization: "Bearer instances-token", "Content-Type": "application/json" },
      body: JSON.stringify({ number: "+998940373339", gateway: "modem-1" }),
    });

    const stream = await fetch(`${b.url}/api/v1/numbers/998940373339/stream`);
    expect(stream.status).toBe(200);
    const events = readEvents(stream, 1);
    // A new number: after=0 is "the first message it gets", however late the wait itself arrives.
    const waiting = fetch(`${b.url}/api/v1/numbers/998940373339/wait?after=0&contains=code&timeout=20`);

    const text = `Your code is ${randomBytes(2).readUInt16BE()}`;
    const posted = await fetch(`${a.url}/api/inbound/modem-1`, {
      method: "POST",
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ to: "+998940373339", from: "Svc", text }),
    });
    expect(posted.status).toBe(200);

    const [event] = await events;
    expect(JSON.parse(event!.data).text).toBe(text);
    const waited = await waiting;
    expect(waited.status).toBe(200);
    expect((await waited.json()).text).toBe(text);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await database.drop();
  }
});
