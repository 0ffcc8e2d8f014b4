import net from "node:net";
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { createPostgresDatabase, freePort, POSTGRES_ADMIN_URL, startServer, type TestServer } from "./servers";
import { test, expect } from "./fixtures";

/**
 * A Postgres that is down when the server starts is an outage, not a mistake: the server starts, answers 503,
 * keeps trying, and serves once Postgres is reachable; if the database then turns out not to exist, it stops.
 * "Down" is a port where nothing listens yet; "up" is a relay on that port to the real Postgres.
 */
test("a Postgres down at start: 503 meanwhile, then served once it is up", async () => {
  test.setTimeout(180_000);
  const port = await freePort();
  const database = await createPostgresDatabase();
  const server = await startServer("pg-down-at-start", { DATABASE_URL: viaPort(database.url, port) }, "/");
  let relay: net.Server | undefined;
  try {
    const meanwhile = await fetch(`${server.url}/api/v1/countries`);
    expect(meanwhile.status).toBe(503);
    expect(await meanwhile.json()).toMatchObject({ error: "database_unavailable" });

    relay = await relayToPostgres(port);
    await expect
      .poll(async () => (await fetch(`${server.url}/api/v1/countries`)).status, { timeout: 90_000 })
      .toBe(200);
    expect(server.process.exitCode).toBeNull();
  } finally {
    await server.stop();
    relay?.close();
    await database.drop();
  }
});

test("a Postgres down at start that comes up without the database: the server then stops, saying why", async () => {
  test.setTimeout(180_000);
  const port = await freePort();
  const name = `numbox_missing_${randomBytes(4).toString("hex")}`;
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const server = await startServer("pg-down-then-missing", { DATABASE_URL: viaPort(url.toString(), port) }, "/");
  let relay: net.Server | undefined;
  try {
    relay = await relayToPostgres(port);
    const code = await exitCode(server, 90_000);
    const log = fs.readFileSync(server.log, "utf8");
    expect(code, log).toBe(1);
    expect(log).toContain(`database "${name}" does not exist`);
  } finally {
    await server.stop();
    relay?.close();
  }
});

function viaPort(databaseUrl: string, port: number): string {
  const url = new URL(databaseUrl);
  url.host = `127.0.0.1:${port}`;
  return url.toString();
}

/** A TCP relay from `port` to the test Postgres server: Postgres "comes up" on that port. */
async function relayToPostgres(port: number): Promise<net.Server> {
  const target = new URL(POSTGRES_ADMIN_URL);
  const relay = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(port, "127.0.0.1", resolve));
  return relay;
}

/** The server's exit code once it has exited by itself; null if it is still running at the deadline. */
function exitCode(server: TestServer, deadlineMs: number): Promise<number | null> {
  if (server.process.exitCode !== null) return Promise.resolve(server.process.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), deadlineMs);
    server.process.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
