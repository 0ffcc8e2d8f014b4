import { getDb } from "@/db";
import { isDatabaseUnavailable } from "@/lib/errors";
import { startBackgroundJobs } from "./schedule";

export async function startServer(): Promise<void> {
  try {
    await getDb();
  } catch (error) {
    if (error instanceof Error && error.name === "DatabaseLockedError") {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    // Postgres not up yet: keep serving (503s) and open on a later request.
    if (!isDatabaseUnavailable(error)) throw error;
    console.error("database not reachable at start; will retry on demand:", (error as Error).message);
  }
  startBackgroundJobs();
}
