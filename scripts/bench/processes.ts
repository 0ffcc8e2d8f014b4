/**
 * What the HTTP cases start and create — servers, temporary directories, databases — each registered with its
 * undo, and undone on the way out however the bench ends (done, failed, Ctrl-C): a server left behind holds its
 * port, its CPU skews the next run, and an embedded database directory left locked cannot be reopened.
 *
 * A server runs in a process group of its own (`detached`), and stopping it signals the whole group: `next start`
 * and whatever a server forks go with it, not only the process we spawned. (Only SIGKILL of the bench itself,
 * which no process can catch, leaves them running.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

type Undo = () => unknown;
const undos: Undo[] = [];
// For the last resort on `exit`, where nothing asynchronous runs any more: what is still alive or on disk.
const liveGroups = new Set<number>();
const liveDirs = new Set<string>();

/** Registers what undoes something just made; undone last made, first undone. */
export function onCleanup(undo: Undo): void {
  undos.push(undo);
}

/** Undoes everything registered, newest first; a failing undo is reported and the others still run. */
export async function cleanup(): Promise<void> {
  for (let undo = undos.pop(); undo; undo = undos.pop()) {
    try {
      await undo();
    } catch (error) {
      console.error("cleanup:", error);
    }
  }
}

/** Cleans up on every way out: the normal end, an error, and the signals a terminal or a supervisor sends. */
export function cleanUpOnExit(): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the servers the bench started…`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  process.once("exit", () => {
    for (const group of liveGroups) killGroup(group, "SIGKILL");
    for (const dir of liveDirs) fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** A fresh directory under the system's temporary directory, removed at cleanup. */
export function tempDir(purpose: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `numbox-bench-${purpose}-`));
  liveDirs.add(dir);
  onCleanup(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  });
  return dir;
}

let nextPort = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : undefined;

/**
 * A port to start a server on: the next of BENCH_PORT, BENCH_PORT + 1, … when it is set (a machine shared by
 * several people gives each a range), else one the system reports free. Checked free either way, so a port that
 * is taken fails here with its number rather than as a server that never answers.
 */
export async function freePort(): Promise<number> {
  if (nextPort !== undefined && !(Number.isInteger(nextPort) && nextPort > 0 && nextPort < 65_536)) {
    throw new Error("BENCH_PORT must be a port number");
  }
  const wanted = nextPort === undefined ? 0 : nextPort++;
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE" ? new Error(`port ${wanted} is in use: set BENCH_PORT to a free range`) : error,
      ),
    );
    probe.listen(wanted, resolve);
  });
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Runs a command to its end (a build), its output on stderr with the bench's progress; throws unless it exits 0. */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<void> {
  const child = spawn(command, args, { ...options, stdio: ["ignore", process.stderr, process.stderr], detached: true });
  const group = track(child);
  const { code, signal } = await exited(child);
  liveGroups.delete(group);
  if (code !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`}) in ${options.cwd}`);
}

export type Server = {
  name: string;
  origin: string;
  // The server's own process (also its group's id): where its memory is read.
  pid: number;
  // Throws, with the end of its log, if the server has exited: its runs measured nothing.
  assertRunning(): void;
  stop(): Promise<void>;
};

// A server that takes longer than this to answer is broken (a Next server starts in seconds, PGlite with 100k
// messages in a few more).
const START_DEADLINE_MS = 120_000;
// Short enough to not add to the start-up, long enough not to busy the CPU the server needs to start.
const POLL_MS = 200;
const STOP_GRACE_MS = 10_000;

/**
 * Starts a server and returns once `readyPath` answers 200 (a page that needs the database, so "ready" means
 * serving, not just listening). Its output goes to a log file, printed in part if it fails to start.
 */
export async function startServer(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; port: number; readyPath: string },
): Promise<Server> {
  const logFile = path.join(tempDir("log"), "server.log");
  const log = fs.openSync(logFile, "a");
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", log, log],
    detached: true,
  });
  fs.closeSync(log);
  const group = track(child);
  const exit = exited(child);
  // Once only: a group id is free for the system to reuse once the group is gone, and a later signal to it could
  // reach someone else's processes.
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(group, "SIGTERM");
        await Promise.race([exit, sleep(STOP_GRACE_MS)]);
      }
      // Whatever the group still holds, the leader gone or not.
      killGroup(group, "SIGKILL");
      liveGroups.delete(group);
      await exit;
    })());
  onCleanup(stop);

  const origin = `http://127.0.0.1:${options.port}`;
  let dead: { code: number | null; signal: string | null } | undefined;
  void exit.then(
    (how) => (dead = how),
    (error: Error) => (dead = { code: null, signal: error.message }),
  );
  const assertRunning = (when: string) => {
    if (!dead) return;
    // Numbox and `next start` exit 0 on SIGTERM and SIGINT: from someone else, since the bench has not stopped it.
    const how =
      dead.signal ?? (dead.code === 0 ? "exit 0: a SIGTERM or SIGINT from outside the bench?" : `exit ${dead.code}`);
    throw new Error(`${name} exited (${how}) ${when}:\n${tail(logFile)}`);
  };
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    assertRunning("before it was ready");
    if (Date.now() > deadline)
      throw new Error(`${name} did not answer 200 within ${START_DEADLINE_MS / 1000} s:\n${tail(logFile)}`);
    const status = await fetch(origin + options.readyPath, { signal: AbortSignal.timeout(10_000) }).then(
      async (response) => (await response.arrayBuffer(), response.status),
      () => 0,
    );
    if (status === 200)
      return { name, origin, pid: group, stop, assertRunning: () => assertRunning("while it was measured") };
    await sleep(POLL_MS);
  }
}

function track(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error(`could not start ${child.spawnfile}`);
  liveGroups.add(child.pid);
  return child.pid;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

function killGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we want.
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

function tail(file: string, lines = 40): string {
  return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
}
