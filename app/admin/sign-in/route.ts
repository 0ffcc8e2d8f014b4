import { countAdminFailure } from "@/lib/limits/doors";
import { config } from "@/lib/config";
import { newSession, sessionCookie } from "@/lib/admin/session";
import { isHttps } from "@/lib/security/headers";
import { sameSecret } from "@/lib/security/secrets";

// A token longer than this is no admin token; reading it whole would only cost us memory.
const MAX_FORM_BYTES = 8 * 1024;

/**
 * The sign-in form's plain POST (it works without JavaScript): the admin token in, a session cookie out, and back
 * to /admin either way (303, so a reload never posts the token again). A wrong token counts against the admin
 * API's lockout; proxy.ts has already checked the Origin and refused a locked-out address.
 */
export async function POST(request: Request): Promise<Response> {
  const { ADMIN_TOKEN, PUBLIC_URL } = config();
  if (!ADMIN_TOKEN) return backToAdmin();
  const token = await tokenOf(request);
  if (token === null || !sameSecret(token, ADMIN_TOKEN)) {
    const locked = await countAdminFailure(request, config());
    return locked ?? backToAdmin("?signin=wrong");
  }
  return backToAdmin("", { "Set-Cookie": sessionCookie(newSession(ADMIN_TOKEN), { secure: isHttps(PUBLIC_URL) }) });
}

async function tokenOf(request: Request): Promise<string | null> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get("content-type") ?? "")) return null;
  const body = await request.text();
  if (body.length > MAX_FORM_BYTES) return null;
  return new URLSearchParams(body).get("token")?.trim() || null;
}

/** A relative Location: never built from a Host header someone else chose. */
function backToAdmin(query = "", headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { Location: `/admin${query}`, ...headers } });
}
