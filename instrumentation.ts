/**
 * Opens the database (and applies migrations) when the server starts, not on the first visitor's request.
 * A database that cannot be opened is fatal (an unreachable Postgres is not): better to stop now with a clear
 * message than serve errors. lib/server/start.ts has the policy.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startServer } = await import("./lib/server/start");
  await startServer();
}
