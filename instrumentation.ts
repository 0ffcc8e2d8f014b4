/**
 * Opens the database (and applies migrations) when the server starts, not on the first visitor's request.
 * A locked embedded database is fatal: better to stop now with a clear message than serve errors.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startServer } = await import("./lib/server/start");
  await startServer();
}
