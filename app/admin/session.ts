import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { isValidSession, SESSION_COOKIE } from "@/lib/admin/session";
import { config } from "@/lib/config";

/** Whether this request comes from a browser signed in to the admin (a valid session cookie). */
export async function isSignedIn(): Promise<boolean> {
  return isValidSession((await cookies()).get(SESSION_COOKIE)?.value, config().ADMIN_TOKEN);
}

/**
 * For every admin screen and every server action: a browser that is not signed in goes to the sign-in page.
 * Actions check it themselves, not only their page: a server action is an endpoint of its own, callable by anyone
 * who knows its id.
 */
export async function requireSignedIn(): Promise<void> {
  if (!(await isSignedIn())) redirect("/admin");
}
