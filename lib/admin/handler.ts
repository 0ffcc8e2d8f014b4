import { handler } from "@/lib/http";
import { announceChange } from "@/lib/live/fanout";
import { requireAdmin } from "@/lib/security/admin-token";

/**
 * An admin API route: the operator's token is required before anything else runs, and a change that succeeded
 * is announced to every instance as "everything changed", so that no cached page keeps showing what the
 * operator just edited (a hidden message, a retired number, a purge). Admin edits are rare; re-rendering every
 * page once after one is nothing.
 */
export function adminHandler<Context extends unknown[]>(
  fn: (request: Request, ...context: Context) => Promise<Response>,
) {
  return handler(async (request: Request, ...context: Context) => {
    requireAdmin(request);
    const response = await fn(request, ...context);
    if (request.method !== "GET" && request.method !== "HEAD" && response.ok) await announceAdminEdit();
    return response;
  });
}

/** After any edit of the operator's, by the API or the web UI: no cached page keeps showing what was before. */
export function announceAdminEdit(): Promise<void> {
  return announceChange("everything");
}
