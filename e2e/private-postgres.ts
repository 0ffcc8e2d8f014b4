import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./servers";

const run = promisify(execFile);

/**
 * A Postgres cluster of the test's own (its own data directory and port), for tests that stop and restart the
 * database under a running server: the shared test server must never be restarted under other tests.
 */
export type PrivatePostgres = {
  url: string;
  /** `pg_ctl restart -m fast`: sessions are terminated (57P01), the server is back when this returns. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m immediate`: the server quits without a word to its clients, like a crash. */
  crash(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster and deletes its directory. */
  destroy(): Promise<void>;
};

function binDir(): string {
  const versions = fs.readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  const found = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((dir) => fs.existsSync(`${dir}/initdb`));
  if (!found) throw new Error("no Postgres server binaries under /usr/lib/postgresql (apt-get install postgresql)");
  return found;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-pg-"));
  const data = path.join(root, "data");
  const log = path.join(root, "postgres.log");
  const port = await freePort();
  // Postgres refuses to run as root: as root, run its tools as the postgres user, who must own the directory.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await run("chown", ["postgres:postgres", root]);
  const pg = (tool: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", `${bin}/${tool}`, ...args]) : run(`${bin}/${tool}`, args);

  // fsync off: a process crash keeps every committed row either way (the WAL is written at commit); only an
  // operating system crash would lose some, and this test never crashes the machine.
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => pg("pg_ctl", ["start", "-D", data, "-l", log, "-w", "-t", "60", "-o", options]).then(() => {});
  await pg("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => pg("pg_ctl", ["restart", "-D", data, "-l", log, "-m", "fast", "-w", "-t", "60"]).then(() => {}),
    crash: () => pg("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w"]).then(() => {}),
    start,
    async destroy() {
      await pg("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w"]).catch(() => {}); // may be stopped already
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
