/** What a result was measured on: figures from another machine, or a busier one, do not compare. */
import os from "node:os";
import postgres from "postgres";

export function describeMachine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? "unknown CPU"} × ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** The 1-minute load average: other work on a shared machine, which every figure here competes with. */
export const loadAverage = () => os.loadavg()[0]!.toFixed(1);

export async function postgresVersion(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ server_version: string }[]>`show server_version`;
    return `Postgres ${row?.server_version.split(" ")[0]}`;
  } finally {
    await sql.end();
  }
}
