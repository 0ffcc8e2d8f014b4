import type { IncomingMessage, ServerResponse } from "node:http";
import { isMigrated } from "@/db/client";
import { getDb } from "./database";

// A readiness probe that has not heard from the database by then says "not ready": a load balancer probes
// every few seconds and must not pile up requests behind a database that hangs (Postgres' own connect timeout
// is far longer).
const READY_DEADLINE_MS = 3_000;

/**
 * GET /readyz, for a load balancer or an orchestrator: 200 while the database answers and carries every migration
 * this code needs, else 503 (take this instance out of rotation; it keeps retrying by itself). Answered before
 * anything else — no rate limit, no page cache, no log line — and cheap: one small query, shared by every probe
 * that arrives while it runs. (GET /healthz, "the process answers", is server.mjs's own: it holds even while the
 * server is still starting.) Returns false for any other request.
 */
export function serveReadiness(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url !== "/readyz" || (req.method !== "GET" && req.method !== "HEAD")) return false;
  void readiness().then(({ ready, detail }) => {
    const body = JSON.stringify(ready ? { status: "ready" } : { error: "database_unavailable", detail });
    res.writeHead(ready ? 200 : 503, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(body),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      ...(ready ? {} : { "Retry-After": "5" }),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return true;
}

type Readiness = { ready: boolean; detail?: string };
let checking: Promise<Readiness> | null = null;

function readiness(): Promise<Readiness> {
  checking ??= check().finally(() => (checking = null));
  return checking;
}

async function check(): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Readiness>((resolve) => {
    timer = setTimeout(
      () => resolve({ ready: false, detail: `The database did not answer within ${READY_DEADLINE_MS / 1000} s.` }),
      READY_DEADLINE_MS,
    );
  });
  const probe = (async (): Promise<Readiness> => {
    try {
      if (await isMigrated(await getDb())) return { ready: true };
      return {
        ready: false,
        detail: "The database lacks migrations this version needs (another instance is migrating?).",
      };
    } catch {
      // Why is the operator's to read in the server's log (lib/server/start.ts), not a public probe's.
      return { ready: false, detail: "The database is unavailable." };
    }
  })();
  try {
    return await Promise.race([probe, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
