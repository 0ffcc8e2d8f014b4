import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { bearerToken, sameSecret } from "./secrets";

/** Throws unless the request carries the operator's ADMIN_TOKEN. */
export function requireAdmin(request: Request, adminToken = config().ADMIN_TOKEN): void {
  if (!adminToken) {
    throw new AppError(
      "admin_disabled",
      "The admin API is disabled: set ADMIN_TOKEN in the server's environment and send it as 'Authorization: Bearer <token>'.",
    );
  }
  if (!hasAdminToken(request.headers.get("authorization"), adminToken)) {
    throw new AppError("unauthorized", "Send the admin token as 'Authorization: Bearer <ADMIN_TOKEN>'.", {
      "WWW-Authenticate": 'Bearer realm="numbox-admin"',
    });
  }
}

/** Whether an Authorization header carries the admin token (constant time). The proxy counts the failures. */
export function hasAdminToken(authorization: string | null, adminToken: string): boolean {
  const token = bearerToken(authorization);
  return token !== null && sameSecret(token, adminToken);
}
