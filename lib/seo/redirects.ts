import { DEFAULT_LOCALE, isLocale, localePath, type Locale } from "@/lib/i18n/locales";
import { parseNumberParam } from "@/lib/inbox/params";
import { canonicalServiceParam } from "@/lib/services/slug-param";

/**
 * One address per page: where a page request that names a page by another address must go instead (proxy.ts
 * answers it with a 308), or null when the path is already the page's address (or no page of ours at all).
 *
 * - "/en/…" → "/…": English lives at the unprefixed URLs. next-intl would redirect too, but with a 307, which
 *   tells a search engine to keep the old address.
 * - "/countries/UZ" → "/countries/uz": country paths are lower case (the DESIGN's URL scheme).
 * - "/numbers/%2B998…" or "/numbers/+998…" → "/numbers/998…": an inbox is at its digits.
 * - "/services/WhatsApp" → "/services/whatsapp": service slugs are lower case.
 *
 * All three at once take one hop ("/en/countries/UZ" → "/countries/uz"). Trailing slashes are Next's own
 * redirect (308, before proxy.ts runs).
 */
export function canonicalPath(pathname: string): string | null {
  const [, first = "", ...rest] = pathname.split("/");
  const prefixed = isLocale(first);
  const locale: Locale = prefixed ? first : DEFAULT_LOCALE;
  const page = prefixed ? `/${rest.join("/")}` : pathname;
  const canonical = localePath(locale, canonicalPage(page));
  return canonical === pathname ? null : canonical;
}

function canonicalPage(page: string): string {
  if (page === "/") return page;
  const country = /^\/countries\/([A-Za-z]{2})$/.exec(page);
  if (country) return `/countries/${country[1]!.toLowerCase()}`;
  const inbox = /^\/numbers\/([^/]+)$/.exec(page);
  if (inbox) {
    const number = parseNumberParam(inbox[1]!);
    return number ? `/numbers/${number.slice(1)}` : page;
  }
  const service = /^\/services\/([^/]+)$/.exec(page);
  if (service) return `/services/${canonicalServiceParam(service[1]!)}`;
  return page;
}
