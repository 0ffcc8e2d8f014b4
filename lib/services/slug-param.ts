import { slugify } from "./service";

/**
 * The `{slug}` of /services/{slug}: a slug as lib/services/service.ts makes them (lower case, letters, digits and
 * dashes, any script), or null for anything that cannot be one, which is a 404 without reading the database.
 */
export function parseServiceParam(raw: string): string | null {
  const decoded = safeDecode(raw);
  return decoded !== "" && slugify(decoded) === decoded ? decoded : null;
}

/**
 * Where another spelling of a service's address goes (a 308 in proxy.ts, lib/seo/redirects.ts): "/services/WhatsApp"
 * → "/services/whatsapp". Only case is corrected, so that a slug has one address; anything else is left to 404.
 */
export function canonicalServiceParam(raw: string): string {
  const decoded = safeDecode(raw);
  const lower = decoded.toLowerCase();
  return lower !== decoded && parseServiceParam(lower) !== null ? encodeURIComponent(lower) : raw;
}

function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return "";
  }
}
