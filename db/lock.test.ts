import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { count } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/lib/errors";
import { openDatabase } from "./client";
import { DatabaseLockedError, lockFileFor } from "./lock";
import { gateways } from "./schema";

const LOCK_HOLDER = path.join(import.meta.dirname, "../lib/testing/lock-holder.ts");

describe("the PGlite directory lock, across processes", () => {
  let tmp: string;
  let dir: string;
  let holder: ChildProcess | undefined;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-lock-"));
    dir = path.join(tmp, "pglite");
  });

  afterEach(async () => {
    if (holder && holder.exitCode === null && holder.signalCode === null) {
      holder.kill("SIGKILL");
      await once(holder, "exit");
    }
    holder = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("refuses at once while another process holds it, and takes it over once that process is killed", async () => {
    holder = await holdLockInChild(dir);

    const started = Date.now();
    const refusal = await openDatabase({ pgliteDir: dir }).catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(refusal).toBeInstanceOf(DatabaseLockedError);
    expect((refusal as Error).message).toContain(dir);
    expect((refusal as Error).message).toContain(`process ${holder.pid}`);
    // The server answers 503 (not 500) while the directory is held.
    expect(isDatabaseUnavailable(refusal)).toBe(true);
    // Refusing must leave the holder's lock alone and not start PGlite on its directory.
    expect(JSON.parse(fs.readFileSync(lockFileFor(dir), "utf8"))).toMatchObject({ pid: holder.pid });
    expect(fs.readdirSync(dir)).toEqual([]);

    // SIGKILL: the holder cannot remove its lock file, which is now stale.
    holder.kill("SIGKILL");
    await once(holder, "exit");
    expect(fs.existsSync(lockFileFor(dir))).toBe(true);

    const database = await openDatabase({ pgliteDir: dir });
    try {
      expect(JSON.parse(fs.readFileSync(lockFileFor(dir), "utf8"))).toMatchObject({ pid: process.pid });
      expect(await database.db.select({ n: count() }).from(gateways)).toEqual([{ n: 0 }]); // migrated, empty
    } finally {
      await database.close();
    }
    expect(fs.existsSync(lockFileFor(dir))).toBe(false);
  }, 60_000);

  it("is one lock for every path to the directory: a symlink to it, even one made before the directory", async () => {
    // The link points at a directory that does not exist yet: the holder opens through the link.
    const link = path.join(tmp, "link");
    fs.symlinkSync(dir, link);
    holder = await holdLockInChild(link);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    expect(fs.existsSync(`${dir}.lock`)).toBe(true);
    expect(fs.existsSync(`${link}.lock`)).toBe(false);

    for (const other of [dir, link, path.join(tmp, ".", "elsewhere", "..", "pglite")]) {
      const refusal = await openDatabase({ pgliteDir: other }).catch((error: unknown) => error);
      expect(refusal, other).toBeInstanceOf(DatabaseLockedError);
      expect((refusal as Error).message).toContain(`process ${holder.pid}`);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 60_000);

  it("refuses a path that is not a directory, saying so, as a fault to fix rather than to wait out", async () => {
    const file = path.join(tmp, "not-a-directory");
    fs.writeFileSync(file, "x");
    const failure = await openDatabase({ pgliteDir: file }).catch((error: unknown) => error);
    expect((failure as Error).message).toContain(`The embedded database path ${file} is not a directory`);
    expect(isDatabaseUnavailable(failure)).toBe(false);
    expect(fs.readFileSync(file, "utf8")).toBe("x");
  });
});

/** Starts a node process that takes the lock on `dir` and stays alive; resolves once it holds the lock. */
async function holdLockInChild(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", LOCK_HOLDER, dir], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("locked\n")) resolve();
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code, signal) => reject(new Error(`lock holder exited (${code ?? signal}): ${output}`)));
  });
  await locked;
  return child;
}
