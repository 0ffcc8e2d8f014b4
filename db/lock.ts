import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * PGlite does not lock its data directory: a second process opens it silently, and once both write the directory
 * is corrupted for good. So we take an exclusive lock file beside it, and refuse to open while a live process
 * holds it. A lock left by a dead process (crash, SIGKILL) is stale and taken over.
 */
export class DatabaseLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database directory ${dir} is in use by process ${holder.pid}` +
        `${holder.command ? ` (${holder.command})` : ""}, started ${holder.startedAt}. ` +
        `Only one process may open it: stop that process first, or give this one its own PGLITE_DIR ` +
        `(or DATABASE_URL for a shared Postgres).`,
    );
    this.name = "DatabaseLockedError";
  }
}

type LockHolder = { pid: number; host: string; startedAt: string; command?: string };

export function lockFileFor(dir: string): string {
  return `${path.resolve(dir)}.lock`;
}

/** Takes the lock on `dir` for this process; returns a function that releases it. */
export function lockDirectory(dir: string): () => void {
  const file = lockFileFor(dir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const me: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv.slice(1, 3).map((a) => path.basename(a)).join(" "),
  };

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: "wx" });
      const release = () => {
        if (readHolder(file)?.pid === me.pid) fs.rmSync(file, { force: true });
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readHolder(file);
    // Our own pid in the file means a previous process with a recycled pid (we never lock twice: one instance
    // per process), so it is as stale as a dead one.
    if (holder && holder.pid !== process.pid && holder.host === me.host && isAlive(holder.pid)) {
      throw new DatabaseLockedError(dir, holder);
    }
    if (holder && holder.host !== me.host) {
      // Another machine sharing the directory: we cannot check its pid, so never take it over.
      throw new DatabaseLockedError(dir, holder);
    }
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not take the lock ${file}: it keeps reappearing. Is another process starting?`);
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LockHolder>;
    return typeof parsed.pid === "number" ? (parsed as LockHolder) : undefined;
  } catch {
    return undefined; // unreadable or half-written: treated as stale
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
