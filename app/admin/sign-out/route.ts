import { config } from "@/lib/config";
import { endSessionCookie } from "@/lib/admin/session";
import { isHttps } from "@/lib/security/headers";

/** Sign out: the browser forgets its session cookie, and lands on the sign-in page. A POST (proxy.ts checks its Origin). */
export async function POST(): Promise<Response> {
  return new Response(null, {
    status: 303,
    headers: { Location: "/admin", "Set-Cookie": endSessionCookie({ secure: isHttps(config().PUBLIC_URL) }) },
  });
}
