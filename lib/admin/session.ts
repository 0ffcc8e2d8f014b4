import { createHmac, randomBytes } from "node:crypto";
import { sameSecret } from "@/lib/security/secrets";

/**
 * The admin web UI's session: a cookie that says "this browser gave the admin token, until <time>", signed so
 * that nobody can write one without the token. Stateless: nothing is stored on the server, so every instance
 * accepts it and a restart keeps the operator signed in. The signing key is derived from ADMIN_TOKEN: changing the
 * token signs every browser out, which is what an operator who fears a leak wants.
 *
 * The cookie is `name=<expires>.<random>.<signature>`: the expiry in Unix seconds (checked here, whatever the
 * browser does with Max-Age), a random part so that two sessions never look alike, and an HMAC-SHA256 over both.
 */
export const SESSION_COOKIE = "numbox_admin";
/** A working day: long enough not to interrupt a session of moderation, short enough that a forgotten tab ends. */
export const SESSION_SECONDS = 12 * 60 * 60;
/** Only the admin pages ever receive the cookie: the public site and its API never see it. */
export const SESSION_PATH = "/admin";

// A separate key per use of the token: a signature made here can never be mistaken for anything else it signs.
function signingKey(adminToken: string): Buffer {
  return createHmac("sha256", adminToken).update("numbox admin session v1").digest();
}

function sign(payload: string, adminToken: string): string {
  return createHmac("sha256", signingKey(adminToken)).update(payload).digest("base64url");
}

/** A new session's cookie value, valid for SESSION_SECONDS from `now`. */
export function newSession(adminToken: string, now = Date.now()): string {
  const payload = `${Math.floor(now / 1000) + SESSION_SECONDS}.${randomBytes(12).toString("base64url")}`;
  return `${payload}.${sign(payload, adminToken)}`;
}

/** Whether a cookie value is a session signed with this token and not yet expired (constant-time check). */
export function isValidSession(value: string | undefined, adminToken: string | undefined, now = Date.now()): boolean {
  if (!value || !adminToken) return false;
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return false;
  const [, expires, random, signature] = match;
  if (!sameSecret(signature!, sign(`${expires}.${random}`, adminToken))) return false;
  return Number(expires) * 1000 > now;
}

export type CookieOptions = { secure: boolean };

/** The Set-Cookie header that starts a session. Secure whenever the site is served over https. */
export function sessionCookie(value: string, { secure }: CookieOptions): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    `Path=${SESSION_PATH}`,
    `Max-Age=${SESSION_SECONDS}`,
    "HttpOnly",
    // Strict: a link or form on another site never arrives signed in, the first wall against CSRF (the Origin
    // check in proxy.ts is the second).
    "SameSite=Strict",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

/** The Set-Cookie header that ends a session (the browser forgets the cookie at once). */
export function endSessionCookie({ secure }: CookieOptions): string {
  return [
    `${SESSION_COOKIE}=`,
    `Path=${SESSION_PATH}`,
    "Max-Age=0",
    "HttpOnly",
    "SameSite=Strict",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

/** The session cookie's value in a Cookie request header, if any. */
export function sessionFromCookieHeader(header: string | null): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return value.join("=");
  }
  return undefined;
}
