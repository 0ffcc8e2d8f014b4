import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** A production Numbox server (`next start`) started for the tests, each on its own free port. */
export type TestServer = { url: string; process: ChildProcess; log: string; stop(): Promise<void> };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startServer(
  name: string,
  env: Record<string, string>,
  ready = "/api/v1/countries",
): Promise<TestServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = path.join(os.tmpdir(), `numbox-e2e-${name}-${port}.log`);
  const out = fs.openSync(log, "w");
  const child = spawn(process.execPath, ["server.mjs"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      PUBLIC_URL: url,
      DEMO: "",
      ...env,
    },
    stdio: ["ignore", out, out],
  });
  const server: TestServer = {
    url,
    process: child,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
  await waitUntilUp(server, ready);
  return server;
}

async function waitUntilUp(server: TestServer, readyPath: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) break;
    try {
      const response = await fetch(server.url + readyPath);
      // The port is bound before Next is ready: until then every path answers 503 "starting".
      const starting = response.status === 503 && (await response.text()).includes('"error":"starting"');
      if (!starting && (response.status < 500 || readyPath === "/")) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not come up at ${server.url}; log:\n${fs.readFileSync(server.log, "utf8")}`);
}

/**
 * Starts a server that is expected to stop by itself (it cannot start): resolves with its exit code and all it
 * printed. A server still running at the deadline is killed, and its code is then null.
 */
export async function runUntilExit(
  env: Record<string, string>,
  { port, deadlineMs = 60_000 }: { port?: number; deadlineMs?: number } = {},
): Promise<{ code: number | null; output: string }> {
  const listenOn = port ?? (await freePort());
  const child = spawn(process.execPath, ["server.mjs"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(listenOn),
      DEMO: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
    // "close", not "exit": by then everything it printed has been read.
    child.once("close", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, output };
}

export const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A new, empty Postgres database for one test run; drop() removes it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `numbox_e2e_${randomBytes(4).toString("hex")}`;
  const admin = postgres(POSTGRES_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    await admin.end();
    throw new Error(`cannot create a test database on ${POSTGRES_ADMIN_URL}: ${(error as Error).message}`);
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** The environment of a server on a database of its own: a new embedded directory, or a new Postgres database. */
export async function ownDatabase(
  driver: "pglite" | "postgres",
): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (driver === "postgres") {
    const database = await createPostgresDatabase();
    return { env: { DATABASE_URL: database.url }, drop: () => database.drop() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-e2e-own-"));
  return {
    env: { DATABASE_URL: "", PGLITE_DIR: path.join(dir, "db") },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
