import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { bearerToken, sameSecret } from "./keys";

/** Throws unless the request carries the operator's ADMIN_TOKEN. */
export function requireAdmin(request: Request, adminToken = config().ADMIN_TOKEN): void {
  if (!adminToken) {
    throw new AppError(
      403,
      "admin_disabled",
      "The admin API is disabled: set ADMIN_TOKEN in the server's environment and send it as 'Authorization: Bearer <token>'.",
    );
  }
  const token = bearerToken(request.headers.get("authorization"));
  if (!token || !sameSecret(token, adminToken)) {
    throw new AppError(401, "unauthorized", "Send the admin token as 'Authorization: Bearer <ADMIN_TOKEN>'.", {
      "WWW-Authenticate": 'Bearer realm="numbox-admin"',
    });
  }
}
