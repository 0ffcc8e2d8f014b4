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
    realDir = dir,
  ) {
    super(
      `The embedded database directory ${dir}${realDir === path.resolve(dir) ? "" : ` (${realDir})`} ` +
        `is in use by process ${holder.pid}` +
        `${holder.command ? ` (${holder.command})` : ""}, started ${holder.startedAt}. ` +
        `Only one process may open it: stop that process first, or give this one its own PGLITE_DIR ` +
        `(or DATABASE_URL for a shared Postgres).`,
    );
    this.name = "DatabaseLockedError";
  }
}

type LockHolder = { pid: number; host: string; startedAt: string; command?: string };

/** The lock file of `dir`: beside the directory's real path (created if missing, see realDirectory). */
export function lockFileFor(dir: string): string {
  return `${realDirectory(dir)}.lock`;
}

export type DirectoryLock = {
  // The directory's real path: open the database there, so that what is locked is what is opened.
  dir: string;
  release(): void;
};

/** Takes the lock on `dir` for this process. */
export function lockDirectory(dir: string): DirectoryLock {
  const real = realDirectory(dir);
  const file = `${real}.lock`;
  const me: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv
      .slice(1, 3)
      .map((a) => path.basename(a))
      .join(" "),
  };

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: "wx" });
      const release = () => {
        if (readHolder(file)?.pid === me.pid) fs.rmSync(file, { force: true });
      };
      process.once("exit", release);
      return { dir: real, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readHolder(file);
    // Our own pid in the file means a previous process with a recycled pid (we never lock twice: one instance
    // per process), so it is as stale as a dead one.
    if (holder && holder.pid !== process.pid && holder.host === me.host && isAlive(holder.pid)) {
      throw new DatabaseLockedError(dir, holder, real);
    }
    if (holder && holder.host !== me.host) {
      // Another machine sharing the directory: we cannot check its pid, so never take it over.
      throw new DatabaseLockedError(dir, holder, real);
    }
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not take the lock ${file}: it keeps reappearing. Is another process starting?`);
}

/**
 * The real path of the directory `dir` names, made first if it does not exist yet. The lock must be named after
 * the directory itself, not after the path that led to it: two servers given different paths to one directory
 * (through a symlink, or "a/../b") would otherwise each take a lock of their own, and both open it.
 * A symlink to a directory that does not exist yet is followed and its target made, so that the symlink and
 * the target's own path still meet at one lock.
 */
export function realDirectory(dir: string, hops = 0): string {
  const resolved = path.resolve(dir);
  let real: string | undefined;
  try {
    real = fs.realpathSync(resolved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || hops > 40) throw error;
  }
  if (real !== undefined) {
    if (!fs.statSync(real).isDirectory()) {
      throw new Error(
        `The embedded database path ${dir} is not a directory: point PGLITE_DIR at a directory (it is created ` +
          `when missing), or set DATABASE_URL.`,
      );
    }
    return real;
  }
  const link = fs.lstatSync(resolved, { throwIfNoEntry: false });
  if (link?.isSymbolicLink())
    return realDirectory(path.resolve(path.dirname(resolved), fs.readlinkSync(resolved)), hops + 1);
  // Missing for good: make it inside its parent's real path (made the same way; "/" always exists).
  const made = path.join(realDirectory(path.dirname(resolved), hops + 1), path.basename(resolved));
  try {
    fs.mkdirSync(made);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error; // another process made it meanwhile
  }
  return realDirectory(made, hops + 1);
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
