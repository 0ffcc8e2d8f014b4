/**
 * The CSRF check of the admin web UI: a state-changing request must come from a page of this site. Browsers
 * send `Origin` with every POST (a form, fetch, a server action), and a page cannot forge it; a request without
 * one is not from a page of ours, so it is refused too.
 *
 * This site's origin is PUBLIC_URL's. When PUBLIC_URL was left at its default (a first run on a laptop, the
 * operator reaching it as http://192.168.1.5:3000), the request's own Host stands in for it: refusing every
 * sign-in there would only teach operators to turn the check off.
 */
export type OriginCheck = {
  /** The request's Origin header. */
  origin: string | null;
  /** The request's Host header. */
  host: string | null;
  publicUrl: string;
  /** PUBLIC_URL was not set by the operator. */
  publicUrlIsDefault: boolean;
};

export function isSameOrigin({ origin, host, publicUrl, publicUrlIsDefault }: OriginCheck): boolean {
  if (!origin || origin === "null") return false;
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    return false;
  }
  if (publicUrlIsDefault) return host !== null && from.host === host.toLowerCase();
  try {
    return from.origin === new URL(publicUrl).origin;
  } catch {
    return false;
  }
}

/** Methods that change nothing, which the check lets through (they must stay so: GET never edits). */
export function isSafeMethod(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS";
}
